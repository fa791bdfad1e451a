import { platform } from '#platform';
import { callSteps, type CallServices, type CallSteps } from './core/call.js';
import type { AuthnzerverOptions, ResolvedConfig } from './client-options.js';
import { resolveConfig } from './config.js';
import { driveAsync, driveSync } from './transport/drive.js';
import { ClientClosedError, ConfigError } from './core/errors.js';
import { checkHealth, type HealthOptions, type HealthResult } from './health.js';
import { logAndHooks } from './observe/observer.js';
import { newReqid } from './crypto/random.js';
import type { SyncSender } from './platform/types.js';
import { refuseSameThread } from './sync/same-thread.js';
import { keyRing, type KeyRing } from './core/keys.js';
import { prepareCall, type PrepareServices } from './core/request.js';
import type { Reqid, ResponseTuple, UntypedResponseTuple } from './core/result.js';
import {
  newTrace,
  traceAsync,
  traceSync,
  tracing,
  tracingObserver,
  type CallTrace,
} from './observe/tracing.js';
import type { CallOptions } from './core/call-options.js';
import type { RequestMap, RequestSpec, SpecRegistry, UntypedBody } from './core/spec.js';
import { wireCodec, type Codec } from './crypto/wire.js';

export { parseRetryAfter } from './core/reply.js';

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

/** What a client's calls run with: the clocks, randomness, request ids, observer, key memory, schema compiler. */
type ClientServices = CallServices & PrepareServices & { readonly keys: KeyRing };

/** The services of a client's calls. */
function clientServices(config: ResolvedConfig): ClientServices {
  return {
    now: () => performance.now(),
    date: Date.now,
    random: Math.random,
    newReqid,
    observer: logAndHooks(config.logger, config.hooks),
    keys: keyRing(config.fernets.length),
    compileSchema: platform.compileSchema,
  };
}

/**
 * Which of its keys a client uses, and what the others cost (see the `secret` option): no key is shown, only
 * positions in `secret`'s list (from 0) and counts.
 */
export interface KeyStatus {
  /** How many keys `secret` holds. */
  readonly count: number;
  /**
   * The position of the key new calls are sealed with first: the one the servers accepted most often of late (its
   * recent success rate; the list's order breaks a tie).
   */
  readonly current: number;
  /** Each key's fingerprint (`config.secretFingerprints`). */
  readonly fingerprints: readonly string[];
  /**
   * How many sends the server refused with its 401 (it could not decrypt them), and that were sent again with
   * another key, since the client was made: the extra round trips of a rotation. 0 with a single key.
   */
  readonly extraRoundTrips: number;
}

/** The error of the sync API on a runtime other than Node.js (see `platform/types.ts`). */
function syncIsNodeOnly(): ConfigError {
  return new ConfigError(
    `the sync API (\`client.sync\`, \`requestSync\`) is Node.js only: it blocks the calling thread on a ` +
      `worker thread, which ${platform.label} cannot do; use the async methods (\`await client.sessionExists(...)\`)`,
    { option: 'sync' },
  );
}

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
  readonly #services: ClientServices;
  readonly #codec: Codec;
  readonly #specs: Readonly<Record<string, RequestSpec | undefined>>;
  #closed = false;
  #closing: Promise<void> | undefined;
  #syncHost: SyncSender | undefined;
  #syncView: unknown;

  /**
   * @param options see {@link AuthnzerverOptions}; `url` and `secret` fall back to `AUTHNZERVER_URL` and
   *   `AUTHNZERVER_SECRET`.
   * @param specs the catalogue's request specs, keyed by wire name (the generated client passes them).
   * @throws {ConfigError} when an option is missing or malformed; it names the option and its variable.
   */
  constructor(options: AuthnzerverOptions | undefined, specs: SpecRegistry<M>) {
    this.#config = resolveConfig(options);
    this.#services = clientServices(this.#config);
    this.#codec = wireCodec(this.#config.fernets);
    this.#specs = specs;
  }

  /** The resolved configuration, without secrets. */
  get config(): ResolvedConfig['summary'] {
    return this.#config.summary;
  }

  /**
   * Which key of `secret` the client uses now, and the extra round trips its other keys have cost (a snapshot).
   *
   * @example
   * const { current, extraRoundTrips } = client.keyStatus;
   * metrics.gauge('authnzerver.key', current);
   */
  get keyStatus(): KeyStatus {
    const ring = this.#services.keys;
    return {
      count: ring.size,
      current: ring.current,
      fingerprints: this.#config.summary.secretFingerprints,
      extraRoundTrips: ring.extraRoundTrips,
    };
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
  request<T extends (keyof M & string) | (string & {})>(
    type: T,
    body: BodyFor<M, T>,
    reqid?: Reqid | CallOptions,
  ): Promise<ResultFor<M, T>> {
    return this.#run(this.#specFor(type), type, body, toOptions(reqid)) as Promise<ResultFor<M, T>>;
  }

  /**
   * The synchronous twin of {@link request}, for scripts and start-up code: the same validation, deadlines,
   * retries, failure kinds and tuples, while the calling thread blocks. The network I/O runs in a worker thread
   * (started on first use, ended by `close()`); the caller's `signal` is checked only before sending.
   *
   * @throws {RequestValidationError} when the body is invalid; nothing is sent.
   * @throws {ConfigError} with a custom `transport` or `fetch`, which cannot move to a worker thread; on a
   *   runtime other than Node.js (`option: 'sync'`), where there is no sync API; when `url` is a test server of
   *   this same thread (`option: 'url'`), which could not answer while the call blocks the thread.
   */
  requestSync<T extends (keyof M & string) | (string & {})>(
    type: T,
    body: BodyFor<M, T>,
    reqid?: Reqid | CallOptions,
  ): ResultFor<M, T> {
    return this[RUN_SYNC](this.#specFor(type), type, body, toOptions(reqid)) as ResultFor<M, T>;
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
    if (platform.syncSender === undefined) throw syncIsNodeOnly();
    this.#syncView ??= new make(this);
    return this.#syncView as V;
  }

  /** The catalogue's spec of a request type; none for other types (and for anything that is not a string). */
  #specFor(type: unknown): RequestSpec | undefined {
    return typeof type === 'string' && Object.hasOwn(this.#specs, type)
      ? this.#specs[type]
      : undefined;
  }

  #steps(
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
    trace: CallTrace | undefined,
  ): CallSteps {
    if (this.#closed) throw new ClientClosedError();
    const config = this.#config;
    const services = this.#services;
    // A `:start` subscriber may propose the request id (trace.reqid); the caller's own wins.
    const proposed = trace?.reqid;
    const call = prepareCall(
      config,
      spec,
      type,
      body,
      options,
      proposed === undefined ? services : { ...services, newReqid: () => proposed },
    );
    if (trace === undefined) return callSteps(config, call, services);
    trace.reqid = call.reqid;
    const observer = tracingObserver(trace, services.observer);
    return callSteps(config, call, { ...services, observer });
  }

  /**
   * The async driver, inside a trace when something listens. Not an `async` function, whose promise would wrap
   * the driver's in one more promise and two more turns of the microtask queue per call: a refused request is a
   * rejection all the same.
   */
  #run(
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<ResponseTuple<unknown, unknown>> {
    if (tracing()) return this.#runTraced(spec, type, body, options);
    try {
      const io = { transport: this.#config.transport, codec: this.#codec, signal: options?.signal };
      return driveAsync(this.#steps(spec, type, body, options, undefined), io);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the checks threw, as is
      return Promise.reject(error);
    }
  }

  async #runTraced(
    spec: RequestSpec | undefined,
    type: string,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<ResponseTuple<unknown, unknown>> {
    const io = { transport: this.#config.transport, codec: this.#codec, signal: options?.signal };
    const trace = newTrace(type, this.#config.url, false);
    // Async, so that a refused request is a rejection in the trace as it is for the caller.
    return traceAsync(trace, async () =>
      driveAsync(this.#steps(spec, type, body, options, trace), io),
    );
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
    const run = (trace: CallTrace | undefined): ResponseTuple<unknown, unknown> => {
      const steps = this.#steps(spec, type, body, options, trace);
      if (platform.syncSender === undefined) throw syncIsNodeOnly();
      // A server of this thread could not answer while the call blocks it.
      refuseSameThread(this.#config.url);
      this.#syncHost ??= platform.syncSender(this.#config.transportPlan);
      return driveSync(steps, this.#syncHost, this.#codec, options?.signal);
    };
    if (!tracing()) return run(undefined);
    const trace = newTrace(type, this.#config.url, true);
    return traceSync(trace, () => run(trace));
  }

  /**
   * Reads the server's `GET /health` report, for readiness probes and `doctor`: `ok` is true only when the
   * server answered 200 with `Health-Ok: true` (every worker reached its database). Otherwise `failure` says
   * why, telling apart `unhealthy` (the report, with its `workers`), `rate-limited` (HTTP 429: `/health` is
   * rate-limited like a request) and `rate-limits-off` (HTTP 500 from a server run with
   * `AUTHNZERVER_RATELIMITS=none`, whose `/health` always fails; to tell that 500 from a broken server, one
   * harmless `session-exists` request is sent within the same deadline). It has no retries and no hooks.
   *
   * @param options `timeout`: the check's deadline in ms (default: `timeouts.request`); `signal`: aborts it.
   * @returns the result; transport and server failures are results, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when an option is invalid; nothing is sent.
   * @throws {ClientClosedError} (as a rejection) after `close()`.
   *
   * @example
   * const health = await client.health({ timeout: 1000 });
   * if (!health.ok) console.warn(`not ready: ${health.failure}: ${health.failureReason}`);
   */
  health(options?: HealthOptions): Promise<HealthResult> {
    if (this.#closed) return Promise.reject(new ClientClosedError());
    return checkHealth(
      {
        config: this.#config,
        now: () => this.#services.now(),
        request: (type, body, callOptions) => this.request(type, body as never, callOptions),
      },
      options,
    );
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
  request<T extends (keyof M & string) | (string & {})>(
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

declare global {
  interface SymbolConstructor {
    /**
     * `Symbol.asyncDispose`, the key of {@link AuthnzerverClient}'s `[Symbol.asyncDispose]()`. Declared as
     * TypeScript's lib `esnext.disposable` and @types/node declare it (the declarations merge), so that the
     * published types also compile in an app that has neither; `await using` itself needs one of them.
     */
    readonly asyncDispose: unique symbol;
  }
}
