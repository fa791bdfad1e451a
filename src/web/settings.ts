/**
 * The web core's settings: `createWebAuth`'s options checked once and turned into one frozen object, with every
 * default applied. A missing or malformed option is a `ConfigError` that names it (never its value, which may be
 * a secret); an unknown key is one too (`option-keys.ts`). Nothing else in the web layer reads the options.
 */
import type { Authnzerver } from '../../generated/client.js';
import { ApiKeys } from './apikeys.js';
import { resolveCacheSettings, type CacheSettings } from './cache.js';
import { SessionCookie } from './cookies.js';
import { fernetSealer, type Sealer } from './crypto.js';
import { normalizeOrigin, OriginCheck } from './csrf.js';
import { clientIp, type ClientIpResolver } from './ip.js';
import { LIFETIME_DEFAULTS, resolveLifetime, type LifetimeSettings } from './lifetime-settings.js';
import { consoleMailer } from './mailer.js';
import { memoryStore, type AuthStore } from './store.js';
import { resolveLoginThrottle, type LoginThrottleSettings } from './login-throttle-settings.js';
import { checkWebAuthKeys, optionError } from './option-keys.js';
import type { Mailer, WebAuthOptions } from './options.js';
import { resolvePasswordReset, type PasswordResetSettings } from './account-settings.js';

const DAY = 86_400;

/** The email-verification settings: the sealer of its tokens and the email's parts. */
export interface EmailSettings {
  readonly sealer: Sealer;
  readonly ttlSeconds: number;
  readonly url: (token: string, origin: string) => string;
  readonly subject: string;
  readonly appName: string;
  readonly notifyExisting: boolean;
  readonly loginUrl: (origin: string) => string;
}

/** What the web core runs on: `createWebAuth`'s options, checked, with their defaults. Frozen. */
export interface WebSettings {
  readonly client: Authnzerver;
  readonly cookie: SessionCookie;
  /** The client IP from the socket's peer and `X-Forwarded-For` (read only when `trustsProxy`). */
  readonly clientIp: ClientIpResolver;
  readonly trustsProxy: boolean;
  /** The app's origins, normalised; null without the `origin` option (each request's own origin then). */
  readonly origins: readonly string[] | null;
  readonly csrf: OriginCheck;
  readonly csrfEnabled: boolean;
  readonly anonymousSeconds: number;
  /** The lifetime of a user session without remember-me. */
  readonly userSeconds: number;
  /** The rest of the session lifetime policy (idle timeout, remember-me, rotation, data size). */
  readonly lifetime: LifetimeSettings;
  readonly apiKeys: ApiKeys | null;
  readonly email: EmailSettings | null;
  /** Password reset links; null without the `passwordReset` option. */
  readonly passwordReset: PasswordResetSettings | null;
  readonly mailer: Mailer;
  /** Where state between requests is kept (`limitRequests`' windows, the failed-log-in throttle's counts). */
  readonly store: AuthStore;
  /** The failed-log-in throttle; null when it is off. */
  readonly loginThrottle: LoginThrottleSettings | null;
  /** The session cache's settings; null when it is off. */
  readonly cache: CacheSettings | null;
  /** Where warnings go, already prefixed; a no-op without a logger. */
  readonly warn: (message: string) => void;
  readonly now: () => number;
}

/** A checked option (see `resolveWebSettings`). */
export function positive(value: unknown, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw optionError(option, 'must be a number > 0');
  }
  return value;
}

/** A checked option (see `resolveWebSettings`). */
export function boolean(value: unknown, fallback: boolean, option: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw optionError(option, 'must be a boolean');
  return value;
}

/** A checked option (see `resolveWebSettings`). */
export function fn<F>(value: unknown, fallback: F, option: string): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw optionError(option, 'must be a function');
  return value as F;
}

/** A checked option (see `resolveWebSettings`). */
export function text(value: unknown, fallback: string, option: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw optionError(option, 'must be a string');
  return value;
}

function resolveClient(value: unknown): Authnzerver {
  const client = value as Authnzerver | null | undefined;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof (client.sessionExists as unknown) !== 'function'
  ) {
    throw optionError('client', 'must be an Authnzerver client (new Authnzerver(...))');
  }
  return client;
}

function resolveOrigins(origin: WebAuthOptions['origin']): readonly string[] | null {
  if (origin === undefined) return null;
  const list: readonly unknown[] =
    typeof origin === 'string' ? [origin] : Array.isArray(origin) ? origin : [origin];
  if (list.length === 0) throw optionError('origin', 'give at least one origin');
  return Object.freeze(
    list.map((o, i) => {
      const normal = typeof o === 'string' ? normalizeOrigin(o) : null;
      if (normal === null) {
        throw optionError(
          `origin${list.length > 1 ? `[${i}]` : ''}`,
          'must be scheme://host[:port]',
        );
      }
      return normal;
    }),
  );
}

function resolveEmail(ev: WebAuthOptions['emailVerification']): EmailSettings | null {
  if (ev === undefined) return null;
  return Object.freeze({
    sealer: fernetSealer(ev.secret, 'emailVerification.secret'),
    ttlSeconds: positive(ev.ttlSeconds, 7200, 'emailVerification.ttlSeconds'),
    url: fn(
      ev.url,
      (token: string, origin: string) =>
        `${origin}/verify-email?token=${encodeURIComponent(token)}`,
      'emailVerification.url',
    ),
    subject: text(ev.subject, 'Verify your email address', 'emailVerification.subject'),
    appName: text(ev.appName, 'authnzerver', 'emailVerification.appName'),
    notifyExisting: boolean(ev.notifyExisting, true, 'emailVerification.notifyExisting'),
    loginUrl: fn(ev.loginUrl, (origin: string) => `${origin}/login`, 'emailVerification.loginUrl'),
  });
}

/** The `store` option: a store, or this process's memory on the layer's clock. */
function resolveStore(store: AuthStore | undefined, now: () => number): AuthStore {
  if (store === undefined) return memoryStore({ now });
  const s = store as Partial<AuthStore> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.increment !== 'function' ||
    typeof s.get !== 'function' ||
    typeof s.set !== 'function' ||
    typeof s.delete !== 'function' ||
    (s.whenDown !== 'closed' && s.whenDown !== 'open')
  ) {
    throw optionError(
      'store',
      "must be a store (memoryStore(), redisStore(...), or an object with increment(), get(), set(), delete() and whenDown 'closed' or 'open')",
    );
  }
  return store;
}

/**
 * Checks `createWebAuth`'s options and gives the frozen settings.
 *
 * @throws {ConfigError} naming the option when one is missing, malformed or unknown (a secret is never shown).
 */
export function resolveWebSettings(options: WebAuthOptions): WebSettings {
  checkWebAuthKeys(options);
  if (typeof (options as unknown) !== 'object' || (options as unknown) === null) {
    throw optionError('options', 'must be an object with at least `client`');
  }
  const client = resolveClient(options.client);
  const csrf = options.csrf ?? {};
  const logger = options.logger;
  const cache = options.cache;
  const now = fn(options.now, Date.now, 'now');
  return Object.freeze({
    client,
    cookie: new SessionCookie(options.cookie),
    clientIp: clientIp(options.trustProxy ?? false),
    trustsProxy: (options.trustProxy ?? false) !== false,
    origins: resolveOrigins(options.origin),
    csrf: new OriginCheck(csrf.trustedOrigins ?? [], csrf.allowMissingOrigin ?? false),
    csrfEnabled: boolean(csrf.enabled, true, 'csrf.enabled'),
    anonymousSeconds: positive(
      options.sessions?.anonymousSeconds,
      DAY,
      'sessions.anonymousSeconds',
    ),
    userSeconds: positive(
      options.sessions?.userSeconds,
      LIFETIME_DEFAULTS.userSeconds,
      'sessions.userSeconds',
    ),
    lifetime: resolveLifetime(options.sessions),
    apiKeys: options.apiKeys === undefined ? null : new ApiKeys(options.apiKeys, client),
    email: resolveEmail(options.emailVerification),
    passwordReset: resolvePasswordReset(options),
    mailer: options.mailer ?? consoleMailer(),
    cache: cache === undefined || cache === false ? null : resolveCacheSettings(cache),
    warn: (message: string) => {
      logger?.warn?.(`authnzerver/web: ${message}`);
    },
    store: resolveStore(options.store, now),
    loginThrottle: resolveLoginThrottle(options),
    now,
  });
}
