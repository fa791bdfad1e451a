/**
 * The settings of the failed-log-in throttle (`login-throttle.ts`): the `loginThrottle` option checked once, with
 * its defaults, and the hash that turns an email address or a client address into a store key (HMAC-SHA256 under
 * `loginThrottle.secret`, else SHA-256), so that the store never holds either in clear.
 */
import { encodeBase64Url } from '../crypto/fernet-format.js';
import { MIN_SIGNING_BYTES } from './crypto.js';
import { optionError } from './option-keys.js';
import type { LoginThrottleOptions, LoginWindowOptions, WebAuthOptions } from './options.js';
import { positive } from './settings.js';

/** One count's threshold and window. */
export interface ThrottleWindow {
  /** Failed attempts allowed in a window; the next attempt is refused until the window ends. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** The throttle's settings. */
export interface LoginThrottleSettings {
  /** The count per email address; null when it is off. */
  readonly perEmail: ThrottleWindow | null;
  /** The count per client address (an IPv6 address by its /64); null when it is off. */
  readonly perIp: ThrottleWindow | null;
  /** The store key's hash of a text: url-safe base64, 43 characters. */
  readonly hash: (text: string) => Promise<string>;
}

/**
 * The defaults, from the auth server's own: it locks an account after `userlocktries` (10) failed log-ins for
 * `userlocktime` (3600 s), and lets one client address make 10 `user-login` calls a minute. Both are kept per
 * server process; here they hold for the whole fleet.
 */
export const LOGIN_THROTTLE_DEFAULTS = Object.freeze({
  perEmail: Object.freeze({ maxFailures: 10, windowSeconds: 3600 }),
  perIp: Object.freeze({ maxFailures: 10, windowSeconds: 60 }),
});

const encoder = new TextEncoder();

/** The hash of store keys: HMAC-SHA256 under the secret, or SHA-256 without one. */
function hasher(secret: string | Uint8Array | undefined): (text: string) => Promise<string> {
  if (secret === undefined) {
    return async (text) =>
      encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
  }
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret);
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  return async (text) => {
    key ??= crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(text));
    return encodeBase64Url(new Uint8Array(mac));
  };
}

/** One count's option: its window, the defaults, or null for `false`. */
function resolveWindow(
  value: false | LoginWindowOptions | undefined,
  defaults: { readonly maxFailures: number; readonly windowSeconds: number },
  option: string,
): ThrottleWindow | null {
  if (value === false) return null;
  if (
    value !== undefined &&
    (typeof (value as unknown) !== 'object' || (value as unknown) === null)
  ) {
    throw optionError(option, 'must be an object ({ maxFailures, windowSeconds }) or false');
  }
  const max = value?.maxFailures ?? defaults.maxFailures;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw optionError(`${option}.maxFailures`, 'must be a whole number ≥ 1');
  }
  const seconds = positive(value?.windowSeconds, defaults.windowSeconds, `${option}.windowSeconds`);
  return Object.freeze({ maxFailures: max, windowMs: Math.ceil(seconds * 1000) });
}

/** The secret of the hash: a string or bytes, at least 32 bytes, or none. */
function resolveSecret(value: unknown): string | Uint8Array | undefined {
  if (value === undefined) return undefined;
  const bytes =
    typeof value === 'string'
      ? encoder.encode(value).length
      : value instanceof Uint8Array
        ? value.length
        : -1;
  if (bytes < 0) throw optionError('loginThrottle.secret', 'must be a string or a Uint8Array');
  if (bytes < MIN_SIGNING_BYTES) {
    throw optionError('loginThrottle.secret', `must be at least ${MIN_SIGNING_BYTES} bytes`);
  }
  return value as string | Uint8Array;
}

/**
 * Checks the `loginThrottle` option: null for `false` (or both counts off), else the settings with defaults.
 *
 * @throws {ConfigError} naming the option when it is malformed (a secret is never shown).
 */
export function resolveLoginThrottle(options: WebAuthOptions): LoginThrottleSettings | null {
  const lt: false | LoginThrottleOptions | undefined = options.loginThrottle;
  if (lt === false) return null;
  if (lt !== undefined && (typeof (lt as unknown) !== 'object' || (lt as unknown) === null)) {
    throw optionError('loginThrottle', 'must be an object or false');
  }
  const perEmail = resolveWindow(
    lt?.perEmail,
    LOGIN_THROTTLE_DEFAULTS.perEmail,
    'loginThrottle.perEmail',
  );
  const perIp = resolveWindow(lt?.perIp, LOGIN_THROTTLE_DEFAULTS.perIp, 'loginThrottle.perIp');
  const secret = resolveSecret(lt?.secret);
  if (perEmail === null && perIp === null) return null;
  return Object.freeze({ perEmail, perIp, hash: hasher(secret) });
}
