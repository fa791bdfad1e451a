/**
 * The sans-IO core of one call, written once for every driver (async, sync, a test's script): after
 * `prepareCall` has checked the request, `callSteps` runs the attempts. It asks its driver, as {@link Step}s,
 * for everything that needs a key or waiting: sealing the request, each send, opening each reply, each pause. It
 * reads replies into tuples (`reply.ts`), asks the retry policy (`retry.ts`) what to do after each failed
 * attempt, and tells its {@link Observer} what happens. Time and randomness come in through {@link CallEnv}: it
 * reads no clock, makes no random number, holds no key and does no I/O of its own.
 */
import { redactReply, redactRequest } from './envelope.js';
import type { Observer } from './observe.js';
import { interpret, type Reading } from './reply.js';
import { noReply, type ResponseTuple } from './result.js';
import { nextAttempt, retryReason, type RetryDecision } from './retry.js';
import type { CallConfig, PreparedCall } from './request.js';
import type { Opened, Sent, Step, StepResult } from './steps.js';

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
}

export type CallSteps = Generator<Step, ResponseTuple<unknown, unknown>, StepResult>;

/** Whether a failed send may have reached the server. */
function mayHaveArrived(sent: Sent): boolean {
  return sent.outcome.ok || sent.outcome.failure.delivery === 'maybe-sent';
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

  const wire = (yield { kind: 'seal', plaintext: call.plaintext }) as string;
  let sentBefore = false;
  let attempt = 0;
  let reading: Reading;
  let decision: RetryDecision;
  for (;;) {
    attempt++;
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
    const opened =
      outcome.ok && outcome.response.status === 200
        ? ((yield { kind: 'open', body: outcome.response.body }) as Opened)
        : undefined;
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
    decision = nextAttempt({
      reason,
      retryAfter: result.failure === 'rate-limited' ? result.retryAfter : null,
      attempt,
      sideEffects: call.sideEffects,
      policy: call.policy,
      attemptMs: ended - started,
      remainingMs: deadlineAt - ended,
      // A random number only where a retry may follow.
      jitter: reason === undefined ? 0 : env.random(),
    });
    if (!decision.retry) break;
    observer?.emit({
      kind: 'retry',
      type,
      reqid,
      attempt: attempt + 1,
      delayMs: decision.delayMs,
      reason: decision.reason,
      result,
    });
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
