/**
 * Resolving a client's options: the options and the environment in, the configuration a client runs on out
 * (`ResolvedConfig`). The environment is read here and nowhere else. The options' types and defaults are
 * `client-options.ts`.
 */
import { platform } from '#platform';
import {
  CLIENT_OPTIONS,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUTS,
  type AuthnzerverOptions,
  type ResolvedConfig,
} from './client-options.js';
import { ConfigError, FernetKeyError } from './core/errors.js';
import { checkKeys, isOptionObject } from './core/options.js';
import { DEFAULT_RETRY, mergeRetry, type ResolvedRetry } from './core/retry.js';
import { fernetKeyBytes, type Cipher } from './crypto/fernet-format.js';
import { LOG_LEVELS, LevelLogger, stderrLogger, type LogLevel } from './observe/log.js';
import { describe, pick, pickSecret, stripQuotes } from './config-sources.js';
import type { BuiltTransport } from './platform/types.js';
import type { TransportSettings } from './transport/plan.js';

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
  const picked = pickSecret(options.secret, options.env ?? platform.env());
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
): { fernets: Cipher[]; fingerprints: string[]; from: 'option' | 'env' | 'file' } {
  const picked = pickSecret(option, env);
  if (picked === undefined) {
    throw new ConfigError(
      'no authnzerver secret: pass the `secret` option or set AUTHNZERVER_SECRET to the Fernet key the server uses (or AUTHNZERVER_SECRET_FILE to a file holding it)',
      { option: 'secret', envVar: 'AUTHNZERVER_SECRET' },
    );
  }
  const source = describe('secret', 'AUTHNZERVER_SECRET', picked.from);
  const details = {
    option: 'secret',
    envVar: picked.from === 'file' ? 'AUTHNZERVER_SECRET_FILE' : 'AUTHNZERVER_SECRET',
  };
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
 * The transport the options ask for, and its plan: one of the runtime's own (through the platform, with the TLS
 * files checked first), or the caller's.
 */
function resolveTransport(
  options: AuthnzerverOptions,
  settings: TransportSettings,
): BuiltTransport {
  // Undefined: the runtime's default (undici on Node.js and Deno, fetch elsewhere; see docs/runtimes.md).
  const requested = options.transport ?? (options.fetch === undefined ? undefined : 'fetch');
  if (requested === undefined || requested === 'undici' || requested === 'fetch') {
    if (requested === 'undici' && options.fetch !== undefined) {
      throw new ConfigError(
        'the `fetch` option selects the fetch transport; it cannot be used with transport "undici"',
        { option: 'fetch' },
      );
    }
    if (settings.tls !== undefined) platform.tls?.check(settings.tls);
    return platform.transport(requested, settings, options.fetch);
  }
  if (typeof requested === 'object' && typeof requested.send === 'function') {
    return {
      transport: requested,
      plan: { kind: 'custom', name: `the custom transport "${requested.name}"` },
    };
  }
  throw new ConfigError(
    '`transport` must be "undici", "fetch" or an object with send() and close()',
    { option: 'transport' },
  );
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

  const { transport, plan: transportPlan } = resolveTransport(options, {
    connectTimeout: timeouts.connect,
    keepAliveTimeout,
    connections,
    tls: hasTls ? { cert, key, ca } : undefined,
  });

  return {
    url,
    fernets,
    timeouts,
    maxResponseBytes,
    maxRequestBytes,
    validateResponses: resolveBoolean(options.validateResponses, true, 'validateResponses'),
    transport,
    transportPlan,
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
