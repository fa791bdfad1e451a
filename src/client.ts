import { resolveConfig, type AuthnzerverOptions, type ResolvedConfig } from './config.js';
import {
  ClientClosedError,
  FernetTokenError,
  RequestValidationError,
  type ValidationIssue,
} from './errors.js';
import { newReqid } from './random.js';
import {
  COMMUNICATION_MESSAGES,
  makeResult,
  type FailureKind,
  type InvalidParamProblem,
  type Reqid,
  type ResponseHeaders,
  type ResponseTuple,
  type UntypedResponseTuple,
} from './result.js';
import type {
  CallOptions,
  RequestMap,
  RequestSpec,
  Schema,
  SpecRegistry,
  UntypedBody,
} from './spec.js';
import type { TransportFailure, TransportOutcome } from './transport/types.js';
import { decodeWire, encodeWire } from './wire.js';

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

const DEADLINE = Symbol('deadline');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toIssues(error: {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: issue.message,
  }));
}

function checkReqid(type: string, reqid: unknown): asserts reqid is Reqid {
  if (typeof reqid === 'string' ? reqid.length > 0 : Number.isSafeInteger(reqid)) return;
  throw new RequestValidationError(type, [
    { path: ['reqid'], message: 'a request id must be a non-empty string or a safe integer' },
  ]);
}

function describeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues
    .slice(0, 5)
    .map(
      (issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
    );
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return shown.join('; ') + more;
}

/**
 * nginx with `ssl_verify_client on` completes the TLS handshake, then answers a missing or refused client
 * certificate with a 400 page (its internal 496 and 495). That is a TLS failure, not a bad request.
 */
const NGINX_CERT_PAGE =
  /<title>400 (No required SSL certificate was sent|The SSL certificate error)<\/title>/;

const HTTP_KINDS: Readonly<Record<number, FailureKind>> = {
  400: 'bad-request',
  401: 'unauthorized',
  404: 'not-found',
  429: 'rate-limited',
};

/** Parses `Retry-After`: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function bodyExcerpt(body: string): string {
  const text = body.trim();
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/**
 * The hand-written runtime of the client: configuration, the envelope, the deadline, the transport and the
 * response tuples. The generated `Authnzerver` class extends it with one typed method per request type; a
 * client generated from your own catalogue does the same.
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

    let wire: string;
    try {
      wire = encodeWire(config.fernet, { request: type, body, reqid, client_ipaddr: clientIp });
    } catch (cause) {
      throw new RequestValidationError(type, [
        { path: [], message: `cannot be serialized to JSON (${(cause as Error).message})` },
      ]);
    }

    const timeout = this.#timeoutFor(spec, options);
    const outcome = await this.#send(wire, timeout, options?.signal);
    if (outcome === DEADLINE) {
      return this.#transportFailure(
        {
          kind: 'timeout',
          delivery: 'maybe-sent',
          gotHeaders: false,
          message: `no reply within the deadline of ${timeout} ms`,
          code: undefined,
        },
        reqid,
      );
    }
    if (!outcome.ok) return this.#transportFailure(outcome.failure, reqid, timeout);
    const { status, headers, body: replyBody } = outcome.response;
    if (status !== 200) return this.#httpFailure(status, headers, replyBody, reqid);
    return this.#reply(
      spec,
      type,
      headers,
      replyBody,
      reqid,
      options?.validateResponse ?? config.validateResponses,
    );
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

  /** Sends through the transport, bounded by the deadline and the caller's signal whatever the transport does. */
  async #send(
    wire: string,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<TransportOutcome | typeof DEADLINE> {
    const config = this.#config;
    if (signal?.aborted === true) return abortedBeforeSending();
    if (timeout <= 0) return DEADLINE;
    const controller = new AbortController();
    // An object, so that the type checker does not narrow what the timer callback sets.
    const state = { timedOut: false };
    let stop!: () => void;
    const stopped = new Promise<typeof DEADLINE>((resolve) => {
      stop = () => {
        resolve(DEADLINE);
      };
    });
    const timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort(new Error('deadline'));
      stop();
    }, timeout);
    const onAbort = (): void => {
      controller.abort(signal?.reason);
      stop();
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
        });
      } catch (cause) {
        sending = Promise.resolve(misbehavingTransport(cause));
      }
      const outcome = await Promise.race([sending.catch(misbehavingTransport), stopped]);
      if (outcome === DEADLINE) return state.timedOut ? DEADLINE : abortedByCaller();
      if (!outcome.ok && outcome.failure.kind === 'aborted' && state.timedOut) return DEADLINE;
      return outcome;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #transportFailure(
    failure: TransportFailure,
    reqid: Reqid,
    timeout?: number,
  ): ResponseTuple<unknown, unknown> {
    const kind = failure.kind;
    if (kind === 'invalid-response') {
      return makeResult(
        false,
        null,
        COMMUNICATION_MESSAGES,
        failure.headers ?? null,
        failure.status ?? null,
        failure.message,
        reqid,
        'invalid-response',
        1,
        { issues: [] },
      );
    }
    const message =
      kind === 'timeout' && failure.code === undefined && timeout !== undefined
        ? `no reply within the deadline of ${timeout} ms`
        : failure.message;
    return makeResult(
      false,
      null,
      COMMUNICATION_MESSAGES,
      failure.headers ?? null,
      failure.status ?? null,
      `${message} (${this.#config.url.origin})`,
      reqid,
      kind,
      1,
      failure.cause === undefined
        ? { delivery: failure.delivery }
        : { delivery: failure.delivery, cause: failure.cause },
    );
  }

  #httpFailure(
    status: number,
    headers: ResponseHeaders,
    body: string,
    reqid: Reqid,
  ): ResponseTuple<unknown, unknown> {
    const reason = bodyExcerpt(body) || `HTTP ${status}`;
    if (status === 400 && NGINX_CERT_PAGE.test(body)) {
      // A TLS front refused our client certificate: the request never reached the authnzerver.
      return makeResult(
        false,
        null,
        COMMUNICATION_MESSAGES,
        headers,
        status,
        reason,
        reqid,
        'tls',
        1,
        {
          delivery: 'not-sent',
        },
      );
    }
    const kind =
      HTTP_KINDS[status] ?? (status >= 500 && status <= 599 ? 'server-error' : 'http-error');
    return makeResult(
      false,
      null,
      COMMUNICATION_MESSAGES,
      headers,
      status,
      reason,
      reqid,
      kind,
      1,
      kind === 'rate-limited' ? { retryAfter: parseRetryAfter(headers['retry-after']) } : undefined,
    );
  }

  /** Decrypts and interprets a 200 reply. */
  #reply(
    spec: RequestSpec | undefined,
    type: string,
    headers: ResponseHeaders,
    body: string,
    reqid: Reqid,
    validate: boolean,
  ): ResponseTuple<unknown, unknown> {
    let envelope: unknown;
    try {
      envelope = decodeWire(this.#config.fernet, body);
    } catch (cause) {
      if (!FernetTokenError.is(cause)) {
        return invalidEnvelope(headers, reqid, null, 'the decrypted reply is not JSON');
      }
      return makeResult(
        false,
        null,
        COMMUNICATION_MESSAGES,
        headers,
        200,
        `could not decrypt the reply: ${cause.message}`,
        reqid,
        'decrypt',
        1,
      );
    }
    if (!isPlainObject(envelope)) {
      return invalidEnvelope(headers, reqid, null, 'the decrypted reply is not a JSON object');
    }
    if (envelope.reqid !== reqid) {
      return makeResult(
        false,
        null,
        COMMUNICATION_MESSAGES,
        headers,
        200,
        'authnzerver returned incorrect request ID',
        reqid,
        'reqid-mismatch',
        1,
      );
    }
    const success = envelope.success;
    const action = envelope.response;
    const messages = envelope.messages ?? [];
    const failureReason = envelope.failure_reason ?? null;
    if (typeof success !== 'boolean' || !isPlainObject(action)) {
      return invalidEnvelope(
        headers,
        reqid,
        null,
        'the reply has no boolean `success` and object `response`',
      );
    }
    if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) {
      return invalidEnvelope(
        headers,
        reqid,
        null,
        "the reply's `messages` is not a list of strings",
      );
    }
    if (failureReason !== null && typeof failureReason !== 'string') {
      return invalidEnvelope(headers, reqid, null, "the reply's `failure_reason` is not a string");
    }
    const cleaned: Record<string, unknown> = {};
    for (const key in action) {
      if (key !== 'success' && key !== 'messages' && key !== 'failure_reason')
        cleaned[key] = action[key];
    }
    const frozenMessages = Object.freeze(messages);

    if (!success) {
      const inner = cleaned.response;
      if (isPlainObject(inner) && Array.isArray(inner.problems)) {
        const problems = inner.problems as InvalidParamProblem[];
        return makeResult(
          false,
          cleaned,
          frozenMessages,
          headers,
          200,
          failureReason,
          reqid,
          'invalid-params',
          1,
          {
            problems,
          },
        );
      }
    }
    if (validate && spec !== undefined) {
      const schema: Schema = success ? spec.success : spec.failure;
      const parsed = schema.safeParse(cleaned);
      if (!parsed.success) {
        const issues = toIssues(parsed.error);
        return makeResult(
          false,
          cleaned,
          frozenMessages,
          headers,
          200,
          `the reply does not match the ${success ? 'success' : 'failure'} shape of '${type}': ${describeIssues(issues)}`,
          reqid,
          'invalid-response',
          1,
          { issues },
        );
      }
    }
    return success
      ? makeResult(true, cleaned, frozenMessages, headers, 200, null, reqid, null, 1)
      : makeResult(
          false,
          cleaned,
          frozenMessages,
          headers,
          200,
          failureReason,
          reqid,
          'rejected',
          1,
        );
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

function invalidEnvelope(
  headers: ResponseHeaders,
  reqid: Reqid,
  response: unknown,
  reason: string,
): ResponseTuple<unknown, unknown> {
  return makeResult(
    false,
    response,
    COMMUNICATION_MESSAGES,
    headers,
    200,
    reason,
    reqid,
    'invalid-response',
    1,
    {
      issues: [{ path: [], message: reason }],
    },
  );
}

function abortedBeforeSending(): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind: 'aborted',
      delivery: 'not-sent',
      gotHeaders: false,
      message: 'the signal was aborted before the request was sent',
      code: undefined,
    },
  };
}

function abortedByCaller(): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind: 'aborted',
      delivery: 'maybe-sent',
      gotHeaders: false,
      message: 'the request was aborted',
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
