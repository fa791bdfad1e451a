/**
 * The session lifetime policy's settings (`sessions` in `createWebAuth`'s options), checked once with their
 * defaults: the idle timeouts, how often "last seen" is written, remember-me, token rotation and the size limit of
 * session data. The reasons for each default are in docs/web.md, "Session lifetime".
 */
import { optionError } from './option-keys.js';
import { invalidInput } from './failure.js';
import type { SessionLifetimes } from './options.js';
import type { AuthFailure } from './types.js';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** The defaults of the policy, in seconds (and bytes for `maxDataBytes`). */
export const LIFETIME_DEFAULTS = Object.freeze({
  userSeconds: 12 * HOUR,
  idleSeconds: 30 * MINUTE,
  touchSeconds: MINUTE,
  rememberSeconds: 30 * DAY,
  rememberIdleSeconds: 7 * DAY,
  rotationAfter: 0.5,
  graceSeconds: 30,
  maxDataBytes: 4096,
});

/** The lifetime policy, checked, with its defaults. */
export interface LifetimeSettings {
  /** The idle timeout of a session without remember-me, or null for none. */
  readonly idleSeconds: number | null;
  /** The shortest time between two writes of `az_seen` to one session. */
  readonly touchSeconds: number;
  /** Remembered sessions, or null when `login({ remember: true })` gives an ordinary session. */
  readonly remember: { readonly seconds: number; readonly idleSeconds: number | null } | null;
  /** Token rotation, or null when it is off. */
  readonly rotation: { readonly after: number; readonly graceSeconds: number } | null;
  /** The grace of a token already rotated out (rotation's, or its default when rotation is off now). */
  readonly graceSeconds: number;
  readonly maxDataBytes: number;
}

function seconds(value: unknown, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw optionError(option, 'must be a number of seconds > 0');
  }
  return value;
}

function secondsOrOff(value: unknown, fallback: number, option: string): number | null {
  if (value === false) return null;
  return seconds(value, fallback, option);
}

function objectOrOff(value: unknown, option: string): Readonly<Record<string, unknown>> | null {
  if (value === false) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(option, 'must be false or an object');
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * Checks the lifetime policy's options and applies the defaults.
 * @throws {ConfigError} naming the option when one is malformed.
 */
export function resolveLifetime(sessions: SessionLifetimes | undefined): LifetimeSettings {
  const s = sessions ?? {};
  const d = LIFETIME_DEFAULTS;
  const idleSeconds = secondsOrOff(s.idleSeconds, d.idleSeconds, 'sessions.idleSeconds');
  const touchSeconds = seconds(s.touchSeconds, d.touchSeconds, 'sessions.touchSeconds');
  const rememberOptions =
    s.rememberMe === undefined ? {} : objectOrOff(s.rememberMe, 'sessions.rememberMe');
  const remember =
    rememberOptions === null
      ? null
      : Object.freeze({
          seconds: seconds(
            rememberOptions.seconds,
            d.rememberSeconds,
            'sessions.rememberMe.seconds',
          ),
          idleSeconds: secondsOrOff(
            rememberOptions.idleSeconds,
            d.rememberIdleSeconds,
            'sessions.rememberMe.idleSeconds',
          ),
        });
  for (const [idle, option] of [
    [idleSeconds, 'sessions.idleSeconds'],
    [remember?.idleSeconds ?? null, 'sessions.rememberMe.idleSeconds'],
  ] as const) {
    if (idle !== null && touchSeconds >= idle) {
      throw optionError('sessions.touchSeconds', `must be shorter than ${option}`);
    }
  }
  const rotationOptions =
    s.rotation === undefined ? null : objectOrOff(s.rotation, 'sessions.rotation');
  let rotation: LifetimeSettings['rotation'] = null;
  if (rotationOptions !== null) {
    const after = rotationOptions.after ?? d.rotationAfter;
    if (typeof after !== 'number' || !(after > 0 && after < 1)) {
      throw optionError('sessions.rotation.after', 'must be a fraction between 0 and 1');
    }
    const grace = seconds(
      rotationOptions.graceSeconds,
      d.graceSeconds,
      'sessions.rotation.graceSeconds',
    );
    rotation = Object.freeze({ after, graceSeconds: grace });
  }
  const maxDataBytes = s.maxDataBytes ?? d.maxDataBytes;
  if (!Number.isInteger(maxDataBytes) || maxDataBytes < 2) {
    throw optionError('sessions.maxDataBytes', 'must be a whole number of bytes ≥ 2');
  }
  return Object.freeze({
    idleSeconds,
    touchSeconds,
    remember,
    rotation,
    graceSeconds: rotation?.graceSeconds ?? d.graceSeconds,
    maxDataBytes,
  });
}

/** The session's `extra_info_json` keys the SDK owns: an app's data may not use the prefix. */
export const SDK_PREFIX = 'az_';
/** When the session was last seen (written at most every `touchSeconds`), in epoch seconds. */
export const SEEN = 'az_seen';
/** Whether the session was made with remember-me. */
export const REMEMBER = 'az_remember';
/** When the session's token was rotated out (it then works for the grace only), in epoch seconds. */
export const ROTATED = 'az_rotated';

/** What `newSession` may be told beyond the user: remember-me, a fixed expiry, data to carry over. */
export interface NewSessionOptions {
  readonly remember?: boolean | undefined;
  /** The expiry, in epoch milliseconds (a rotated token keeps its session's). Default: now + the lifetime. */
  readonly expiresMs?: number | undefined;
  /** Data to put in the new session's `extra_info_json` (the marks are set over it). */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/** The lifetime of a new user session. */
export function userSessionSeconds(
  settings: { readonly userSeconds: number; readonly lifetime: LifetimeSettings },
  remember: boolean,
): number {
  const r = settings.lifetime.remember;
  return remember && r !== null ? r.seconds : settings.userSeconds;
}

/** The SDK's marks in a new user session: seen now, remembered or not. */
export function sessionMarks(nowMs: number, remember: boolean): Record<string, unknown> {
  return { [SEEN]: Math.floor(nowMs / 1000), [REMEMBER]: remember };
}

/**
 * `login`'s `remember`: a boolean (default false; false when remember-me is off), or the 400 that names it.
 */
export function rememberOf(
  settings: { readonly lifetime: LifetimeSettings },
  options: unknown,
): boolean | AuthFailure {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return invalidInput('login options must be an object');
  }
  const remember = (options as { remember?: unknown }).remember;
  if (remember !== undefined && typeof remember !== 'boolean') {
    return invalidInput('remember must be true or false');
  }
  return remember === true && settings.lifetime.remember !== null;
}
