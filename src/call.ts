import type { ResolvedConfig } from './config.js';
import { ConfigError, RequestValidationError } from './errors.js';
import { callHook } from './log.js';
import { newReqid } from './random.js';
import { redact, redactEnvelope } from './redact.js';
import { interpret, isPlainObject, toIssues, type Attempt } from './reply.js';
import { COMMUNICATION_MESSAGES, makeResult, type Reqid, type ResponseTuple } from './result.js';
import { backoffDelay, mayRetry, mergeRetry, type ResolvedRetry } from './retry.js';
import type { SendRequest, Sent } from './send.js';
import type { CallOptions, RequestSpec } from './spec.js';
import type { TransportOutcome } from './transport/types.js';
import { encodeWire } from './wire.js';

/**
 * The logic of one call, written once for the async and the sync API: validation, the envelope, the attempts,
 * the retry policy, the deadline, hooks and logs. It is a generator that asks its driver for the two things that
 * need waiting — a send, and a pause between attempts — so the async driver awaits them and the sync driver
 * blocks on them, and both give the same tuples.
 */

export type Step =
  | { readonly kind: 'send'; readonly request: SendRequest }
  | { readonly kind: 'sleep'; readonly ms: number };

/** What a driver gives back for a step: a `Sent` for a send; for a sleep, whether it ran to its end. */
export type StepResult = Sent | boolean;

export type CallSteps = Generator<Step, ResponseTuple<unknown, unknown>, StepResult>;

function checkReqid(type: string, reqid: unknown): asserts reqid is Reqid {
  if (typeof reqid === 'string' ? reqid.length > 0 : Number.isSafeInteger(reqid)) return;
  throw new RequestValidationError(type, [
    { path: ['reqid'], message: 'a request id must be a non-empty string or a safe integer' },
  ]);
}

/** Validates the body against the spec (or the minimum for untyped types) and returns its `client_ipaddr`. */
function checkBody(spec: RequestSpec | undefined, type: string, body: unknown): string {
  if (!isPlainObject(body)) {
    throw new RequestValidationError(type, [{ path: [], message: 'the body must be an object' }]);
  }
  if (spec !== undefined) {
    const parsed = spec.body.safeParse(body);
    if (!parsed.success) throw new RequestValidationError(type, toIssues(parsed.error));
  }
  const clientIp = body.client_ipaddr;
  if (typeof clientIp !== 'string' || clientIp.length === 0) {
    throw new RequestValidationError(type, [
      {
        path: ['client_ipaddr'],
        message:
          "required: the end user's IP address (a non-empty string); the server rate-limits by it",
      },
    ]);
  }
  return clientIp;
}

function timeoutFor(
  config: ResolvedConfig,
  spec: RequestSpec | undefined,
  options: CallOptions | undefined,
): number {
  let timeout =
    options?.timeout ??
    (spec?.timeout === 'login' ? config.timeouts.login : config.timeouts.request);
  const deadline = options?.deadline;
  if (deadline !== undefined) {
    const at = typeof deadline === 'number' ? deadline : deadline.getTime();
    timeout = Math.min(timeout, at - Date.now());
  }
  return Math.max(0, timeout);
}

function policyFor(config: ResolvedConfig, options: CallOptions | undefined): ResolvedRetry {
  if (options?.retry === undefined) return config.retry;
  try {
    return mergeRetry(config.retry, options.retry);
  } catch (cause) {
    throw new ConfigError(`the call's ${(cause as Error).message}`, { option: 'retry', cause });
  }
}

/** Logs and hands to `afterResponse` what one attempt got back (redacted). */
function observeReply(
  config: ResolvedConfig,
  type: string,
  reqid: Reqid,
  attempt: number,
  started: number,
  outcome: TransportOutcome,
  last: Attempt,
  spec: RequestSpec | undefined,
): void {
  const { hooks, logger } = config;
  if (hooks.afterResponse === undefined && !logger.enabled('debug')) return;
  const result = last.result;
  const statusCode = outcome.ok ? outcome.response.status : (outcome.failure.status ?? null);
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  const envelope =
    last.envelope === null
      ? null
      : (redact(
          last.envelope,
          (spec?.secrets.response ?? []).map((p) => `response.${p}`),
        ) as Record<string, unknown>);
  const failure = result.success ? null : result.failure;
  logger.log(
    'debug',
    `received ${type} (reqid ${String(reqid)}, attempt ${attempt}): ${statusCode ?? 'no reply'}, ${failure ?? 'success'} in ${durationMs} ms`,
    envelope === null ? undefined : { envelope },
  );
  if (statusCode !== null) {
    callHook(
      'afterResponse',
      hooks.afterResponse,
      { type, reqid, attempt, statusCode, durationMs, envelope, success: result.success, failure },
      logger,
    );
  }
}

/**
 * The steps of one call. Throws (at its first step) a {@link RequestValidationError} for an invalid body or
 * request id, before anything is sent.
 */
export function* callSteps(
  config: ResolvedConfig,
  spec: RequestSpec | undefined,
  type: string,
  body: unknown,
  options: CallOptions | undefined,
): CallSteps {
  const reqid = options?.reqid ?? newReqid();
  checkReqid(type, reqid);
  const clientIp = checkBody(spec, type, body);
  const policy = policyFor(config, options);

  const envelope = { request: type, body, reqid, client_ipaddr: clientIp };
  let wire: string;
  try {
    wire = encodeWire(config.fernet, envelope);
  } catch (cause) {
    throw new RequestValidationError(type, [
      { path: [], message: `cannot be serialized to JSON (${(cause as Error).message})` },
    ]);
  }

  const { hooks, logger } = config;
  const timeout = timeoutFor(config, spec, options);
  const deadlineAt = performance.now() + timeout;
  // Unknown (custom) request types may write: they are retried only when provably not sent.
  const sideEffects = spec?.sideEffects ?? 'write';
  const attemptTimeout = sideEffects === 'read' ? policy.attemptTimeout : undefined;
  const validate = options?.validateResponse ?? config.validateResponses;
  const redactedEnvelope =
    hooks.beforeRequest !== undefined || logger.enabled('debug')
      ? redactEnvelope(envelope, spec?.secrets.body ?? [])
      : undefined;

  let attempt = 0;
  let sentBefore = false;
  let last: Attempt;
  for (;;) {
    attempt++;
    if (redactedEnvelope !== undefined) {
      logger.log('debug', `sending ${type} (reqid ${String(reqid)}, attempt ${attempt})`, {
        envelope: redactedEnvelope,
      });
      callHook(
        'beforeRequest',
        hooks.beforeRequest,
        { type, reqid, attempt, envelope: redactedEnvelope },
        logger,
      );
    }
    const started = performance.now();
    const sent = (yield {
      kind: 'send',
      request: {
        url: config.url,
        wire,
        maxResponseBytes: config.maxResponseBytes,
        attemptTimeout,
        remaining: deadlineAt - started,
        timeout,
      },
    }) as Sent;
    last = interpret(
      sent.outcome,
      {
        spec,
        type,
        reqid,
        attempt,
        validate,
        fernet: config.fernet,
        origin: config.url.origin,
        sentBefore,
      },
      sent.timedOut,
    );
    if (sent.outcome.ok || sent.outcome.failure.delivery === 'maybe-sent') sentBefore = true;
    observeReply(config, type, reqid, attempt, started, sent.outcome, last, spec);

    const reason = last.retry;
    if (reason === undefined || attempt > policy.retries || !mayRetry(sideEffects, reason, policy))
      break;
    const delay =
      reason === 'rate-limited'
        ? last.retryAfter === null || last.retryAfter === undefined
          ? Number.POSITIVE_INFINITY
          : last.retryAfter * 1000
        : backoffDelay(attempt, policy);
    // Another attempt is worth it only if it has time to get an answer: one that could only time out would turn
    // the server's last real answer into a timeout. Twice what this attempt took, within 10 to 50 ms.
    const now = performance.now();
    const needs = Math.min(50, Math.max(10, 2 * (now - started)));
    if (now + delay + needs >= deadlineAt) break;
    const result = last.result;
    const failure = result.success ? 'none' : result.failure;
    logger.log(
      'warn',
      `retrying ${type} (reqid ${String(reqid)}) in ${delay} ms after ${failure}: ${result.failureReason ?? ''}`,
      {
        attempt: attempt + 1,
        reason,
      },
    );
    callHook(
      'onRetry',
      hooks.onRetry,
      {
        type,
        reqid,
        attempt: attempt + 1,
        delayMs: delay,
        reason,
        failure,
        failureReason: result.failureReason,
      },
      logger,
    );
    const slept = (yield { kind: 'sleep', ms: delay }) as boolean;
    if (!slept) {
      last = {
        result: makeResult(
          false,
          null,
          COMMUNICATION_MESSAGES,
          null,
          null,
          'the request was aborted',
          reqid,
          'aborted',
          attempt,
          {
            delivery: sentBefore ? 'maybe-sent' : 'not-sent',
          },
        ),
        retry: undefined,
        envelope: null,
      };
      break;
    }
  }

  const result = last.result;
  if (!result.success && result.failure !== 'rejected') {
    logger.log(
      'warn',
      `${type} (reqid ${String(reqid)}) failed: ${result.failure}: ${result.failureReason ?? ''}`,
      {
        attempts: attempt,
        statusCode: result.statusCode,
      },
    );
    callHook(
      'onError',
      hooks.onError,
      {
        type,
        reqid,
        attempts: attempt,
        failure: result.failure,
        failureReason: result.failureReason,
        statusCode: result.statusCode,
      },
      logger,
    );
  }
  return result;
}
