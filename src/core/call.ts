/**
 * The sans-IO core of one call, written once for every driver (async, sync, a test's script): after
 * `prepareCall` has checked the request, `callSteps` runs the attempts. It asks its driver, as {@link Step}s,
 * for everything that needs a key or waiting: sealing the request, each send, opening each reply, each pause. It
 * reads replies into tuples (`reply.ts`), asks the retry policy (`retry.ts`) what to do after each failed
 * attempt, and tells its {@link Observer} what happens. Time and randomness come in through {@link CallEnv}: it
 * reads no clock, makes no random number, holds no key and does no I/O of its own.
 *
 * With several keys (`secret` as a list), it chooses which one seals each attempt: the one the client's
 * {@link KeyRing} remembers, then, after the server's 401 refusal (it could not decrypt), each other key in the
 * list's order. It opens a reply with the key that sealed the request, then with the others.
 *
 * When every key has been refused once, the call goes on: behind a load balancer, a fleet in the middle of a
 * rotation has servers holding different keys, and each send may reach another one. It then picks a key at
 * random for each send (strict turns could fall into step with a load balancer's round robin and meet the wrong
 * server every time), up to {@link KEY_ROUNDS} refused sends per key. A call that used all of them marks the
 * client's ring (`allRefused`): until a key is accepted again, calls try each key once, so a wrong secret costs
 * one send per key after the first call.
 */
import { redactReply, redactRequest } from './envelope.js';
import type { Observer } from '../observe/observer.js';
import { interpret, type Reading } from './reply.js';
import { noReply, type ResponseTuple } from './result.js';
import { nextAttempt, retryReason, type RetryDecision } from './retry.js';
import type { CallConfig, PreparedCall } from './request.js';
import { FernetTokenError } from './errors.js';
import {
  keyRing,
  type KeyRing,
  type Opened,
  type Sent,
  type Step,
  type StepResult,
} from './steps.js';

/** What the core needs from outside. */
export interface CallEnv {
  /** A monotonic clock, in milliseconds. */
  now(): number;
  /** The time now in epoch milliseconds (for a `Retry-After` given as a date). */
  readonly date: () => number;
  /** A number in [0, 1), for the backoff's jitter. */
  random(): number;
  /** Where events go; undefined when nobody listens. */
  readonly observer: Observer | undefined;
  /** The client's keys: how many, which one to seal with first; the core updates it. @default one key */
  readonly keys?: KeyRing;
}

export type CallSteps = Generator<Step, ResponseTuple<unknown, unknown>, StepResult>;

/** Whether a failed send may have reached the server. */
function mayHaveArrived(sent: Sent): boolean {
  return sent.outcome.ok || sent.outcome.failure.delivery === 'maybe-sent';
}

/**
 * Opens a 200 reply that the key which sealed the request could not open (`first`; the server answers with the
 * key it decrypted with): with each other key, while the error is a key mismatch.
 */
function* openWithOthers(
  body: string,
  key: number,
  size: number,
  first: Opened,
): Generator<Step, Opened, StepResult> {
  for (let other = 0; other < size; other++) {
    if (other === key) continue;
    const opened = (yield { kind: 'open', body, key: other }) as Opened;
    if (opened.ok || !FernetTokenError.is(opened.error)) return opened;
  }
  return first;
}

/**
 * How many refused sends per key a call may make (unless its client's ring is `allRefused`): with two keys and a
 * fleet split in half, a call then fails only if 32 sends in a row meet the wrong server (2^-32).
 */
export const KEY_ROUNDS = 16;

/**
 * The key to send with after a refusal: the first, in the list's order, this call has not tried; once all were,
 * a random one (see {@link KEY_ROUNDS}); -1 when the call should stop.
 */
function nextKey(
  tried: readonly boolean[],
  refusals: number,
  ring: KeyRing,
  random: () => number,
): number {
  for (let key = 0; key < ring.size; key++) if (tried[key] !== true) return key;
  if (ring.size < 2 || ring.allRefused || refusals >= ring.size * KEY_ROUNDS) return -1;
  return Math.min(ring.size - 1, Math.floor(random() * ring.size));
}

/** The steps of one prepared call, ending in its tuple. */
export function* callSteps(config: CallConfig, call: PreparedCall, env: CallEnv): CallSteps {
  const { type, reqid, spec, timeout } = call;
  const observer = env.observer;
  const origin = config.url.origin;
  const deadlineAt = env.now() + timeout;
  const requestEnvelope =
    observer?.detailed === true
      ? redactRequest(call.envelope, spec?.secrets.body ?? [])
      : undefined;

  const ring = env.keys ?? keyRing(1);
  let key = ring.current < ring.size ? ring.current : 0;
  /** The wire text under each key tried so far; `tried[k]`: key k was sent. */
  const wires: (string | undefined)[] = [];
  const tried: boolean[] = [];
  /** How many keys this call has sent with. */
  let triedCount = 0;
  /** Sends the server refused (it could not decrypt them): they do not use up `retries`. */
  let keySwitches = 0;
  let sentBefore = false;
  let attempt = 0;
  let reading: Reading;
  let decision: RetryDecision;
  for (;;) {
    attempt++;
    let wire = wires[key];
    if (wire === undefined) {
      wire = (yield { kind: 'seal', plaintext: call.plaintext, key }) as string;
      wires[key] = wire;
    }
    if (tried[key] !== true) {
      tried[key] = true;
      triedCount++;
    }
    observer?.emit({ kind: 'attempt', type, reqid, attempt, envelope: requestEnvelope });
    const started = env.now();
    const sent = (yield {
      kind: 'send',
      request: {
        url: config.url,
        wire,
        maxResponseBytes: config.maxResponseBytes,
        attemptTimeout: call.attemptTimeout,
        remaining: deadlineAt - started,
        timeout,
      },
    }) as Sent;
    const ended = env.now();
    const outcome = sent.outcome;
    let opened: Opened | undefined;
    if (outcome.ok && outcome.response.status === 200) {
      // With the key that sealed the request first; the others only when it cannot (a rotation).
      const body = outcome.response.body;
      opened = (yield { kind: 'open', body, key }) as Opened;
      if (!opened.ok && ring.size > 1 && FernetTokenError.is(opened.error))
        opened = yield* openWithOthers(body, key, ring.size, opened);
    }
    // The server decrypted this request: its key is the one to start with next time.
    if (opened?.ok === true && ring.size > 1) {
      ring.current = key;
      ring.allRefused = false;
    }
    reading = interpret(outcome, opened, {
      spec,
      type,
      reqid,
      attempt,
      validate: call.validate,
      origin,
      sentBefore,
      date: env.date,
    });
    if (mayHaveArrived(sent)) sentBefore = true;
    const result = reading.result;
    if (observer !== undefined) {
      observer.emit({
        kind: 'reply',
        type,
        reqid,
        attempt,
        statusCode: sent.outcome.ok
          ? sent.outcome.response.status
          : (sent.outcome.failure.status ?? null),
        durationMs: Math.round((ended - started) * 1000) / 1000,
        envelope:
          observer.detailed && reading.envelope !== null
            ? redactReply(reading.envelope, spec?.secrets.response ?? [])
            : null,
        result,
      });
    }
    const reason = retryReason(sent);
    const next =
      reason === 'key-refused' ? nextKey(tried, keySwitches + 1, ring, () => env.random()) : -1;
    decision = nextAttempt({
      reason,
      retryAfter: result.failure === 'rate-limited' ? result.retryAfter : null,
      attempt: attempt - keySwitches,
      keys: { tried: triedCount, left: next < 0 ? 0 : 1 },
      sideEffects: call.sideEffects,
      policy: call.policy,
      attemptMs: ended - started,
      remainingMs: deadlineAt - ended,
      // A random number only where a retry may follow.
      jitter: reason === undefined ? 0 : env.random(),
    });
    if (!decision.retry) {
      if (decision.why === 'keys-refused' && ring.size > 1) ring.allRefused = true;
      break;
    }
    observer?.emit({
      kind: 'retry',
      type,
      reqid,
      attempt: attempt + 1,
      delayMs: decision.delayMs,
      reason: decision.reason,
      result,
    });
    if (decision.reason === 'key-refused') {
      // No pause: the server answered at once, and ran nothing. The next key goes out now.
      key = next;
      keySwitches++;
      ring.extraRoundTrips++;
      continue;
    }
    const slept = (yield { kind: 'sleep', ms: decision.delayMs }) as boolean;
    if (!slept) {
      const aborted = noReply(
        'aborted',
        'the request was aborted',
        sentBefore ? 'maybe-sent' : 'not-sent',
        {
          reqid,
          attempts: attempt,
          headers: null,
          statusCode: null,
        },
      );
      observer?.emit({
        kind: 'end',
        type,
        reqid,
        attempts: attempt,
        stop: 'aborted',
        result: aborted,
      });
      return aborted;
    }
  }
  observer?.emit({
    kind: 'end',
    type,
    reqid,
    attempts: attempt,
    stop: decision.why,
    result: reading.result,
  });
  return reading.result;
}
