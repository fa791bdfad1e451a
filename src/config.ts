import { platform } from '#platform';
import { ConfigError, FernetKeyError } from './core/errors.js';
import { fernetKeyBytes, type Cipher } from './crypto/fernet-format.js';
import {
  LOG_LEVELS,
  LevelLogger,
  stderrLogger,
  type Hooks,
  type LogLevel,
  type Logger,
} from './observe/log.js';
import { CLIENT_OPTIONS, checkKeys, isOptionObject, type Resolved } from './core/options.js';
import { DEFAULT_RETRY, mergeRetry, type ResolvedRetry, type RetryOptions } from './core/retry.js';
import type { TlsFiles } from './platform/types.js';
import type { TransportSpec } from './transport/create.js';
import type { FetchLike } from './transport/fetch.js';
import type { Transport } from './transport/types.js';

export type { TransportSpec } from './transport/create.js';

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
   * A list of keys, or one string of keys separated by commas ({@link SECRET_SEPARATOR}), rotates the secret
   * with no failed call: the first key seals new requests; when the server answers a request with its 401
   * refusal (it could not decrypt it, so it ran nothing), the call is sent again at once with the next key, and
   * the key the server accepted is remembered for the client's next calls. A reply is opened with whichever key
   * works. See `client.keyStatus` for the extra round trips this costs.
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
   * it. @default { retries: 2, backoff: 100, maxBackoff: 2000 }
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
   * The first key's Fernet cipher: the one new requests are sealed with. Synchronous on Node.js, Bun and Deno
   * (node:crypto), asynchronous elsewhere (WebCrypto).
   */
  readonly fernet: Cipher;
  /** Every key's Fernet cipher, in `secret`'s order (`fernets[0]` is `fernet`). */
  readonly fernets: readonly Cipher[];
  readonly timeouts: Resolved<TimeoutOptions>;
  readonly maxResponseBytes: number;
  readonly maxRequestBytes: number;
  readonly validateResponses: boolean;
  readonly transport: Transport;
  /** How to make the same transport in another thread (the sync API's worker): data only. */
  readonly transportSpec: TransportSpec;
  readonly retry: ResolvedRetry;
  readonly hooks: Hooks;
  readonly logger: LevelLogger;
  /** Describes the configuration without secrets, for logs and `doctor`. */
  readonly summary: ConfigSummary;
}

export interface ConfigSummary {
  readonly url: string;
  readonly urlFrom: 'option' | 'env';
  readonly secretFrom: 'option' | 'env';
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

function stripQuotes(value: string): string {
  return value
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
}

function pick<T>(
  option: T | undefined,
  env: Readonly<Record<string, string | undefined>>,
  envVar: string,
): { value: T | string; from: 'option' | 'env' } | undefined {
  if (option !== undefined) return { value: option, from: 'option' };
  const fromEnv = env[envVar];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { value: fromEnv, from: 'env' };
  return undefined;
}

function describe(option: string, envVar: string, from: 'option' | 'env'): string {
  return from === 'option'
    ? `the \`${option}\` option`
    : `${envVar} (the \`${option}\` option's fallback)`;
}

function resolveUrl(
  option: string | URL | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { url: URL; from: 'option' | 'env' } {
  const picked = pick(option, env, 'AUTHNZERVER_URL');
  if (picked === undefined) {
    throw new ConfigError(
      'no authnzerver URL: pass the `url` option or set AUTHNZERVER_URL (e.g. http://127.0.0.1:13431/)',
      { option: 'url', envVar: 'AUTHNZERVER_URL' },
    );
  }
  const source = describe('url', 'AUTHNZERVER_URL', picked.from);
  let url: URL;
  try {
    url = new URL(picked.value instanceof URL ? picked.value.href : stripQuotes(picked.value));
  } catch (cause) {
    throw new ConfigError(`${source} is not a valid URL; expected e.g. http://127.0.0.1:13431/`, {
      option: 'url',
      envVar: 'AUTHNZERVER_URL',
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${source} must be an http:// or https:// URL, not ${url.protocol}`, {
      option: 'url',
      envVar: 'AUTHNZERVER_URL',
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`${source} must not contain a user name or password`, {
      option: 'url',
      envVar: 'AUTHNZERVER_URL',
    });
  }
  return { url, from: picked.from };
}

/**
 * What separates the keys of a list given as one string (`AUTHNZERVER_SECRET`, the CLI's `--secret`): a comma,
 * with optional white space around it. A Fernet key is base64 (`A-Z a-z 0-9 - _ =`, or `+ /`), never a comma.
 */
export const SECRET_SEPARATOR = /\s*,\s*/;

/** The keys of `secret`, in order: a list as it is, a string split at commas. */
function secretEntries(value: string | Uint8Array | readonly (string | Uint8Array)[]): unknown[] {
  if (typeof value === 'string') return stripQuotes(value).split(SECRET_SEPARATOR);
  return Array.isArray(value) ? [...(value as readonly unknown[])] : [value];
}

/**
 * The keys a client's `secret` option, or else its `AUTHNZERVER_SECRET`, lists, in order (for `doctor`, which
 * checks each on its own). Call it on options that {@link resolveConfig} accepted.
 */
export function secretKeys(options: AuthnzerverOptions): (string | Uint8Array)[] {
  const picked = pick(options.secret, options.env ?? platform.env(), 'AUTHNZERVER_SECRET');
  return picked === undefined ? [] : (secretEntries(picked.value) as (string | Uint8Array)[]);
}

/**
 * The SHA-256 of a valid key's 32 bytes, in hex. Where the runtime has no synchronous SHA-256 (WebCrypto's is
 * asynchronous: Cloudflare Workers, edge functions), the key's bytes in hex stand in for telling keys apart,
 * and the fingerprint is `unknown`.
 */
function keyDigest(key: string | Uint8Array): string {
  const raw = fernetKeyBytes(key);
  return (
    platform.sha256Hex?.(raw) ??
    `unknown:${Array.from(raw, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
  );
}

/**
 * A valid key's fingerprint, as `doctor` and `client.config.secretFingerprints` show it: the first 8 hex digits
 * of the SHA-256 of its 32 bytes.
 */
export function keyFingerprint(key: string | Uint8Array): string {
  return fingerprintOf(keyDigest(key));
}

/** The fingerprint shown for a key digest: never a key's bytes. */
function fingerprintOf(digest: string): string {
  return digest.startsWith('unknown:') ? 'unknown' : digest.slice(0, 8);
}

function resolveSecret(
  option: string | Uint8Array | readonly (string | Uint8Array)[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { fernets: Cipher[]; fingerprints: string[]; from: 'option' | 'env' } {
  const picked = pick(option, env, 'AUTHNZERVER_SECRET');
  if (picked === undefined) {
    throw new ConfigError(
      'no authnzerver secret: pass the `secret` option or set AUTHNZERVER_SECRET to the Fernet key the server uses',
      { option: 'secret', envVar: 'AUTHNZERVER_SECRET' },
    );
  }
  const source = describe('secret', 'AUTHNZERVER_SECRET', picked.from);
  const details = { option: 'secret', envVar: 'AUTHNZERVER_SECRET' };
  const entries = secretEntries(picked.value);
  if (entries.length === 0) throw new ConfigError(`${source} is an empty list of keys`, details);
  const fernets: Cipher[] = [];
  const fingerprints: string[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    // One key: the messages of before lists; several: each names the key's position (never the key).
    const which =
      entries.length === 1 ? source : `${source}, key ${index + 1} of ${entries.length},`;
    if (typeof entry === 'string' && entry.trim() === '' && entries.length > 1) {
      throw new ConfigError(
        `${which} is empty; separate keys with one comma (${entries.length} entries given)`,
        details,
      );
    }
    let fernet: Cipher;
    try {
      // The runtime's cipher: node:crypto's on Node.js, Bun and Deno, WebCrypto's elsewhere.
      fernet = platform.cipher(fernetKeyBytes(entry as string | Uint8Array));
    } catch (cause) {
      if (!FernetKeyError.is(cause)) throw cause;
      throw new ConfigError(`${which} is not a valid Fernet key: ${cause.message}`, {
        ...details,
        cause,
      });
    }
    const digest = keyDigest(entry as string | Uint8Array);
    const earlier = seen.get(digest);
    if (earlier !== undefined) {
      throw new ConfigError(`${which} is the same key as key ${earlier + 1}`, details);
    }
    seen.set(digest, index);
    fernets.push(fernet);
    fingerprints.push(fingerprintOf(digest));
  }
  return { fernets, fingerprints, from: picked.from };
}

type TlsFile = { path: string; data: Uint8Array } | undefined;

/**
 * Reads one TLS file named by its option or variable, at construction.
 * @throws {ConfigError} when it cannot be read, or when the runtime cannot use TLS files at all.
 */
function readTlsFile(
  option: 'tlsCertFile' | 'tlsKeyFile' | 'tlsCaFile',
  envVar: string,
  given: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): TlsFile {
  const picked = pick(given, env, envVar);
  if (picked === undefined) return undefined;
  const source = describe(option, envVar, picked.from);
  if (platform.tls === undefined) {
    throw new ConfigError(
      `${source} is set, but ${platform.label} cannot use TLS client certificates or CA files: its fetch has ` +
        'no option for them. Give the server a certificate the runtime already trusts, pass a `fetch` that ' +
        'presents the client certificate (on Cloudflare Workers, the `fetch` of an mTLS certificate binding), ' +
        'or run on Node.js, Bun or Deno',
      { option, envVar },
    );
  }
  const path = stripQuotes(picked.value);
  try {
    return { path, data: platform.tls.readFile(path) };
  } catch (cause) {
    const reason = (cause as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`${source} names a file that cannot be read (${reason}): ${path}`, {
      option,
      envVar,
      cause,
    });
  }
}

function resolveLogger(
  options: AuthnzerverOptions,
  env: Readonly<Record<string, string | undefined>>,
): LevelLogger {
  const fromEnv = env.AUTHNZERVER_LOG?.trim().toLowerCase();
  const envLevel =
    fromEnv === undefined || fromEnv === '' ? undefined : fromEnv === 'off' ? 'silent' : fromEnv;
  if (envLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(envLevel)) {
    throw new ConfigError(`AUTHNZERVER_LOG must be one of ${LOG_LEVELS.join(', ')} (or off)`, {
      option: 'logLevel',
      envVar: 'AUTHNZERVER_LOG',
    });
  }
  const level = options.logLevel ?? (envLevel as LogLevel | undefined);
  if (level !== undefined && !LOG_LEVELS.includes(level)) {
    throw new ConfigError(`\`logLevel\` must be one of ${LOG_LEVELS.join(', ')}`, {
      option: 'logLevel',
    });
  }
  if (options.logger !== undefined) return new LevelLogger(options.logger, level ?? 'warn');
  return new LevelLogger(level === undefined ? undefined : stderrLogger, level ?? 'silent');
}

function positive(
  value: number | undefined,
  fallback: number,
  option: string,
  unit = 'milliseconds',
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`\`${option}\` must be a positive, finite number of ${unit}`, { option });
  }
  return value;
}

function resolveBoolean(value: boolean | undefined, fallback: boolean, option: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ConfigError(`\`${option}\` must be a boolean`, { option });
  return value;
}

/**
 * Turns the public options and the environment into the configuration a client runs on. The environment is
 * read here and nowhere else. Explicit options win over environment variables.
 *
 * @throws {ConfigError} naming the option and its variable when one is missing or malformed.
 */
export function resolveConfig(options: AuthnzerverOptions = {}): ResolvedConfig {
  // JavaScript callers can pass anything; `new Authnzerver(url)` would otherwise read the environment.
  const given: unknown = options;
  if (!isOptionObject(given)) {
    throw new ConfigError(
      'the options must be an object, e.g. { url, secret }; without options, AUTHNZERVER_URL and AUTHNZERVER_SECRET are read',
      { option: 'options' },
    );
  }
  checkKeys(options, CLIENT_OPTIONS);
  const env = options.env ?? platform.env();
  const { url, from: urlFrom } = resolveUrl(options.url, env);
  const { fernets, fingerprints, from: secretFrom } = resolveSecret(options.secret, env);

  const timeouts = {
    connect: positive(options.timeouts?.connect, DEFAULT_TIMEOUTS.connect, 'timeouts.connect'),
    request: positive(options.timeouts?.request, DEFAULT_TIMEOUTS.request, 'timeouts.request'),
    login: positive(options.timeouts?.login, DEFAULT_TIMEOUTS.login, 'timeouts.login'),
  };
  const maxResponseBytes = positive(
    options.maxResponseBytes,
    DEFAULT_MAX_RESPONSE_BYTES,
    'maxResponseBytes',
    'bytes',
  );
  const maxRequestBytes = positive(
    options.maxRequestBytes,
    DEFAULT_MAX_REQUEST_BYTES,
    'maxRequestBytes',
    'bytes',
  );
  const connections = positive(options.connections, 64, 'connections', 'connections');
  const keepAliveTimeout = positive(options.keepAliveTimeout, 4000, 'keepAliveTimeout');

  const cert = readTlsFile('tlsCertFile', 'AUTHNZERVER_TLS_CERTFILE', options.tlsCertFile, env);
  const key = readTlsFile('tlsKeyFile', 'AUTHNZERVER_TLS_KEYFILE', options.tlsKeyFile, env);
  const ca = readTlsFile('tlsCaFile', 'AUTHNZERVER_TLS_CAFILE', options.tlsCaFile, env);
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? 'tlsCertFile' : 'tlsKeyFile';
    throw new ConfigError(
      `a TLS client certificate needs both \`tlsCertFile\` and \`tlsKeyFile\`; \`${missing}\` is missing`,
      {
        option: missing,
        envVar: missing === 'tlsCertFile' ? 'AUTHNZERVER_TLS_CERTFILE' : 'AUTHNZERVER_TLS_KEYFILE',
      },
    );
  }
  const hasTls = cert !== undefined || ca !== undefined;
  if (hasTls && url.protocol !== 'https:') {
    throw new ConfigError('TLS files are set but the URL is not https://', {
      option: cert === undefined ? 'tlsCaFile' : 'tlsCertFile',
    });
  }

  let retry: ResolvedRetry;
  try {
    retry = mergeRetry(DEFAULT_RETRY, options.retry);
  } catch (cause) {
    throw new ConfigError(`\`${(cause as Error).message}`.replace(' must', '` must'), {
      option: 'retry',
      cause,
    });
  }
  const logger = resolveLogger(options, env);

  // Undefined: the runtime's default (undici on Node.js and Deno, fetch elsewhere; see docs/runtimes.md).
  const requested = options.transport ?? (options.fetch === undefined ? undefined : 'fetch');
  let transport: Transport;
  let transportSpec: TransportSpec;
  if (requested === undefined || requested === 'undici' || requested === 'fetch') {
    if (requested === 'undici' && options.fetch !== undefined) {
      throw new ConfigError(
        'the `fetch` option selects the fetch transport; it cannot be used with transport "undici"',
        {
          option: 'fetch',
        },
      );
    }
    const tls: TlsFiles | undefined = hasTls ? { cert, key, ca } : undefined;
    if (tls !== undefined) platform.tls?.check(tls);
    ({ transport, spec: transportSpec } = platform.transport(
      requested,
      { connectTimeout: timeouts.connect, keepAliveTimeout, connections, tls },
      options.fetch,
    ));
  } else if (typeof requested === 'object' && typeof requested.send === 'function') {
    transport = requested;
    transportSpec = { kind: 'custom', name: `the custom transport "${requested.name}"` };
  } else {
    throw new ConfigError(
      '`transport` must be "undici", "fetch" or an object with send() and close()',
      {
        option: 'transport',
      },
    );
  }

  return {
    url,
    fernet: fernets[0] as Cipher,
    fernets,
    timeouts,
    maxResponseBytes,
    maxRequestBytes,
    validateResponses: resolveBoolean(options.validateResponses, true, 'validateResponses'),
    transport,
    transportSpec,
    retry,
    hooks: options.hooks ?? {},
    logger,
    summary: {
      url: url.href,
      urlFrom,
      secretFrom,
      secretFingerprints: fingerprints,
      transport: transport.name,
      tls: { cert: cert?.path ?? null, key: key?.path ?? null, ca: ca?.path ?? null },
      timeouts,
    },
  };
}
