/**
 * `authnzerver/fastify`: the web core as a Fastify 5 plugin. It authenticates each request in an `onRequest`
 * hook and decorates `request.auth` (typed by module augmentation), and the instance with the guards
 * `requireUser()`, `requireRole()`, `requireAccess()` and `limitRequests()`, which return `preHandler` hooks.
 * It is not encapsulated (as `fastify-plugin` would make it, without depending on it), so its hook and
 * decorators reach the routes of the app that registers it.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { fastifyKeysError } from '../options.js';
import type { AccessQuery, AuthContext, AuthFailure, WebAuth } from '../types.js';
import { failureHeaders, FailureHandlers, MISSING_MIDDLEWARE, NodeAuthRequest } from './shared.js';

/** Answers a refused request; the default sends the failure's status and generic message as text. */
export type FastifyFailureHandler = (
  failure: AuthFailure,
  request: FastifyRequest,
  reply: FastifyReply,
) => void | Promise<void>;

/** Options of {@link authnzerverPlugin}. */
export interface FastifyAuthOptions {
  /** The web core (`createWebAuth(...)`). */
  readonly auth: WebAuth;
  /** Create an anonymous session on requests without one (all, or those the function picks). Default `false`. */
  readonly anonymous?: boolean | ((request: FastifyRequest) => boolean);
  /** How refused requests (by the hook and by the guards) are answered. */
  readonly onFailure?: FastifyFailureHandler;
}

/** The guards the plugin adds to the instance; each returns a `preHandler`. */
export interface AuthnzerverGuards {
  requireUser(): preHandlerAsyncHookHandler;
  requireRole(...roles: readonly string[]): preHandlerAsyncHookHandler;
  requireAccess(
    query: AccessQuery | ((request: FastifyRequest) => AccessQuery),
  ): preHandlerAsyncHookHandler;
  limitRequests(limitName?: string, windowSeconds?: number): preHandlerAsyncHookHandler;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's auth context, set by the authnzerver plugin. */
    auth: AuthContext;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the guards, merged into the instance
  interface FastifyInstance extends AuthnzerverGuards {}
}

/** The default failure answer: the status, `Retry-After` on 429, and the generic message as plain text. */
export const sendFailure: FastifyFailureHandler = (failure, _request, reply) => {
  void reply
    .code(failure.status)
    .headers(failureHeaders(failure))
    .type('text/plain; charset=utf-8')
    .send(failure.message);
};

const handlers = new FailureHandlers<FastifyFailureHandler>();

/** The request's auth context. @throws {Error} when the plugin did not run for this request. */
export function getAuth(request: FastifyRequest): AuthContext {
  const context = (request as { auth?: AuthContext | null }).auth;
  if (context === undefined || context === null) throw new Error(MISSING_MIDDLEWARE);
  return context;
}

/** Makes a `preHandler` from a check. */
function guard(
  check: (
    context: AuthContext,
    request: FastifyRequest,
  ) => AuthFailure | null | Promise<AuthFailure | null>,
): preHandlerAsyncHookHandler {
  return async function authnzerverGuard(request, reply) {
    const context = getAuth(request);
    const failure = await check(context, request);
    if (failure === null) return;
    await (handlers.get(context) ?? sendFailure)(failure, request, reply);
    return reply;
  };
}

/** A `preHandler` that passes requests with a user (by session or API key); else 401. */
export function requireUser(): preHandlerAsyncHookHandler {
  return guard((context) => context.requireUser());
}

/** A `preHandler` that passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): preHandlerAsyncHookHandler {
  return guard((context) => context.requireRole(...roles));
}

/** A `preHandler` that passes requests `user-check-access` allows. */
export function requireAccess(
  query: AccessQuery | ((request: FastifyRequest) => AccessQuery),
): preHandlerAsyncHookHandler {
  return guard((context, request) =>
    context.requireAccess(typeof query === 'function' ? query(request) : query),
  );
}

/** A `preHandler` for the per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(
  limitName?: string,
  windowSeconds?: number,
): preHandlerAsyncHookHandler {
  return guard((context) => context.limitRequests(limitName, windowSeconds));
}

const guards: AuthnzerverGuards = { requireUser, requireRole, requireAccess, limitRequests };

/** The plugin's body (see {@link authnzerverPlugin}). */
function register(fastify: FastifyInstance, options: FastifyAuthOptions): Promise<void> {
  const unknownKey = fastifyKeysError(options);
  if (unknownKey !== undefined) return Promise.reject(unknownKey);
  const auth = options.auth as WebAuth | null | undefined;
  if (
    typeof auth !== 'object' ||
    auth === null ||
    typeof (auth.authenticate as unknown) !== 'function'
  ) {
    throw new TypeError('authnzerverPlugin: the `auth` option must be createWebAuth(...)');
  }
  const onFailure = options.onFailure ?? sendFailure;
  const anonymous = options.anonymous ?? false;
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
