/**
 * What a call tells the world while it runs: the core (`core/call.ts`) emits its events (`core/events.ts`) to an
 * `Observer`, and the observer made here turns them into the client's log lines and hooks. Events carry redacted
 * envelopes only, and only when the observer asks for them (`detailed`), since redacting costs more than the rest
 * of a call's own work.
 */
import type { Observer } from '../core/events.js';
import { callHook, type Hooks } from './hooks.js';
import type { LevelLogger } from './log.js';

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
