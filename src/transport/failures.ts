/**
 * Every transport failure the client makes itself, in one place: a reply over the size cap, a deadline or an
 * attempt timeout that passed, the caller's signal, and a transport that broke its contract by throwing. The
 * transports classify the errors of their HTTP stacks in `classify.ts`; these are the ones no stack reports.
 */
import type { TransportFailure, TransportOutcome } from './types.js';

/** A reply whose body (or declared length) is over `maxResponseBytes`. */
export function tooLarge(
  limit: number,
  status: number,
  headers: Readonly<Record<string, string>>,
): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind: 'too-large',
      delivery: 'maybe-sent',
      gotHeaders: true,
      message: `the reply body is larger than maxResponseBytes (${limit} bytes)`,
      code: undefined,
      status,
      headers,
    },
  };
}

/**
 * A send that a timer ended. `limit` is the deadline that passed, in milliseconds: the call's whole deadline, or
 * the attempt timeout.
 */
export function timeoutFailure(
  limit: number,
  which: 'deadline' | 'attempt',
  gotHeaders: boolean,
): TransportFailure {
  return {
    kind: 'timeout',
    delivery: 'maybe-sent',
    gotHeaders,
    message:
      which === 'attempt'
        ? `no reply within the attempt timeout of ${Math.round(limit)} ms`
        : `no reply within the deadline of ${Math.round(limit)} ms`,
    code: undefined,
  };
}

/**
 * A send that was not started because the call's deadline (of `limit` ms) passed first; `before` says what it
 * waited for, if anything.
 */
export function deadlinePassedBeforeSending(limit: number, before?: string): TransportFailure {
  return {
    kind: 'timeout',
    delivery: 'not-sent',
    gotHeaders: false,
    message: `the deadline of ${Math.round(limit)} ms passed before ${before ?? 'the request was sent'}`,
    code: undefined,
  };
}

/** A send that the caller's signal stopped before it started. */
export const ABORTED_BEFORE_SENDING: TransportFailure = Object.freeze({
  kind: 'aborted',
  delivery: 'not-sent',
  gotHeaders: false,
  message: 'the signal was aborted before the request was sent',
  code: undefined,
});

/** A send that the caller's signal stopped while it was in flight. */
export function abortedInFlight(gotHeaders: boolean): TransportFailure {
  return {
    kind: 'aborted',
    delivery: 'maybe-sent',
    gotHeaders,
    message: 'the request was aborted',
    code: undefined,
  };
}

/** A transport that threw or rejected, which its contract forbids: it may have sent the request. */
export function misbehavingTransport(cause: unknown): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind: 'network',
      delivery: 'maybe-sent',
      gotHeaders: false,
      message: `the transport failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      code: undefined,
      cause,
    },
  };
}
