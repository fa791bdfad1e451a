/**
 * The sans-IO core of one call, written once for every driver (async, sync, a test's script): after
 * `prepareCall` has checked the request, `callSteps` runs the attempts. It asks its driver, as {@link Step}s,
 * for everything that needs a key or waiting: sealing the request, each send, opening each reply, each pause. It
 * reads replies into tuples (`reply.ts`), asks the retry policy (`retry.ts`) what to do after each failed
 * attempt, and tells its {@link Observer} what happens (`events.ts`). Which key seals each attempt, and what to
 * do after the server's 401 refusal, is `keys.ts`'s. Time and randomness come in through {@link CallServices}: it
 * reads no clock, makes no random number, holds no key and does no I/O of its own.
 */
import { redactReply, redactRequest } from './envelope.js';
import type { Observer } from './events.js';
import { CallKeys, type KeyRing } from './keys.js';
import { readAttempt, type Reading } from './reply.js';
import { noReply, type ResponseTuple } from './result.js';
import {
  fitsInDeadline,
  nextAttempt,
  retryReason,
  type RetryDecision,
  type StopReason,
} from './retry.js';
import type { CallConfig, PreparedCall } from './request.js';
import type { Opened, Sent, Step, StepResult } from './steps.js';
import type { SchemaCompiler } from './validate.js';

/** What the core needs from outside: clocks, randomness, where events go, the client's keys. */
export interface CallServices {
  /** A monotonic clock, in milliseconds. */
  now(): number;
  /** The time now in epoch milliseconds (for a `Retry-After` given as a date). */
  readonly date: () => number;
  /** A number in [0, 1), for the backoff's jitter and a key picked at random. */
  random(): number;
  /** Where events go; undefined when nobody listens. */
  readonly observer: Observer | undefined;
  /** The client's keys: how many, which one to seal with first; the core updates it. @default one key */
  readonly keys?: KeyRing;
  /** zod's `compile`, for a reply schema checked often; none where the runtime forbids it. */
  readonly compileSchema?: SchemaCompiler | undefined;
}

export type CallSteps = Generator<Step, ResponseTuple<unknown, unknown>, StepResult>;

/** Whether a failed send may have reached the server. */
function mayHaveArrived(sent: Sent): boolean {
  return sent.outcome.ok || sent.outcome.failure.delivery === 'maybe-sent';
}

/** Tells the observer how an attempt ended (with the reply's envelope, redacted, when it is detailed). */
function emitReply(
  observer: Observer,
  call: PreparedCall,
  attempt: number,
  sent: Sent,
  durationMs: number,
  reading: Reading,
): void {
  const { outcome } = sent;
  observer.emit({
    kind: 'reply',
    type: call.type,
    reqid: call.reqid,
    attempt,
    statusCode: outcome.ok ? outcome.response.status : (outcome.failure.status ?? null),
    durationMs: Math.round(durationMs * 1000) / 1000,
    envelope:
      observer.detailed && reading.envelope !== null
        ? redactReply(reading.envelope, call.spec?.secrets.response ?? [])
        : null,
    result: reading.result,
  });
}

/** What to do after an attempt: `keys.ts` decides after the server's refusal, `retry.ts` after anything else. */
function decide(
  keys: CallKeys,
  call: PreparedCall,
  sent: Sent,
  result: ResponseTuple<unknown, unknown>,
  attempt: number,
  attemptMs: number,
  remainingMs: number,
  services: CallServices,
): RetryDecision {
  if (keys.refusedBy(sent.outcome)) {
    return keys.afterRefusal(fitsInDeadline(0, attemptMs, remainingMs), () => services.random());
  }
  const reason = retryReason(sent, result.failure);
  return nextAttempt({
    reason,
    retryAfter: result.failure === 'rate-limited' ? result.retryAfter : null,
    // The sends of a key switch do not use up `retries`.
    attempt: attempt - keys.switches,
    sideEffects: call.sideEffects,
    policy: call.policy,
    attemptMs,
    remainingMs,
    // A random number only where a retry may follow.
    jitter: reason === undefined ? 0 : services.random(),
  });
}

/** Tells the observer that the call is over, and why; returns its tuple. */
function end(
  observer: Observer | undefined,
  call: PreparedCall,
  attempts: number,
  stop: StopReason | 'aborted',
  result: ResponseTuple<unknown, unknown>,
): ResponseTuple<unknown, unknown> {
  observer?.emit({ kind: 'end', type: call.type, reqid: call.reqid, attempts, stop, result });
  return result;
}

/** The steps of one prepared call, ending in its tuple. */
export function* callSteps(
  config: CallConfig,
  call: PreparedCall,
  services: CallServices,
): CallSteps {
  const { type, reqid, spec } = call;
  const observer = services.observer;
  const deadlineAt = services.now() + call.deadlineMs;
  const requestEnvelope =
    observer?.detailed === true
      ? redactRequest(call.envelope, spec?.secrets.body ?? [])
      : undefined;
  const keys = new CallKeys(services.keys);
  let sentBefore = false;
  for (let attempt = 1; ; attempt++) {
    const key = keys.key;
    let wire = keys.wire;
    if (wire === undefined) {
      wire = (yield { kind: 'seal', plaintext: call.plaintext, key }) as string;
      keys.sealed(wire);
    }
    observer?.emit({ kind: 'attempt', type, reqid, attempt, envelope: requestEnvelope });
    const started = services.now();
    const sent = (yield {
      kind: 'send',
      request: {
        url: config.url,
        wire,
        maxResponseBytes: config.maxResponseBytes,
        // The last attempt `retries` allows keeps the rest of the deadline: nothing could follow it.
        attemptTimeout:
          attempt - keys.switches > call.policy.retries ? undefined : call.attemptTimeout,
        remaining: deadlineAt - started,
        deadlineMs: call.deadlineMs,
      },
    }) as Sent;
    const ended = services.now();
    const outcome = sent.outcome;
    let opened: Opened | undefined;
    if (outcome.ok && outcome.response.status === 200) {
      // With the key that sealed the request first; the others only when it cannot (a rotation).
      const body = outcome.response.body;
      opened = (yield { kind: 'open', body, key }) as Opened;
      if (!opened.ok) opened = yield* keys.openWithOthers(body, opened);
      if (opened.ok) keys.accepted();
    }
    const reading = readAttempt(outcome, opened, {
      spec,
      type,
      reqid,
      attempt,
      validate: call.validate,
      origin: config.url.origin,
      sentBefore,
      date: services.date,
      compile: services.compileSchema,
    });
    if (mayHaveArrived(sent)) sentBefore = true;
    const result = reading.result;
    if (observer !== undefined) emitReply(observer, call, attempt, sent, ended - started, reading);
    const attemptMs = ended - started;
    const decision = decide(
      keys,
      call,
      sent,
      result,
      attempt,
      attemptMs,
      deadlineAt - ended,
      services,
    );
    if (!decision.retry) return end(observer, call, attempt, decision.why, result);
    const { delayMs, reason } = decision;
    observer?.emit({ kind: 'retry', type, reqid, attempt: attempt + 1, delayMs, reason, result });
    if (reason === 'key-refused') {
      // No pause: the server answered at once, and ran nothing. The next key goes out now.
      keys.switchKey();
    } else if (!((yield { kind: 'sleep', ms: delayMs }) as boolean)) {
      const delivery = sentBefore ? 'maybe-sent' : 'not-sent';
      const at = { reqid, attempts: attempt, headers: null, statusCode: null };
      return end(
        observer,
        call,
        attempt,
        'aborted',
        noReply('aborted', 'the request was aborted', delivery, at),
      );
    }
  }
}
