/**
 * The events the call core emits while a call runs (`call.ts`), and the `Observer` it emits them to. The core
 * defines them; the outer layers (`observe/`: log lines and hooks, the tracing channel) implement observers.
 */
import type { Reqid, ResponseTuple } from './result.js';
import type { RetryReason, StopReason } from './retry.js';

/** One event of a call. */
export type CallEvent =
  | {
      /** An attempt is about to be sent. */
      readonly kind: 'attempt';
      readonly type: string;
      readonly reqid: Reqid;
      readonly attempt: number;
      /** The request envelope, redacted; present when the observer is detailed. */
      readonly envelope: Readonly<Record<string, unknown>> | undefined;
    }
  | {
      /** An attempt ended: a reply, or a failure without one (`statusCode` null). */
      readonly kind: 'reply';
      readonly type: string;
      readonly reqid: Reqid;
      readonly attempt: number;
      readonly statusCode: number | null;
      readonly durationMs: number;
      /** The reply envelope, redacted, when there was one and the observer is detailed. */
      readonly envelope: Readonly<Record<string, unknown>> | null;
      readonly result: ResponseTuple<unknown, unknown>;
    }
  | {
      /** The call will send again after `delayMs`. */
      readonly kind: 'retry';
      readonly type: string;
      readonly reqid: Reqid;
      /** The attempt about to be made (2 for the first retry). */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: RetryReason;
      /** The result of the attempt that failed. */
      readonly result: ResponseTuple<unknown, unknown>;
    }
  | {
      /** The call is over. */
      readonly kind: 'end';
      readonly type: string;
      readonly reqid: Reqid;
      readonly attempts: number;
      /** Why it stopped sending: `final` for a result that no retry could change, `aborted` for the signal. */
      readonly stop: StopReason | 'aborted';
      readonly result: ResponseTuple<unknown, unknown>;
    };

/** Where a call's events go. */
export interface Observer {
  /** Whether events should carry redacted envelopes. */
  readonly detailed: boolean;
  emit(event: CallEvent): void;
}
