import { optionShape, type OptionShape, type Resolved } from './options.js';
import type { SideEffects } from './spec.js';
import type { Sent } from './steps.js';
import { isCertificateRejection } from './outcome.js';
import type { FailureKind } from './result.js';

/**
 * When to send a request again. authnzerver has no server-side deduplication and counts every failed log-in
 * towards locking the account, so the policy depends on the request type's side effects (from the catalogue):
 *
 * - a `read` type is retried on transient failures: a reset or closed connection, HTTP 502, 503 or 504, and an
 *   attempt that got no headers within `attemptTimeout` (2 s by default, within the call's 5 s deadline);
 * - a `write` type is retried only when the request provably never left: connection refused, DNS failure, a
 *   failed TLS handshake, a connect timeout;
 * - an HTTP 429 (the server refuses before running anything) comes back at once with `retryAfter`, unless
 *   `waitOnRateLimit` is set and the wait fits in the deadline;
 * - the server's HTTP 401 refusal (it could not decrypt the request) is sent again with another key when
 *   `secret` lists several: that rule is `keys.ts`'s. Any other 401 is final.
 *
 * Every retry stays inside the call's one deadline.
 */
export interface RetryOptions {
  /** How many times a call may be sent again after its first attempt. @default 2 */
  readonly retries?: number | undefined;
  /** The base of the exponential backoff, in milliseconds (full jitter). @default 100 */
  readonly backoff?: number | undefined;
  /** The longest wait between attempts, in milliseconds. @default 2000 */
  readonly maxBackoff?: number | undefined;
  /**
   * The longest one attempt of a `read` type may wait for the reply's headers before it is abandoned and sent
   * again, in milliseconds; `0` turns it off (an attempt may then use the rest of the call's deadline). It is
   * below the 4 s that a stopping authnzerver holds the requests in flight on it before they fail with 502, so
   * that a read caught there is sent again with time left to reach another server. The last attempt the
   * `retries` allow has none: abandoning it could only turn a late answer into a failure. A write has none.
   * @default 2000
   */
  readonly attemptTimeout?: number | undefined;
  /** Wait out an HTTP 429 for `Retry-After` seconds when that fits in the deadline, then send again. @default false */
  readonly waitOnRateLimit?: boolean | undefined;
}

/** The known keys of `retry` (see `options.ts`). */
export const RETRY_OPTIONS: OptionShape = optionShape<RetryOptions>({
  retries: true,
  backoff: true,
  maxBackoff: true,
  attemptTimeout: true,
  waitOnRateLimit: true,
});

export type ResolvedRetry = Resolved<Omit<RetryOptions, 'attemptTimeout'>> & {
  readonly attemptTimeout: number | undefined;
};

export const DEFAULT_RETRY: ResolvedRetry = Object.freeze({
  retries: 2,
  backoff: 100,
  maxBackoff: 2000,
  attemptTimeout: 2000,
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
 * - `rate-limited`: HTTP 429, refused before the server ran anything;
 * - `key-refused`: the server's HTTP 401 refusal: it could not decrypt the request, so it ran nothing, and
 *   another of the client's keys may work (`keys.ts` decides).
 */
export type RetryReason = 'not-sent' | 'transient' | 'rate-limited' | 'key-refused';

/** The reasons this policy decides on: all but `key-refused`, which is `keys.ts`'s. */
export type PolicyReason = Exclude<RetryReason, 'key-refused'>;

/** Statuses that pass: a proxy or the server restarting. */
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/**
 * Why the attempt that gave `sent` could be sent again, or undefined when nothing about it passes:
 * - an HTTP 429 is `rate-limited`; a 502, 503 or 504 is `transient`; any other reply is final (the server's 401
 *   refusal is read before, by `keys.ts`);
 * - a failure at the caller's signal, at the call's deadline, over the size cap, or on bytes that are not HTTP
 *   is final;
 * - one that provably never left is `not-sent`, unless it is a refused certificate (sending again cannot help);
 * - an attempt timeout before the headers, and a network failure, are `transient`;
 * - a reply that says the server's database failed (`database-error`) is `transient`.
 */
export function retryReason(sent: Sent, kind?: FailureKind | null): PolicyReason | undefined {
  const outcome = sent.outcome;
  // The server ran it and its database failed: nothing was done, but it reached the server (reads only).
  if (kind === 'database-error') return 'transient';
  if (outcome.ok) {
    const status = outcome.response.status;
    if (status === 429) return 'rate-limited';
    return TRANSIENT_STATUSES.has(status) ? 'transient' : undefined;
  }
  const failure = outcome.failure;
  if (
    failure.kind === 'aborted' ||
    failure.kind === 'too-large' ||
    failure.kind === 'invalid-response' ||
    sent.expired === 'deadline'
  )
    return undefined;
  if (failure.delivery === 'not-sent')
    return isCertificateRejection(failure.code) ? undefined : 'not-sent';
  if (sent.expired === 'attempt') return failure.gotHeaders ? undefined : 'transient';
  return failure.kind === 'network' ? 'transient' : undefined;
}

/** What is known when an attempt has failed, for {@link nextAttempt}. */
export interface RetryInput {
  /** From {@link retryReason}; undefined when the attempt is final. */
  readonly reason: PolicyReason | undefined;
  /** The server's `Retry-After` in seconds, for a 429 (null when it sent none). */
  readonly retryAfter: number | null;
  /** How many attempts were made so far (1 after the first). */
  readonly attempt: number;
  readonly sideEffects: SideEffects;
  readonly policy: ResolvedRetry;
  /** How long the attempt that just ended took, in milliseconds. */
  readonly attemptMs: number;
  /** What is left of the call's deadline, in milliseconds. */
  readonly remainingMs: number;
  /** A number in [0, 1), for the backoff's jitter. */
  readonly jitter: number;
}

/**
 * Why a call stops sending. `keys-refused`: the server refused every key of `secret` (a list of more than one);
 * with a single key, its refusal is `final`, as any other final reply.
 */
export type StopReason =
  'final' | 'retries-exhausted' | 'unsafe' | 'rate-limited' | 'no-time' | 'keys-refused';

/** The one retry decision: stop, or sleep `delayMs` and send again. */
export type RetryDecision =
  | { readonly retry: false; readonly why: StopReason }
  | { readonly retry: true; readonly delayMs: number; readonly reason: RetryReason };

/**
 * The retry policy in one pure function. An attempt is sent again only when it has a reason to be
 * ({@link retryReason}), retries are left, the request type's side effects allow it ({@link mayRetry}), and the
 * wait plus the time another attempt needs fits in what is left of the deadline. A 429 waits `Retry-After`
 * (without one it cannot be waited out); anything else waits a full-jitter exponential backoff. (The sends of a
 * key switch, `keys.ts`, are not counted in `attempt`.)
 */
export function nextAttempt(input: RetryInput): RetryDecision {
  const { reason, attempt, policy } = input;
  if (reason === undefined) return { retry: false, why: 'final' };
  if (attempt > policy.retries) return { retry: false, why: 'retries-exhausted' };
  if (!mayRetry(input.sideEffects, reason, policy))
    return { retry: false, why: reason === 'rate-limited' ? 'rate-limited' : 'unsafe' };
  const delayMs =
    reason === 'rate-limited'
      ? input.retryAfter === null
        ? Number.POSITIVE_INFINITY
        : input.retryAfter * 1000
      : backoffDelay(attempt, policy, () => input.jitter);
  if (!fitsInDeadline(delayMs, input.attemptMs, input.remainingMs))
    return { retry: false, why: 'no-time' };
  return { retry: true, delayMs, reason };
}

/**
 * Whether a wait of `delayMs` and another attempt fit in what is left of the deadline. The time another attempt
 * needs to be worth sending is twice what the last one took, within 10 to 50 ms: one that could only time out
 * would turn the server's last real answer into a timeout.
 */
export function fitsInDeadline(delayMs: number, attemptMs: number, remainingMs: number): boolean {
  return delayMs + Math.min(50, Math.max(10, 2 * attemptMs)) < remainingMs;
}

/** Whether a request type may be sent again for this reason. */
export function mayRetry(
  sideEffects: SideEffects,
  reason: PolicyReason,
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
