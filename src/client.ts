import { resolveConfig, type AuthnzerverOptions, type ResolvedConfig } from './config.js';
import { ClientClosedError, ConfigError, RequestValidationError } from './errors.js';
import { callHook } from './log.js';
import { newReqid } from './random.js';
import { redact, redactEnvelope } from './redact.js';
import { interpret, isPlainObject, toIssues, type Attempt } from './reply.js';
import {
  makeResult,
  COMMUNICATION_MESSAGES,
  type Reqid,
  type ResponseTuple,
  type UntypedResponseTuple,
} from './result.js';
import { backoffDelay, mayRetry, mergeRetry, type ResolvedRetry } from './retry.js';
import type { CallOptions, RequestMap, RequestSpec, SpecRegistry, UntypedBody } from './spec.js';
import type { TransportFailure, TransportOutcome } from './transport/types.js';
import { encodeWire } from './wire.js';

export { parseRetryAfter } from './reply.js';

/** The body type of request type `T`: typed for catalogue types, {@link UntypedBody} for any other string. */
export type BodyFor<M, T extends string> = T extends keyof M
  ? M[T] extends { body: infer B }
    ? B
    : never
  : UntypedBody;

/** The result type of request type `T`. */
export type ResultFor<M, T extends string> = T extends keyof M
  ? M[T] extends { success: infer S; failure: infer F }
    ? ResponseTuple<S, F>
    : never
  : UntypedResponseTuple;

function checkReqid(type: string, reqid: unknown): asserts reqid is Reqid {
  if (typeof reqid === 'string' ? reqid.length > 0 : Number.isSafeInteger(reqid)) return;
  throw new RequestValidationError(type, [
    { path: ['reqid'], message: 'a request id must be a non-empty string or a safe integer' },
  ]);
}

/** Resolves after `ms`, or early (false) when the signal fires. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const ABORTED_BEFORE_SENDING: TransportFailure = Object.freeze({
  kind: 'aborted',
  delivery: 'not-sent',
  gotHeaders: false,
  message: 'the signal was aborted before the request was sent',
  code: undefined,
});

/** What one send through the transport gave, and which timer, if any, ended it. */
interface Sent {
  readonly outcome: TransportOutcome;
  readonly timedOut: 'deadline' | 'attempt' | null;
}

/**
 * The hand-written runtime of the client: configuration, the envelope, deadlines, retries, hooks and logs, the
 * transport and the response tuples. The generated `Authnzerver` class extends it with one typed method per
 * request type; a client generated from your own catalogue does the same.
 *
 * @typeParam M the catalogue's request map (wire name to body, success and failure types).
 */
export class AuthnzerverClient<M extends RequestMap<M>> {
  readonly #config: ResolvedConfig;
  readonly #specs: Readonly<Record<string, RequestSpec | undefined>>;
  #closed = false;
  #closing: Promise<void> | undefined;

  /**
   * @param options see {@link AuthnzerverOptions}; `url` and `secret` fall back to `AUTHNZERVER_URL` and
   *   `AUTHNZERVER_SECRET`.
   * @param specs the catalogue's request specs, keyed by wire name (the generated client passes them).
   * @throws {ConfigError} when an option is missing or malformed; it names the option and its variable.
   */
  constructor(options: AuthnzerverOptions | undefined, specs: SpecRegistry<M>) {
    this.#config = resolveConfig(options);
    this.#specs = specs;
  }

  /** The resolved configuration, without secrets. */
  get config(): ResolvedConfig['summary'] {
    return this.#config.summary;
  }

  /**
   * Sends one request of any type. A type of the catalogue gets its typed body and result, and its body is
   * validated first; any other string is sent as it is, with an untyped result (for custom request types).
   *
   * @param type the request type, e.g. `'session-exists'`.
   * @param body the request's arguments, with `client_ipaddr`: the end user's IP address, for rate limiting.
   * @param reqid a request id (string or integer), or the call's options. @default 8 random bytes, url-safe base64
   * @returns the response tuple; transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  request<T extends string>(
    type: T,
    body: BodyFor<M, T>,
    reqid?: Reqid | CallOptions,
  ): Promise<ResultFor<M, T>> {
    const options: CallOptions | undefined =
      typeof reqid === 'object' ? reqid : reqid === undefined ? undefined : { reqid };
    return this.#call(this.#specs[type], type, body, options) as Promise<ResultFor<M, T>>;
  }

  /**
   * Sends one request of a catalogue type: what each generated method calls with its spec.
   * @internal
   */
  protected call<S, F>(
    spec: RequestSpec,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<ResponseTuple<S, F>> {
    return this.#call(spec, spec.type, body, options) as Promise<ResponseTuple<S, F>>;
  }

  /** The one path every request takes. */
  async #call(
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<ResponseTuple<unknown, unknown>> {
    if (this.#closed) throw new ClientClosedError();
    const config = this.#config;
    const reqid = options?.reqid ?? newReqid();
    checkReqid(type, reqid);
    const clientIp = this.#checkBody(spec, type, body);
    const policy = this.#policyFor(options);

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
    const timeout = this.#timeoutFor(spec, options);
    const deadlineAt = performance.now() + timeout;
    // Unknown (custom) request types may write: they are retried only when provably not sent.
    const sideEffects = spec?.sideEffects ?? 'write';
    const signal = options?.signal;
    const redactedEnvelope =
      hooks.beforeRequest !== undefined || logger.enabled('debug')
        ? redactEnvelope(envelope, spec?.secrets.body ?? [])
        : undefined;

    let attempt = 0;
    let sentBefore = false;
    let last: Attempt;
    for (;;) {
      attempt++;
      const remaining = deadlineAt - performance.now();
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
      const attemptTimeout = sideEffects === 'read' ? policy.attemptTimeout : undefined;
      const sent = await this.#send(wire, attemptTimeout, remaining, signal);
      last = interpret(
        sent.outcome,
        {
          spec,
          type,
          reqid,
          attempt,
          validate: options?.validateResponse ?? config.validateResponses,
          fernet: config.fernet,
          origin: config.url.origin,
          sentBefore,
        },
        sent.timedOut,
      );
      if (!sent.outcome.ok ? sent.outcome.failure.delivery === 'maybe-sent' : true)
        sentBefore = true;
      this.#observeReply(type, reqid, attempt, started, sent.outcome, last, spec);

      const reason = last.retry;
      if (
        reason === undefined ||
        attempt > policy.retries ||
        !mayRetry(sideEffects, reason, policy)
      )
        break;
      const delay =
        reason === 'rate-limited'
          ? last.retryAfter === null || last.retryAfter === undefined
            ? Number.POSITIVE_INFINITY
            : last.retryAfter * 1000
          : backoffDelay(attempt, policy);
      if (performance.now() + delay >= deadlineAt) break;
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
      if (!(await sleep(delay, signal))) {
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

  /** Logs and hands to `afterResponse` what one attempt got back (redacted). */
  #observeReply(
    type: string,
    reqid: Reqid,
    attempt: number,
    started: number,
    outcome: TransportOutcome,
    last: Attempt,
    spec: RequestSpec | undefined,
  ): void {
    const { hooks, logger } = this.#config;
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
  }

  #policyFor(options: CallOptions | undefined): ResolvedRetry {
    if (options?.retry === undefined) return this.#config.retry;
    try {
      return mergeRetry(this.#config.retry, options.retry);
    } catch (cause) {
      throw new ConfigError(`the call's ${(cause as Error).message}`, { option: 'retry', cause });
    }
  }

  /** Validates the body against the spec (or the minimum for untyped types) and returns its `client_ipaddr`. */
  #checkBody(spec: RequestSpec | undefined, type: string, body: unknown): string {
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

  #timeoutFor(spec: RequestSpec | undefined, options: CallOptions | undefined): number {
    let timeout =
      options?.timeout ??
      (spec?.timeout === 'login' ? this.#config.timeouts.login : this.#config.timeouts.request);
    const deadline = options?.deadline;
    if (deadline !== undefined) {
      const at = typeof deadline === 'number' ? deadline : deadline.getTime();
      timeout = Math.min(timeout, at - Date.now());
    }
    return Math.max(0, timeout);
  }

  /**
   * Sends once through the transport, bounded by the call's `remaining` time and the caller's signal whatever
   * the transport does. With an `attemptTimeout`, an attempt whose headers have not arrived by then is abandoned
   * (`timedOut: 'attempt'`); once they arrive, the body may take the rest of the deadline.
   */
  async #send(
    wire: string,
    attemptTimeout: number | undefined,
    remaining: number,
    signal: AbortSignal | undefined,
  ): Promise<Sent> {
    const config = this.#config;
    if (signal?.aborted === true) {
      return { outcome: { ok: false, failure: ABORTED_BEFORE_SENDING }, timedOut: null };
    }
    if (remaining <= 0) {
      const failure = {
        ...timedOutOutcome(0, false, false).failure,
        delivery: 'not-sent',
      } as const;
      return { outcome: { ok: false, failure }, timedOut: 'deadline' };
    }
    const controller = new AbortController();
    // An object, so that the type checker does not narrow what the callbacks set.
    const state: { timedOut: 'deadline' | 'attempt' | null; gotHeaders: boolean } = {
      timedOut: null,
      gotHeaders: false,
    };
    let stop!: (value: 'stopped') => void;
    const stopped = new Promise<'stopped'>((resolve) => {
      stop = resolve;
    });
    const expire = (kind: 'deadline' | 'attempt'): void => {
      state.timedOut = kind;
      controller.abort(new Error(kind));
      stop('stopped');
    };
    const started = performance.now();
    let timer: NodeJS.Timeout;
    if (attemptTimeout !== undefined && attemptTimeout < remaining) {
      timer = setTimeout(() => {
        if (!state.gotHeaders) {
          expire('attempt');
          return;
        }
        timer = setTimeout(
          () => {
            expire('deadline');
          },
          remaining - (performance.now() - started),
        );
      }, attemptTimeout);
    } else {
      timer = setTimeout(() => {
        expire('deadline');
      }, remaining);
    }
    const onAbort = (): void => {
      controller.abort(signal?.reason);
      stop('stopped');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let sending: Promise<TransportOutcome>;
      try {
        sending = config.transport.send({
          url: config.url,
          body: wire,
          signal: controller.signal,
          maxResponseBytes: config.maxResponseBytes,
          onHeaders: () => {
            state.gotHeaders = true;
          },
        });
      } catch (cause) {
        sending = Promise.resolve(misbehavingTransport(cause));
      }
      const outcome = await Promise.race([sending.catch(misbehavingTransport), stopped]);
      const timedOut = state.timedOut;
      if (outcome !== 'stopped' && (outcome.ok || outcome.failure.kind !== 'aborted')) {
        return { outcome, timedOut };
      }
      if (timedOut !== null) {
        const limit = timedOut === 'attempt' ? (attemptTimeout ?? remaining) : remaining;
        return {
          outcome: timedOutOutcome(limit, timedOut === 'attempt', state.gotHeaders),
          timedOut,
        };
      }
      return {
        outcome: {
          ok: false,
          failure: {
            kind: 'aborted',
            delivery: 'maybe-sent',
            gotHeaders: state.gotHeaders,
            message: 'the request was aborted',
            code: undefined,
          },
        },
        timedOut: null,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Closes the client: waits for requests in flight, then releases every socket and timer, so a script ends
   * on its own. Idempotent. Requests made after it throw {@link ClientClosedError}.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#config.transport.close();
    return this.#closing;
  }

  /** `await using client = new Authnzerver()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function timedOutOutcome(
  limit: number,
  isAttemptLimit: boolean,
  gotHeaders: boolean,
): TransportOutcome & { readonly ok: false } {
  return {
    ok: false,
    failure: {
      kind: 'timeout',
      delivery: 'maybe-sent',
      gotHeaders,
      message: isAttemptLimit
        ? `no reply within the attempt timeout of ${Math.round(limit)} ms`
        : `no reply within the deadline of ${Math.round(limit)} ms`,
      code: undefined,
    },
  };
}

function misbehavingTransport(cause: unknown): TransportOutcome {
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
