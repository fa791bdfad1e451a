import { callSteps, type CallSteps } from './call.js';
import { resolveConfig, type AuthnzerverOptions, type ResolvedConfig } from './config.js';
import { ClientClosedError } from './errors.js';
import type { Reqid, ResponseTuple, UntypedResponseTuple } from './result.js';
import { ABORTED_BEFORE_SENDING, sendOnce, type Sent } from './send.js';
import type { CallOptions, RequestMap, RequestSpec, SpecRegistry, UntypedBody } from './spec.js';
import { SyncHost, sleepSync } from './sync/host.js';

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

/** What the sync driver gives for a send the caller's signal stopped before it started. */
const ABORTED: Sent = { outcome: { ok: false, failure: ABORTED_BEFORE_SENDING }, timedOut: null };

function toOptions(reqid: Reqid | CallOptions | undefined): CallOptions | undefined {
  return typeof reqid === 'object' ? reqid : reqid === undefined ? undefined : { reqid };
}

/** How a sync view reaches its client's sync driver, without making it public. */
const RUN_SYNC = Symbol('runSync');

/**
 * The hand-written runtime of the client: configuration, the transport and the two drivers (async and sync)
 * of the one call logic (`callSteps`). The generated `Authnzerver` class extends it with one typed method per
 * request type; a client generated from your own catalogue does the same.
 *
 * @typeParam M the catalogue's request map (wire name to body, success and failure types).
 */
export class AuthnzerverClient<M extends RequestMap<M>> {
  readonly #config: ResolvedConfig;
  readonly #specs: Readonly<Record<string, RequestSpec | undefined>>;
  #closed = false;
  #closing: Promise<void> | undefined;
  #syncHost: SyncHost | undefined;
  #syncView: unknown;

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
    return this.#run(this.#specs[type], type, body, toOptions(reqid)) as Promise<ResultFor<M, T>>;
  }

  /**
   * The synchronous twin of {@link request}, for scripts and start-up code: the same validation, deadlines,
   * retries, failure kinds and tuples, while the calling thread blocks. The network I/O runs in a worker thread
   * (started on first use, ended by `close()`); the caller's `signal` is checked only before sending.
   *
   * @throws {RequestValidationError} when the body is invalid; nothing is sent.
   * @throws {ConfigError} with a custom `transport` or `fetch`, which cannot move to a worker thread.
   */
  requestSync<T extends string>(
    type: T,
    body: BodyFor<M, T>,
    reqid?: Reqid | CallOptions,
  ): ResultFor<M, T> {
    return this[RUN_SYNC](this.#specs[type], type, body, toOptions(reqid)) as ResultFor<M, T>;
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
    return this.#run(spec, spec.type, body, options) as Promise<ResponseTuple<S, F>>;
  }

  /**
   * The generated `sync` view: one instance per client, made on first use.
   * @internal
   */
  protected syncView<V>(make: new (client: AuthnzerverClient<M>) => V): V {
    this.#syncView ??= new make(this);
    return this.#syncView as V;
  }

  #steps(
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
  ): CallSteps {
    if (this.#closed) throw new ClientClosedError();
    return callSteps(this.#config, spec, type, body, options);
  }

  /** The async driver: awaits each send and pause. */
  async #run(
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<ResponseTuple<unknown, unknown>> {
    const steps = this.#steps(spec, type, body, options);
    const signal = options?.signal;
    let step = steps.next();
    while (step.done !== true) {
      const next = step.value;
      step = steps.next(
        next.kind === 'send'
          ? await sendOnce(this.#config.transport, next.request, signal)
          : await sleep(next.ms, signal),
      );
    }
    return step.value;
  }

  /**
   * The sync driver: blocks on each send (in the worker) and pause.
   * @internal
   */
  [RUN_SYNC](
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
  ): ResponseTuple<unknown, unknown> {
    const steps = this.#steps(spec, type, body, options);
    const signal = options?.signal;
    this.#syncHost ??= new SyncHost(this.#config.transportSpec);
    const host = this.#syncHost;
    let step = steps.next();
    while (step.done !== true) {
      const next = step.value;
      step = steps.next(
        next.kind === 'send'
          ? signal?.aborted === true
            ? ABORTED
            : host.send(next.request)
          : sleepSync(next.ms),
      );
    }
    return step.value;
  }

  /**
   * Closes the client: waits for requests in flight, then releases every socket, timer and the sync worker, so
   * a script ends on its own. Idempotent. Requests made after it throw {@link ClientClosedError}.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= Promise.all([this.#config.transport.close(), this.#syncHost?.close()]).then(
      () => undefined,
    );
    return this.#closing;
  }

  /** `await using client = new Authnzerver()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The base of a generated client's `sync` view: the same methods, synchronous.
 *
 * @typeParam M the catalogue's request map.
 */
export class SyncClient<M extends RequestMap<M>> {
  readonly #client: AuthnzerverClient<M>;

  constructor(client: AuthnzerverClient<M>) {
    this.#client = client;
  }

  /** The synchronous {@link AuthnzerverClient.request}. */
  request<T extends string>(
    type: T,
    body: BodyFor<M, T>,
    reqid?: Reqid | CallOptions,
  ): ResultFor<M, T> {
    return this.#client.requestSync(type, body, reqid);
  }

  /**
   * Sends one request of a catalogue type synchronously: what each generated sync method calls.
   * @internal
   */
  protected call<S, F>(
    spec: RequestSpec,
    body: unknown,
    options: CallOptions | undefined,
  ): ResponseTuple<S, F> {
    return this.#client[RUN_SYNC](spec, spec.type, body, options) as ResponseTuple<S, F>;
  }
}
