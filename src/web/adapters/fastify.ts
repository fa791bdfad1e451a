/**
 * `authnzerver/fastify`: the web core as a Fastify 5 plugin. It authenticates each request in an `onRequest`
 * hook and decorates `request.auth` (typed by module augmentation), and the instance with the guards
 * `requireUser()`, `requireApiKey()`, `requireRole()`, `requireAccess()` and `limitRequests()`, which return
 * `preHandler` hooks. Refusals answer as plain text, or as JSON when the request asks for it.
 * It is not encapsulated (as `fastify-plugin` would make it, without depending on it), so its hook and
 * decorators reach the routes of the app that registers it.
 */
import type {
  RegisterOptions,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { ConfigError } from '../../core/errors.js';
import { applyCachePolicy } from '../cache-policy.js';
import { checkKeys, optionShape } from '../../core/options.js';
import type { AccessQuery, AuthContext, AuthFailure, WebAuth } from '../types.js';
import {
  failureReply,
  FailureHandlers,
  MISSING_MIDDLEWARE,
  NodeAuthRequest,
  wantsJson,
  type GuardOptions,
  checkMaxAge,
  nodeHeaders,
} from './shared.js';

export type { GuardOptions } from './shared.js';

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type FastifyFailureHandler = (
  failure: AuthFailure,
  request: FastifyRequest,
  reply: FastifyReply,
) => void | Promise<void>;

/** Options of {@link authnzerverPlugin}. */
export interface FastifyAuthOptions {
  /** The web core (`createWebAuth(...)`). */
  readonly auth: WebAuth;
  /**
   * Create an anonymous session on requests without one (all, or those the function picks), for an app that
   * keeps state for visitors. A log-in form does not need one. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | ((request: FastifyRequest) => boolean) | undefined;
  /**
   * How refused requests (by the hook and by the guards) are answered.
   * @default the built-in answer: a page, or JSON when the request asks for it
   */
  readonly onFailure?: FastifyFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(request) => request.url.startsWith('/api/')`),
   * or for all with `true`. Default: JSON when the request asks for it (`Accept`), plain text otherwise.
   * @default undefined (JSON when the request's `Accept` asks for it)
   */
  readonly json?: boolean | ((request: FastifyRequest) => boolean) | undefined;
}

/** The guards the plugin adds to the instance; each returns a `preHandler`. */
export interface AuthnzerverGuards {
  requireUser(options?: GuardOptions): preHandlerAsyncHookHandler;
  requireApiKey(options?: GuardOptions): preHandlerAsyncHookHandler;
  requireRole(...roles: readonly string[]): preHandlerAsyncHookHandler;
  requireAccess(
    query: AccessQuery | ((request: FastifyRequest) => AccessQuery),
    options?: GuardOptions,
  ): preHandlerAsyncHookHandler;
  limitRequests(limitName?: string, windowSeconds?: number): preHandlerAsyncHookHandler;
  requireRecentAuth(maxAgeSeconds: number, options?: GuardOptions): preHandlerAsyncHookHandler;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's auth context, set by the authnzerver plugin. */
    auth: AuthContext;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the guards, merged into the instance
  interface FastifyInstance extends AuthnzerverGuards {}
}

/**
 * The plugin's own options, and those Fastify takes from every plugin's options object (`RegisterOptions`:
 * `prefix`, `logLevel`, `logSerializers`), which reach the plugin too. Another key is a `ConfigError`.
 */
const OPTION_KEYS = optionShape<FastifyAuthOptions & RegisterOptions>({
  auth: true,
  anonymous: true,
  onFailure: true,
  json: true,
  prefix: true,
  logLevel: true,
  logSerializers: true,
});

/** The error for an option key neither the plugin nor Fastify knows, or undefined. */
function keysError(options: unknown): ConfigError | undefined {
  try {
    checkKeys(options, OPTION_KEYS, 'authnzerverPlugin');
    return undefined;
  } catch (error) {
    return error as ConfigError;
  }
}

function send(reply: FastifyReply, failure: AuthFailure, json: boolean): void {
  const answer = failureReply(failure, json);
  void reply.code(answer.status).headers(answer.headers).type(answer.contentType).send(answer.body);
}

/**
 * The default failure answer: the status, `Retry-After` on 429, `WWW-Authenticate` on API-key refusals, and the
 * generic message, as JSON when the request asks for it, else as plain text.
 */
export const sendFailure: FastifyFailureHandler = (failure, request, reply) => {
  send(reply, failure, wantsJson({ get: (name) => headerOf(request, name) }));
};

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: FastifyFailureHandler = (failure, _request, reply) => {
  send(reply, failure, true);
};

function headerOf(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

const handlers = new FailureHandlers<FastifyFailureHandler>();

/** The request's auth context. @throws {Error} when the plugin did not run for this request. */
export function getAuth(request: FastifyRequest): AuthContext {
  const context = (request as { auth?: AuthContext | null }).auth;
  if (context === undefined || context === null) throw new Error(MISSING_MIDDLEWARE);
  return context;
}

/** Makes a `preHandler` from a check (refusals as JSON with `json: true`). */
function guard(
  check: (
    context: AuthContext,
    request: FastifyRequest,
  ) => AuthFailure | null | Promise<AuthFailure | null>,
  options: GuardOptions = {},
): preHandlerAsyncHookHandler {
  return async function authnzerverGuard(request, reply) {
    const context = getAuth(request);
    const failure = await check(context, request);
    if (failure === null) return;
    const handler = handlers.get(context) ?? sendFailure;
    await (options.json === true && handler === sendFailure ? sendJsonFailure : handler)(
      failure,
      request,
      reply,
    );
    return reply;
  };
}

/** A `preHandler` that passes requests with a user (by session or API key); else 401. */
export function requireUser(options?: GuardOptions): preHandlerAsyncHookHandler {
  return guard((context) => context.requireUser(), options);
}

/**
 * A `preHandler` that passes requests made with a valid API key; else 401 with `WWW-Authenticate: Bearer` (a
 * cookie is not enough).
 */
export function requireApiKey(options?: GuardOptions): preHandlerAsyncHookHandler {
  return guard((context) => context.requireApiKey(), options);
}

/** A `preHandler` that passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): preHandlerAsyncHookHandler {
  return guard((context) => context.requireRole(...roles));
}

/** A `preHandler` that passes requests `user-check-access` allows. */
export function requireAccess(
  query: AccessQuery | ((request: FastifyRequest) => AccessQuery),
  options?: GuardOptions,
): preHandlerAsyncHookHandler {
  return guard(
    (context, request) =>
      context.requireAccess(typeof query === 'function' ? query(request) : query),
    options,
  );
}

/** A `preHandler` for the per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(
  limitName?: string,
  windowSeconds?: number,
): preHandlerAsyncHookHandler {
  return guard((context) => context.limitRequests(limitName, windowSeconds));
}

/**
 * A `preHandler` passing requests whose session's user confirmed the password within `maxAgeSeconds`
 * (`confirmPassword`); else 401 without a user, or 403 `reauthenticate` (the failure handler may redirect).
 *
 * @throws {ConfigError} at once when `maxAgeSeconds` is not a number > 0.
 */
export function requireRecentAuth(
  maxAgeSeconds: number,
  options?: GuardOptions,
): preHandlerAsyncHookHandler {
  const max = checkMaxAge(maxAgeSeconds);
  return guard((context) => context.requireRecentAuth(max), options);
}

const guards: AuthnzerverGuards = {
  requireRecentAuth,
  requireUser,
  requireApiKey,
  requireRole,
  requireAccess,
  limitRequests,
};

/** The plugin's body (see {@link authnzerverPlugin}). */
function register(fastify: FastifyInstance, options: FastifyAuthOptions): Promise<void> {
  // Rejected, not thrown: Fastify (avvio) does not catch what a plugin throws synchronously.
  const unknownKey = keysError(options);
  if (unknownKey !== undefined) return Promise.reject(unknownKey);
  const auth = options.auth as WebAuth | null | undefined;
  if (
    typeof auth !== 'object' ||
    auth === null ||
    typeof (auth.authenticate as unknown) !== 'function'
  ) {
    return Promise.reject(
      new ConfigError('authnzerverPlugin: the `auth` option must be createWebAuth(...)', {
        option: 'auth',
      }),
    );
  }
  const anonymous = options.anonymous ?? false;
  const json = options.json ?? false;
  fastify.decorateRequest('auth', null as unknown as AuthContext);
  for (const [name, fn] of Object.entries(guards)) fastify.decorate(name, fn);
  fastify.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    const authRequest = new NodeAuthRequest(
      request.method,
      (raw.socket as { encrypted?: boolean }).encrypted === true,
      request.headers,
      raw.url ?? request.url,
    );
    const createAnonymous = typeof anonymous === 'function' ? anonymous(request) : anonymous;
    const onFailure =
      options.onFailure ??
      ((typeof json === 'function' ? json(request) : json) ? sendJsonFailure : sendFailure);
    const result = await auth.authenticate(
      authRequest,
      {
        remoteAddress: raw.socket.remoteAddress,
        setCookie: (value) => {
          reply.header('set-cookie', value);
        },
      },
      { createAnonymous },
    );
    if (!result.ok) {
      await onFailure(result.failure, request, reply);
      return reply;
    }
    handlers.set(result.context, onFailure);
    request.auth = result.context;
  });
  // The caching rule, once the handler has run (and maybe logged in or out).
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const context = request.auth as AuthContext | null;
    if (context !== null) {
      applyCachePolicy(
        context,
        nodeHeaders(reply, (name, value) => {
          reply.header(name, value);
        }),
      );
    }
    done(null, payload);
  });
  return Promise.resolve();
}

/**
 * The plugin: `await app.register(authnzerverPlugin, { auth })`. It carries what `fastify-plugin` would set (no
 * encapsulation, a name, the Fastify versions it works with), as part of its value, so no bundler can drop it.
 */
export const authnzerverPlugin: typeof register = Object.assign(register, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'authnzerver',
  [Symbol.for('plugin-meta')]: { name: 'authnzerver', fastify: '5.x' },
});

export default authnzerverPlugin;
