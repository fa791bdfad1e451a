/**
 * Tracing without a dependency: every call is published on a Node `diagnostics_channel` TracingChannel, so an
 * APM or OpenTelemetry can see each request type by name (generic HTTP instrumentation sees only an encrypted
 * `POST /`). Subscribers get a {@link CallTrace}: the request type, the request id, the server's address, and as
 * the call runs, its attempts, retries, status and failure kind. Never a body, a reply, a message or a secret.
 * With no subscriber, a call costs one property read more.
 *
 * Channels (Node's TracingChannel naming): `tracing:authnzerver:call:start`, `:end`, `:asyncStart`, `:asyncEnd`
 * and `:error` (a call that throws: a `RequestValidationError`, a closed client).
 */
import { platform } from '#platform';
import type { CallEvent, Observer } from '../core/events.js';
import type { FailureKind, Reqid } from '../core/result.js';
import type { RetryReason } from '../core/retry.js';

/** The name of the TracingChannel every call is published on. */
export const CALL_CHANNEL = 'authnzerver:call';

/** One retry of a call, as a trace sees it. */
export interface TraceRetry {
  /** The attempt about to be made (2 for the first retry). */
  readonly attempt: number;
  readonly reason: RetryReason;
  readonly delayMs: number;
  /** The failure kind of the attempt that is sent again. */
  readonly failure: FailureKind | null;
  /** When the retry was decided, in epoch milliseconds. */
  readonly at: number;
}

/**
 * What a call's trace carries: filled in as the call runs, complete at `end` (sync) or `asyncEnd` (async). A
 * subscriber may add its own fields (a span, say); the client reads none of them.
 */
export interface CallTrace {
  /** The request type, e.g. `session-exists`. */
  readonly type: string;
  /** Whether it is the sync API's call (`traceSync`) or the async one (`tracePromise`). */
  readonly sync: boolean;
  /** The server's host name or address, and port, as in the client's URL. */
  readonly serverAddress: string;
  readonly serverPort: number;
  /**
   * The request id sent; undefined until the request is checked (and when it is refused). A `start` subscriber
   * may set it to propose the id (a trace id, say), used when the caller gave none; it is checked like the
   * caller's own.
   */
  reqid: Reqid | undefined;
  /** How many times the request was sent so far. */
  attempts: number;
  /** The last reply's HTTP status; null when no reply arrived. */
  statusCode: number | null;
  /** The call's failure kind at its end; null on success (and while it runs). */
  failure: FailureKind | null;
  readonly retries: TraceRetry[];
  /** Set by the channel when the call throws. */
  error?: unknown;
  /** Subscribers' own fields. */
  [field: string]: unknown;
}

// Node's diagnostics_channel on Node, Bun and Deno; a channel nobody can subscribe to on the web platforms.
const channel = platform.tracingChannel<CallTrace>(CALL_CHANNEL);

/** Whether anything listens to the call channel: when nothing does, calls are not traced at all. */
export function tracing(): boolean {
  return channel.hasSubscribers;
}

/** A new trace for a call to `url` (`type` as the caller gave it, a string if it is a valid one). */
export function newTrace(type: unknown, url: URL, sync: boolean): CallTrace {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return {
    type: typeof type === 'string' ? type : String(type),
    sync,
    serverAddress: url.hostname,
    serverPort: port,
    reqid: undefined,
    attempts: 0,
    statusCode: null,
    failure: null,
    retries: [],
  };
}

/** An observer that fills in a trace from the core's events, and passes each event on to `next`. */
export function tracingObserver(trace: CallTrace, next: Observer | undefined): Observer {
  return {
    detailed: next?.detailed ?? false,
    emit(event: CallEvent) {
      trace.reqid = event.reqid;
      switch (event.kind) {
        case 'attempt':
          trace.attempts = event.attempt;
          break;
        case 'reply':
          trace.statusCode = event.statusCode;
          break;
        case 'retry':
          trace.retries.push({
            attempt: event.attempt,
            reason: event.reason,
            delayMs: event.delayMs,
            failure: event.result.failure,
            at: Date.now(),
          });
          break;
        case 'end':
          trace.attempts = event.attempts;
          trace.failure = event.result.failure;
          trace.statusCode = event.result.statusCode;
          break;
      }
      next?.emit(event);
    },
  };
}

/*
 * The two functions below publish what Node's `tracePromise` and `traceSync` publish, in the same order and with
 * the same stores bound at `start`, but never set the trace's `result`: that would hand every subscriber the
 * reply, with its session tokens and keys.
 */

/** Runs an async call inside the channel's `start`, `end`, then `asyncStart` and `asyncEnd` (and `error`). */
export function traceAsync<T>(trace: CallTrace, run: () => Promise<T>): Promise<T> {
  const { start, end, asyncStart, asyncEnd, error } = channel;
  const settle = (): void => {
    asyncStart.publish(trace);
    asyncEnd.publish(trace);
  };
  return start.runStores(trace, () => {
    try {
      return run().then(
        (result) => {
          settle();
          return result;
        },
        (cause: unknown) => {
          trace.error = cause;
          error.publish(trace);
          settle();
          throw cause;
        },
      );
    } finally {
      end.publish(trace);
    }
  });
}

/** Runs a sync call inside the channel's `start` and `end` (and `error`). */
export function traceSync<T>(trace: CallTrace, run: () => T): T {
  const { start, end, error } = channel;
  return start.runStores(trace, () => {
    try {
      return run();
    } catch (cause) {
      trace.error = cause;
      error.publish(trace);
      throw cause;
    } finally {
      end.publish(trace);
    }
  });
}
