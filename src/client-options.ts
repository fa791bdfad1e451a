/**
 * The options of `new Authnzerver(options)`, their defaults, and the shape of the configuration they resolve to
 * (`ResolvedConfig`). Types and data only: `config.ts` does the resolving.
 */
import { optionShape, orFalse, type OptionShape, type Resolved } from './core/options.js';
import { RETRY_OPTIONS, type ResolvedRetry, type RetryOptions } from './core/retry.js';
import type { Cipher } from './crypto/fernet-format.js';
import { HOOK_OPTIONS, type Hooks } from './observe/hooks.js';
import type { LevelLogger, LogLevel, Logger } from './observe/log.js';
import type { FetchLike } from './transport/fetch.js';
import type { TransportPlan } from './transport/plan.js';
import type { Transport } from './transport/types.js';

/** Deadlines, in milliseconds. */
export interface TimeoutOptions {
  /** The longest a TCP and TLS connect may take (undici transport). @default 5000 */
  readonly connect?: number | undefined;
  /**
   * The deadline of a whole call (connect, request, headers, body) for request types of the `default` timeout
   * class, and for request types not in the catalogue. @default 5000
   */
  readonly request?: number | undefined;
  /**
   * The deadline of a whole call for the `login` timeout class (`user-login`, `user-passcheck-nosession`): the
   * server answers a failed log-in only after a back-off of up to 40 s. @default 45000
   */
  readonly login?: number | undefined;
}

/** Options of `new Authnzerver(options)`. All are optional. */
export interface AuthnzerverOptions {
  /**
   * The authnzerver's URL, e.g. `http://127.0.0.1:13431/`. Surrounding white space and quotes are stripped.
   * @default process.env.AUTHNZERVER_URL
   */
  readonly url?: string | URL | undefined;
  /**
   * The pre-shared Fernet key (url-safe base64 of 32 bytes, 44 characters ending in `=`), the server's
   * `AUTHNZERVER_SECRET`. Surrounding white space and quotes are stripped.
   *
   * A list of keys, or one string of keys separated by commas (`SECRET_SEPARATOR`), rotates the secret
   * with no failed call: the first key seals new requests; when the server answers a request with its 401
   * refusal (it could not decrypt it, so it ran nothing), the call is sent again at once with another key. The
   * client keeps each key's recent success rate and seals new calls with the best one, so that behind a load
   * balancer over servers holding different keys it uses the key most of them hold. A reply is opened with
   * whichever key works. See `client.keyStatus` for the extra round trips this costs.
   * @default process.env.AUTHNZERVER_SECRET (one key, or several separated by commas)
   */
  readonly secret?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /**
   * PEM file of the TLS client certificate: on Node.js (undici transport), Bun (its fetch's `tls` option) and
   * Deno (`Deno.createHttpClient`); elsewhere a `ConfigError`. @default process.env.AUTHNZERVER_TLS_CERTFILE
   */
  readonly tlsCertFile?: string | undefined;
  /** PEM file of the TLS client certificate's key. @default process.env.AUTHNZERVER_TLS_KEYFILE */
  readonly tlsKeyFile?: string | undefined;
  /** PEM file of the CA that signed the server's certificate. @default process.env.AUTHNZERVER_TLS_CAFILE, else the system's CAs */
  readonly tlsCaFile?: string | undefined;
  /** Deadlines. */
  readonly timeouts?: TimeoutOptions | undefined;
  /**
   * A `fetch` to send requests with (through ky), instead of undici: for custom fetch stacks and interception
   * in tests. Giving one selects the `fetch` transport.
   */
  readonly fetch?: FetchLike | undefined;
  /**
   * `'undici'` (undici's dispatcher, the default on Node.js; also on Deno), `'fetch'` (ky over the global
   * `fetch`, or over the `fetch` option: the default on Bun, Deno, Cloudflare Workers and edge functions), or
   * your own {@link Transport}.
   * @default 'undici' on Node.js, 'fetch' elsewhere or when the `fetch` option is given
   */
  readonly transport?: 'undici' | 'fetch' | Transport | undefined;
  /** Refuse reply bodies larger than this (a `too-large` failure). @default 1048576 (1 MiB) */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Refuse to send a request whose envelope is more than this many bytes of JSON: a `RequestValidationError`
   * naming the body's largest field, and nothing is sent. @default 1048576 (1 MiB)
   */
  readonly maxRequestBytes?: number | undefined;
  /**
   * Check every reply against the catalogue's response schema; a mismatch is an `invalid-response` failure that
   * keeps the raw reply. @default true
   */
  readonly validateResponses?: boolean | undefined;
  /** The most connections to the server at once (undici transport); further requests wait. @default 64 */
  readonly connections?: number | undefined;
  /** How long an idle connection stays open for reuse, in milliseconds (undici transport). @default 4000 */
  readonly keepAliveTimeout?: number | undefined;
  /**
   * When to send a failed call again (see {@link RetryOptions}); `false` turns retries off. Calls can override
   * it. @default { retries: 2, backoff: 100, maxBackoff: 2000, attemptTimeout: 2000 }
   */
  readonly retry?: RetryOptions | false | undefined;
  /** Observers of every call, handed redacted copies of the plaintext envelopes. */
  readonly hooks?: Hooks | undefined;
  /**
   * Where log entries go: anything console-like. Secrets are redacted before anything is logged.
   * @default a stderr logger when AUTHNZERVER_LOG is set, else nothing is logged
   */
  readonly logger?: Logger | undefined;
  /**
   * The lowest level logged: `debug` (every attempt), `info`, `warn` (retries, failures), `error`, `silent`.
   * @default process.env.AUTHNZERVER_LOG, else 'warn'
   */
  readonly logLevel?: LogLevel | undefined;
  /** Where the `AUTHNZERVER_*` variables are read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The options after defaults and the environment are applied: what a client runs on. */
export interface ResolvedConfig {
  readonly url: URL;
  /**
   * Every key's Fernet cipher, in `secret`'s order: the first seals new requests. Synchronous on Node.js, Bun and
   * Deno (node:crypto), asynchronous elsewhere (WebCrypto).
   */
  readonly fernets: readonly Cipher[];
  readonly timeouts: Resolved<TimeoutOptions>;
  readonly maxResponseBytes: number;
  readonly maxRequestBytes: number;
  readonly validateResponses: boolean;
  readonly transport: Transport;
  /** How to make the same transport in another thread (the sync API's worker): data only. */
  readonly transportPlan: TransportPlan;
  readonly retry: ResolvedRetry;
  readonly hooks: Hooks;
  readonly logger: LevelLogger;
  /** Describes the configuration without secrets, for logs and `doctor`. */
  readonly summary: ConfigSummary;
}

/** The configuration as `client.config` shows it: without secrets. */
export interface ConfigSummary {
  readonly url: string;
  readonly urlFrom: 'option' | 'env';
  /** Where the secret came from: the option, `AUTHNZERVER_SECRET`, or the file `AUTHNZERVER_SECRET_FILE` names. */
  readonly secretFrom: 'option' | 'env' | 'file';
  /**
   * A short fingerprint of each key, in `secret`'s order: the first 8 hex digits of the SHA-256 of its 32 bytes.
   * It tells keys apart (in `doctor`, in logs) and reveals nothing usable about them.
   */
  readonly secretFingerprints: readonly string[];
  readonly transport: string;
  readonly tls: {
    readonly cert: string | null;
    readonly key: string | null;
    readonly ca: string | null;
  };
  readonly timeouts: Resolved<TimeoutOptions>;
}

export const DEFAULT_TIMEOUTS: Resolved<TimeoutOptions> = Object.freeze({
  connect: 5000,
  request: 5000,
  login: 45000,
});
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

/** The known keys of `timeouts` (see `core/options.ts`). */
const TIMEOUT_OPTIONS = optionShape<TimeoutOptions>({ connect: true, request: true, login: true });

/** The options of `new Authnzerver(options)` (`resolveConfig`). */
export const CLIENT_OPTIONS: OptionShape = optionShape<AuthnzerverOptions>(
  {
    url: true,
    secret: true,
    tlsCertFile: true,
    tlsKeyFile: true,
    tlsCaFile: true,
    timeouts: true,
    fetch: true,
    transport: true,
    maxResponseBytes: true,
    maxRequestBytes: true,
    validateResponses: true,
    connections: true,
    keepAliveTimeout: true,
    retry: true,
    hooks: true,
    logger: true,
    logLevel: true,
    env: true,
  },
  { timeouts: TIMEOUT_OPTIONS, retry: orFalse(RETRY_OPTIONS), hooks: HOOK_OPTIONS },
);
