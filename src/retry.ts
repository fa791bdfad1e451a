import type { SideEffects } from './spec.js';

/**
 * When to send a request again. authnzerver has no server-side deduplication and counts every failed log-in
 * towards locking the account, so the policy depends on the request type's side effects (from the catalogue):
 *
 * - a `read` type is retried on transient failures: a reset or closed connection, HTTP 502, 503 or 504, and an
 *   attempt that got no headers within `attemptTimeout`;
 * - a `write` type is retried only when the request provably never left: connection refused, DNS failure, a
 *   failed TLS handshake, a connect timeout;
 * - an HTTP 429 (the server refuses before running anything) comes back at once with `retryAfter`, unless
 *   `waitOnRateLimit` is set and the wait fits in the deadline.
 *
 * Every retry stays inside the call's one deadline.
 */
export interface RetryOptions {
  /** How many times a call may be sent again after its first attempt. @default 2 */
  readonly retries?: number;
  /** The base of the exponential backoff, in milliseconds (full jitter). @default 100 */
  readonly backoff?: number;
  /** The longest wait between attempts, in milliseconds. @default 2000 */
  readonly maxBackoff?: number;
  /**
   * The longest one attempt of a `read` type may wait for the reply's headers before it is abandoned and sent
   * again, in milliseconds. Without it, an attempt may use the rest of the call's deadline.
   * @default undefined
   */
  readonly attemptTimeout?: number;
  /** Wait out an HTTP 429 for `Retry-After` seconds when that fits in the deadline, then send again. @default false */
  readonly waitOnRateLimit?: boolean;
}

export type ResolvedRetry = Required<Omit<RetryOptions, 'attemptTimeout'>> & {
  readonly attemptTimeout: number | undefined;
};

export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({
  retries: 2,
  backoff: 100,
  maxBackoff: 2000,
  attemptTimeout: undefined,
  waitOnRateLimit: false,
});

/** `false` turns retries off. */
export const NO_RETRY: ResolvedRetry = Object.freeze({ ...DEFAULT_RETRY, retries: 0 });

/** Merges retry options over a base; `false` means no retries. Throws a `RangeError` naming a bad field. */
export function mergeRetry(
  base: ResolvedRetry,
  options: RetryOptions | false | undefined,
): ResolvedRetry {
  if (options === undefined) return base;
  if (options === false) return NO_RETRY;
  const check = (name: keyof RetryOptions, value: number | undefined, integer: boolean): void => {
    if (value === undefined) return;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      (integer && !Number.isInteger(value))
    ) {
      throw new RangeError(
        `retry.${name} must be a non-negative ${integer ? 'integer' : 'number'}`,
      );
    }
  };
  check('retries', options.retries, true);
  check('backoff', options.backoff, false);
  check('maxBackoff', options.maxBackoff, false);
  check('attemptTimeout', options.attemptTimeout, false);
  return {
    retries: options.retries ?? base.retries,
    backoff: options.backoff ?? base.backoff,
    maxBackoff: options.maxBackoff ?? base.maxBackoff,
    attemptTimeout: options.attemptTimeout ?? base.attemptTimeout,
    waitOnRateLimit: options.waitOnRateLimit ?? base.waitOnRateLimit,
  };
}

/**
 * Why a failed attempt could be sent again:
 * - `not-sent`: it provably never reached the server;
 * - `transient`: it may have reached the server, and the failure is one that passes (reset, 502/503/504, no
 *   headers within the attempt timeout);
 * - `rate-limited`: HTTP 429, refused before the server ran anything.
 */
export type RetryReason = 'not-sent' | 'transient' | 'rate-limited';

/** Whether a request type may be sent again for this reason. */
export function mayRetry(
  sideEffects: SideEffects,
  reason: RetryReason,
  policy: ResolvedRetry,
): boolean {
  switch (reason) {
    case 'not-sent':
      return true;
    case 'transient':
      return sideEffects === 'read';
    case 'rate-limited':
      return policy.waitOnRateLimit;
  }
}

/** The wait before attempt `attempt + 1` (attempt counts from 1): full jitter over an exponential ceiling. */
export function backoffDelay(
  attempt: number,
  policy: ResolvedRetry,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxBackoff, policy.backoff * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
