/** The help text of the `authnzerver` command and of each subcommand, printed by `--help` and after a usage error. */

/** The connection options, shared by `request` and `doctor` (the options themselves are in connection.ts). */
const CONNECTION_HELP = `Connection options (each falls back to an environment variable):
  --url <url>            AUTHNZERVER_URL
  --secret <key>         AUTHNZERVER_SECRET, one key or several separated by commas (prefer the
                         variable: arguments show in ps)
  --tls-cert <file>      AUTHNZERVER_TLS_CERTFILE
  --tls-key <file>       AUTHNZERVER_TLS_KEYFILE
  --tls-ca <file>        AUTHNZERVER_TLS_CAFILE
  --timeout <ms>         the deadline of each call (default: 5000, 45000 for log-in types)
The secret is never printed.`;

/** The help of each command, by its name; `main` is the command's own. */
export const HELP: Record<string, string> = {
  main: `Usage: authnzerver <command> [options]

Commands:
  keygen     print a new secret in the server's format
  request    send one request and print the response tuple as JSON
  doctor     check the configuration and the server, and print a verdict

Run "authnzerver <command> --help" for a command's options.
`,
  keygen: `Usage: authnzerver keygen

Prints a new Fernet key (url-safe base64 of 32 random bytes, 44 characters ending in "="), the format of the
server's AUTHNZERVER_SECRET.
`,
  request: `Usage: authnzerver request <type> [--body JSON | --body @file | --body -] [--reqid ID] [--client-ip IP]

Sends one request and prints the response tuple as JSON. The body is checked against the catalogue first.

  <type>               a request type, e.g. session-exists (see --list)
  --body <json>        the request body as JSON; @file reads a file, - reads standard input (default: {})
  --reqid <id>         the request id (an integer stays an integer)
  --client-ip <ip>     the end user's IP address, client_ipaddr (default: the body's, else 127.0.0.1)
  --show-secrets       print secret fields of the reply (tokens, API keys) instead of masking them
  --list               list the request types and exit

Exit codes: 0 success, 1 the server turned the request down, 2 a configuration, validation or transport error.

${CONNECTION_HELP}
`,
  doctor: `Usage: authnzerver doctor [options]

Checks the configuration (URL, secret format, TLS files), that the server answers, that it accepts our key (a
harmless session-exists: 200 against 401), TLS, the round-trip latency, the clock skew against the server's
Date header and its readiness (GET /health), and prints a report with a verdict. With several keys
(AUTHNZERVER_SECRET="<new>,<old>"), it sends each key on its own and says which the server accepts, by
position and fingerprint (the first 8 hex digits of the key's SHA-256), never the key.

Exit codes: 0 healthy, 1 the server answers but does not work with this configuration, 2 a configuration error
or no server to talk to.

${CONNECTION_HELP}
`,
};
