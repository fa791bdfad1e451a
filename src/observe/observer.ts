/**
 * What a call tells the world while it runs: the core (`call.ts`) emits events to an {@link Observer}, and the
 * observer made here turns them into the client's log lines and hooks. Events carry redacted envelopes only, and
 * only when the observer asks for them (`detailed`), since redacting costs more than the rest of a call's own
 * work.
 */
import { callHook, type Hooks } from './hooks.js';
import type { LevelLogger } from './log.js';
import type { ResponseTuple, Reqid } from '../core/result.js';
import type { RetryReason, StopReason } from '../core/retry.js';

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

/**
 * The observer of a client's logger and hooks, or undefined when neither would do anything with an event (the
 * common case: then the core emits nothing).
 */
export function logAndHooks(logger: LevelLogger, hooks: Hooks): Observer | undefined {
  const debug = logger.enabled('debug');
  const warn = logger.enabled('warn');
  const { beforeRequest, afterResponse, onRetry, onError } = hooks;
  if (!debug && !warn && !beforeRequest && !afterResponse && !onRetry && !onError) return undefined;
  return {
    detailed: debug || beforeRequest !== undefined || afterResponse !== undefined,
    emit(event) {
      const { type, reqid } = event;
      const id = `reqid ${String(reqid)}`;
      switch (event.kind) {
        case 'attempt': {
          const { attempt, envelope } = event;
          if (envelope === undefined) return;
          logger.log('debug', `sending ${type} (${id}, attempt ${attempt})`, { envelope });
          callHook('beforeRequest', beforeRequest, { type, reqid, attempt, envelope }, logger);
          return;
        }
        case 'reply': {
          const { attempt, statusCode, durationMs, envelope, result } = event;
          const failure = result.success ? null : result.failure;
          logger.log(
            'debug',
            `received ${type} (${id}, attempt ${attempt}): ${statusCode ?? 'no reply'}, ${failure ?? 'success'} in ${durationMs} ms`,
            envelope === null ? undefined : { envelope },
          );
          if (statusCode !== null) {
            callHook(
              'afterResponse',
              afterResponse,
              {
                type,
                reqid,
                attempt,
                statusCode,
                durationMs,
                envelope,
                success: result.success,
                failure,
              },
              logger,
            );
          }
          return;
        }
        case 'retry': {
          const { attempt, delayMs, reason, result } = event;
          const failure = result.success ? 'none' : result.failure;
          if (reason === 'key-refused') {
            // A secret rotation in progress: expected, and safe (the server ran nothing), so not a warning.
            logger.log(
              'info',
              `sending ${type} (${id}) again with the next key of \`secret\`: the server could not decrypt it (HTTP 401)`,
              { attempt, reason },
            );
          } else {
            logger.log(
              'warn',
              `retrying ${type} (${id}) in ${delayMs} ms after ${failure}: ${result.failureReason ?? ''}`,
              { attempt, reason },
            );
          }
          callHook(
            'onRetry',
            onRetry,
            { type, reqid, attempt, delayMs, reason, failure, failureReason: result.failureReason },
            logger,
          );
          return;
        }
        case 'end': {
          const { attempts, result } = event;
          if (result.success || result.failure === 'rejected') return;
          logger.log(
            'warn',
            `${type} (${id}) failed: ${result.failure}: ${result.failureReason ?? ''}`,
            {
              attempts,
              statusCode: result.statusCode,
            },
          );
          callHook(
            'onError',
            onError,
            {
              type,
              reqid,
              attempts,
              failure: result.failure,
              failureReason: result.failureReason,
              statusCode: result.statusCode,
            },
            logger,
          );
          return;
        }
      }
    },
  };
}
