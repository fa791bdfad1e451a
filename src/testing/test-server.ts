import { specs } from '../../generated/specs.js';
import type { AuthnzerverRequests } from '../../generated/types.js';
import { IN_MEMORY, InMemoryAuthnzerver, type InMemoryAuthnzerverOptions } from './authnzerver.js';
import type { RequestMap, RequestShape, RequestSpec, SpecRegistry } from '../core/spec.js';
import { checkParams, invalidParamsReply, paramRulesOf, type ParamRule } from './params.js';
import { checkKeys, optionShape, orFalse, type OptionShape } from '../core/options.js';
import { isHttpError, sleep } from './protocol/replies.js';
import { jsonText } from './py.js';
import { RATE_LIMITS, RateLimiter, type RateLimitOptions } from './ratelimit.js';
import {
  serveProtocol,
  TLS,
  type ActionReply,
  type HandlerResult,
  type HttpErrorReply,
  type ReceivedRequest,
  type ProtocolServer,
  type ProtocolServerOptions,
} from './protocol-server.js';

type Requests = AuthnzerverRequests;
/** A request type of the catalogue, by its wire name (`user-login`). */
export type RequestTypeName = keyof Requests;
type MethodOf<K extends RequestTypeName> = (typeof specs)[K]['method'];
/** Wire names by method name (`userLogin` → `user-login`). */
type WireNames = { readonly [K in RequestTypeName as MethodOf<K>]: K };
/** A method name of the generated client (`userLogin`). */
export type RequestMethodName = keyof WireNames;

/**
 * The action dict a handler answers a request type with, typed by the catalogue: `success: true` with the
 * type's success keys, or `success: false` with its failure keys and usually a `failure_reason`. `messages`
 * are for the end user; they default to `[]`.
 */
export type ActionReplyFor<K extends RequestTypeName> =
  | ({ readonly success: true; readonly messages?: readonly string[] } & Requests[K]['success'])
  | ({
      readonly success: false;
      readonly messages?: readonly string[];
      readonly failure_reason?: string;
    } & Requests[K]['failure']);

/**
 * Answers one request type in place of the in-memory server. It gets the body (after the server's own
 * parameter check, which is lenient: a deliberately malformed request may still reach it) and the request as
 * received; it returns the action dict, or `{ httpStatus }` for an HTTP error. Throwing answers HTTP 400, as an
 * exception inside an action does on the real server.
 */
export type TypedHandler<K extends RequestTypeName> = (
  body: Requests[K]['body'],
  request: ReceivedRequest,
) => ActionReplyFor<K> | HttpErrorReply | Promise<ActionReplyFor<K> | HttpErrorReply>;

/** The action dict a handler answers with, for one request type of any generated {@link RequestMap}. */
export type ActionReplyOf<R extends RequestShape> =
  | ({ readonly success: true; readonly messages?: readonly string[] } & R['success'])
  | ({
      readonly success: false;
      readonly messages?: readonly string[];
      readonly failure_reason?: string;
    } & R['failure']);

/**
 * Typed handlers for a client generated from your own catalogue (one that `extends: authnzerver`), by its method
 * names: `M` is its generated `…Requests` interface and `S` the type of its `specs`.
 */
export type HandlersFor<M extends RequestMap<M>, S extends SpecRegistry<M>> = {
  readonly [K in keyof M & keyof S as S[K]['method']]?:
    | ((
        body: M[K]['body'],
        request: ReceivedRequest,
      ) => ActionReplyOf<M[K]> | HttpErrorReply | Promise<ActionReplyOf<M[K]> | HttpErrorReply>)
    | undefined;
};

/**
 * The options of a test server for a client generated from your own catalogue: its `specs` (every request type of
 * that catalogue is accepted, its bodies checked as the server checks them) and handlers typed by it.
 */
export type CustomCatalogueOptions<M extends RequestMap<M>, S extends SpecRegistry<M>> = Omit<
  CreateTestServerOptions,
  'handlers'
> & {
  /** The `specs` export of your generated client. */
  readonly specs: S;
  readonly handlers?: HandlersFor<M, S> | undefined;
};

/** Typed handlers by the generated client's method names, e.g. `{ userLogin: (body) => ({ ... }) }`. */
export type TestServerHandlers = {
  readonly [M in RequestMethodName]?: TypedHandler<WireNames[M]> | undefined;
};

/** The failed-login back-off and lock-out of `user-login` and `user-passcheck-nosession`, by email address. */
export interface LoginBackoffOptions {
  /**
   * Multiplies the server's delay before answering the n-th failure in a row, 1.5^(n-1) seconds (1, 1.5, 2.25,
   * …, at most 40). `0` answers at once, for fast tests.
   * @default 1 (the real server's delays)
   */
  readonly scale?: number | undefined;
  /** Failures in a row after which the next failure locks the account. @default 10 */
  readonly lockAfter?: number | undefined;
  /**
   * How long a lock-out lasts, in seconds (on the server's clock; the unlock happens at the first request or
   * inspection after that).
   * @default 3600
   */
  readonly lockSeconds?: number | undefined;
}

/** Options of {@link createTestServer}. All are optional. */
export interface CreateTestServerOptions {
  /**
   * The Fernet key, shared with the client, or a set of keys that all decrypt requests (a reply is sealed with
   * the key that decrypted its request). `server.setSecret()` changes it mid-run, for secret-rotation tests.
   * @default a new random key
   */
  readonly secret?: ProtocolServerOptions['secret'];
  /** The port to listen on, e.g. to restart a server where it was. @default a free port */
  readonly port?: number | undefined;
  /**
   * Handlers that answer some request types in place of the in-memory server.
   * @default {} (the in-memory authnzerver answers every type)
   */
  readonly handlers?: TestServerHandlers | undefined;
  /**
   * The in-memory authnzerver's options, or `false` to turn it off: then request types without a handler get
   * HTTP 400, as unknown types do on the server.
   * @default an in-memory authnzerver with the default users
   */
  readonly authnzerver?: InMemoryAuthnzerverOptions | false | undefined;
  /**
   * Rate limiting as the real server does it (429 with `Retry-After: 180`), or `false` to turn it off.
   * Turned off, the test server still requires the envelope's `client_ipaddr` (the real server then would
   * not), so an app that forgets it fails its tests. `GET /health` is limited too (as the request type
   * `apikey-healthcheck` of the caller's address; `types` can tighten it) and, as on the real server, answers
   * HTTP 500 when rate limiting is off.
   * @default the real server's limits (see {@link RateLimitOptions})
   */
  readonly rateLimits?: RateLimitOptions | false | undefined;
  /**
   * The failed-login back-off and lock-out, or `false` to turn both off.
   * @default the real server's: 1.5^(n-1) s delays, a lock-out of 3600 s after 10 failures in a row
   */
  readonly loginBackoff?: LoginBackoffOptions | false | undefined;
  /** The clock, in milliseconds since the epoch, for rate limits, sessions, API keys and unlocks. @default the system clock */
  readonly now?: (() => number) | undefined;
  /** Host names accepted in the `Host` header. @default ['localhost', '127.0.0.1'] */
  readonly allowedHosts?: ProtocolServerOptions['allowedHosts'];
  /**
   * Serve HTTPS with this certificate and key (PEM).
   * @default undefined (plain HTTP)
   */
  readonly tls?: ProtocolServerOptions['tls'];
}

/** A running test server: {@link ProtocolServer} plus the in-memory authnzerver behind it. */
export interface AuthnzerverTestServer<
  A extends InMemoryAuthnzerver | undefined = InMemoryAuthnzerver,
> extends ProtocolServer {
  /** The in-memory authnzerver: seed users, read users, sessions and keys. Undefined with `authnzerver: false`. */
  readonly authnzerver: A;
  /** Forgets the rate-limit counters and the failed-login counts. */
  resetLimits(): void;
}

const LOGIN_TYPES: ReadonlySet<string> = new Set(['user-login', 'user-passcheck-nosession']);

/** The reply to the failure that locks an account (it has no `failure_reason`). */
const LOCKED_REPLY: ActionReply = Object.freeze({
  success: false,
  user_id: null,
  messages: Object.freeze([
    'Your user account has been locked after repeated login failures. Try again in an hour or contact the server admins.',
  ]),
});

type AnySpecs = Readonly<Record<string, RequestSpec>>;

/** The server's parameter rules of each type of a custom catalogue; none for a body schema they cannot be read from. */
function rulesOf(registry: AnySpecs): ReadonlyMap<string, readonly ParamRule[] | undefined> {
  return new Map(
    Object.values(registry).map((spec) => {
      try {
        return [spec.type, paramRulesOf(spec)];
      } catch {
        return [spec.type, undefined];
      }
    }),
  );
}

/** A stable key for the email a failed log-in names (any JSON value, as Python's dict takes it). */
function emailKey(email: unknown): string {
  return jsonText(email);
}

/**
 * Starts a test server for authnzerver clients on 127.0.0.1 (a free port): the real wire protocol (see
 * `startProtocolServer`), the real server's rate limiting, parameter check, failed-login back-off and
 * lock-out, and behind them an in-memory authnzerver, so an app can be tested without the Python server.
 *
 * The in-memory server starts with the real server's users: 1, the superuser (`server.authnzerver.admin`);
 * 2, `anonuser@localhost` (role anonymous, for anonymous sessions); 3, `dummyuser@localhost` (locked).
 *
 * The server runs in the thread that starts it, so a sync call (`client.sync`) from that thread to it is refused
 * with a `ConfigError`: for sync code, `startTestServerThread` runs the same server in a thread of its own.
 *
 * @param options see {@link CreateTestServerOptions}.
 * @returns the running server; `close()` it when done.
 *
 * @example
 * import { Authnzerver } from 'authnzerver';
 * import { createTestServer } from 'authnzerver/testing';
 *
 * const server = await createTestServer({ loginBackoff: { scale: 0 } });
 * server.authnzerver.addUser({ email: 'ada@example.com', password: 'Correct-Horse-Battery-9' });
 * const client = new Authnzerver({ url: server.url, secret: server.secret });
 * // ... drive your app with this client ...
 * await client.close();
 * await server.close();
 */
export function createTestServer(
  options: CreateTestServerOptions & { readonly authnzerver: false },
): Promise<AuthnzerverTestServer<undefined>>;
export function createTestServer(
  options?: CreateTestServerOptions & {
    readonly authnzerver?: InMemoryAuthnzerverOptions | undefined;
  },
): Promise<AuthnzerverTestServer>;
/**
 * The test server for a client generated from your own catalogue (docs/catalogue-drift.md): pass its `specs`, and
 * name its `…Requests` interface and `typeof specs` as the type arguments to type the handlers.
 *
 * @example
 * import { specs, type MyAuthnzerverRequests } from './authnzerver-client/index.js';
 * const server = await createTestServer<MyAuthnzerverRequests, typeof specs>({
 *   specs,
 *   handlers: { widgetGet: (body) => ({ success: true, widget: { id: body.widget_id, name: 'w' } }) },
 * });
 */
export function createTestServer<M extends RequestMap<M>, S extends SpecRegistry<M>>(
  options: CustomCatalogueOptions<M, S> & { readonly authnzerver: false },
): Promise<AuthnzerverTestServer<undefined>>;
export function createTestServer<M extends RequestMap<M>, S extends SpecRegistry<M>>(
  options: CustomCatalogueOptions<M, S> & {
    readonly authnzerver?: InMemoryAuthnzerverOptions | undefined;
  },
): Promise<AuthnzerverTestServer>;
export async function createTestServer(
  options: Omit<CreateTestServerOptions, 'handlers'> & {
    readonly specs?: AnySpecs | undefined;
    readonly handlers?: Readonly<Record<string, unknown>> | undefined;
  } = {},
): Promise<AuthnzerverTestServer<InMemoryAuthnzerver | undefined>> {
  // A custom catalogue's types, with rules read from its own body schemas (a replaced type may take other args).
  const registry: AnySpecs = options.specs ?? specs;
  checkTestServerKeys(
    options,
    Object.values(registry).map((spec) => spec.method),
  );
  const customRules = options.specs === undefined ? undefined : rulesOf(options.specs);
  const methodToType = new Map(Object.values(registry).map((spec) => [spec.method, spec.type]));
  const now = options.now ?? ((): number => performance.timeOrigin + performance.now());
  const memory =
    options.authnzerver === false
      ? undefined
      : // `authnzerver.now` wins over the server's clock; given as undefined, it is absent.
        new InMemoryAuthnzerver({ ...options.authnzerver, now: options.authnzerver?.now ?? now });
  const limiter =
    options.rateLimits === false ? undefined : new RateLimiter(options.rateLimits ?? {}, now);
  const backoff =
    options.loginBackoff === false
      ? undefined
      : {
          scale: options.loginBackoff?.scale ?? 1,
          lockAfter: options.loginBackoff?.lockAfter ?? 10,
          lockSeconds: options.loginBackoff?.lockSeconds ?? 3600,
        };
  const handlers = new Map<string, TypedHandler<RequestTypeName>>();
  for (const [method, handler] of Object.entries<unknown>(options.handlers ?? {})) {
    const type = methodToType.get(method) as string; // checkTestServerKeys: a method of the catalogue
    if (typeof handler === 'function') handlers.set(type, handler as TypedHandler<RequestTypeName>);
  }
  const failedLogins = new Map<string, number>();

  async function dispatch(request: ReceivedRequest): Promise<HandlerResult> {
    const type = request.type;
    const body = request.body as Readonly<Record<string, unknown>>;
    if (!Object.hasOwn(registry, type)) return { httpStatus: 400 };
    const problems =
      customRules === undefined
        ? checkParams(type, body)
        : checkParams(type, body, customRules.get(type));
    let reply: HandlerResult;
    if (problems.length > 0) reply = invalidParamsReply(type, problems);
    else {
      const handler = handlers.get(type);
      // The catalogue types are interfaces, without the index signature of an untyped action dict.
      if (handler !== undefined) reply = (await handler(body as never, request)) as HandlerResult;
      else if (memory?.implements(type)) reply = memory.handle(type, body);
      else return { httpStatus: 400 };
    }
    if (isHttpError(reply)) return reply;
    reply = { ...reply, messages: reply.messages ?? [] };
    if (backoff === undefined || !LOGIN_TYPES.has(type)) return reply;

    // The server's back-off reads body.email; without one it fails (HTTP 400).
    if (!Object.hasOwn(body, 'email')) return { httpStatus: 400 };
    const key = emailKey(body.email);
    if (reply.success) {
      failedLogins.delete(key);
      return reply;
    }
    const failures = (failedLogins.get(key) ?? 0) + 1;
    failedLogins.set(key, failures);
    if (failures <= backoff.lockAfter) {
      await sleep(Math.min(1.5 ** (failures - 1), 40) * 1000 * backoff.scale);
      return reply;
    }
    memory?.lockOut(body.email, backoff.lockSeconds);
    return LOCKED_REPLY;
  }

  const server = await serveProtocol(
    {
      secret: options.secret,
      port: options.port,
      handler: dispatch,
      allowedHosts: options.allowedHosts,
      tls: options.tls,
    },
    (envelope) => {
      if (limiter === undefined) return undefined;
      // The real limiter does `"email" in request_type`, which fails for a type that is not a string.
      if (typeof envelope.request !== 'string') return 500;
      return limiter.check(envelope.request, envelope.client_ipaddr, envelope);
    },
    (remoteAddress) => {
      // The real server's GET /health runs its rate limiter, as the type `apikey-healthcheck`
      // keyed by the repr of a dict. With rate limiting off its limiter is `False`, and the check fails (§6).
      if (limiter === undefined) return 500;
      return limiter.check('apikey-healthcheck', `{'ip_address': '${remoteAddress}'}`, {
        body: { ip_address: remoteAddress },
      });
    },
  );

  return Object.assign(server, {
    authnzerver: memory,
    resetLimits(): void {
      limiter?.reset();
      failedLogins.clear();
    },
  });
}

const LOGIN_BACKOFF = optionShape<LoginBackoffOptions>({
  scale: true,
  lockAfter: true,
  lockSeconds: true,
});

/** `createTestServer`'s options, `specs` (of a custom catalogue) included; `handlers` by the catalogue's methods. */
const TEST_SERVER = optionShape<CreateTestServerOptions & { readonly specs?: unknown }>(
  {
    secret: true,
    port: true,
    handlers: true,
    authnzerver: true,
    rateLimits: true,
    loginBackoff: true,
    now: true,
    allowedHosts: true,
    tls: true,
    specs: true,
  },
  {
    authnzerver: orFalse(IN_MEMORY),
    rateLimits: orFalse(RATE_LIMITS),
    loginBackoff: orFalse(LOGIN_BACKOFF),
    tls: TLS,
  },
);

/**
 * Refuses `createTestServer` options with a key it does not know, nested ones included; a handler's key must be a
 * method of the catalogue (`methods`).
 * @throws {ConfigError} e.g. `createTestServer: unknown option \`loginBackoff.scal\`; did you mean \`loginBackoff.scale\`?`
 */
function checkTestServerKeys(options: unknown, methods: readonly string[]): void {
  const handlers = { shape: { keys: methods, nested: new Map() }, orFalse: false };
  const shape: OptionShape = {
    keys: TEST_SERVER.keys,
    nested: new Map([...TEST_SERVER.nested, ['handlers', handlers]]),
  };
  checkKeys(options, shape, 'createTestServer');
}
