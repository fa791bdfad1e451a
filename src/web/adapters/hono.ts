/**
 * `authnzerver/hono`: the web core as Hono 4 middleware, for every runtime Hono runs on (Node, Bun, Deno,
 * Workers). `authnzerver(auth)` puts the request's context in the typed context variable `auth`
 * (`new Hono<AuthEnv>()`, `c.get('auth')`); `requireUser()`, `requireApiKey()`, `requireRole()`,
 * `requireAccess()` and `limitRequests()` are route middleware. Refusals answer as plain text, or as JSON when
 * the request asks for it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { applyCachePolicy } from '../cache-policy.js';
import { checkKeys, optionShape } from '../../core/options.js';
import type { AccessQuery, AuthContext, AuthFailure, WebAuth } from '../types.js';
import {
  failureReply,
  FailureHandlers,
  MISSING_MIDDLEWARE,
  wantsJson,
  type GuardOptions,
  checkMaxAge,
} from './shared.js';

export type { GuardOptions } from './shared.js';

/** The Hono environment the middleware provides: `c.get('auth')`. */
export interface AuthEnv {
  Variables: {
    /** The request's auth context. */
    auth: AuthContext;
  };
}

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type HonoFailureHandler = (failure: AuthFailure, c: Context) => Response | Promise<Response>;

/** Options of {@link authnzerver}. */
export interface HonoAuthOptions {
  /**
   * Create an anonymous session on requests without one (all, or those the function picks), for an app that
   * keeps state for visitors. A log-in form does not need one. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | ((c: Context) => boolean) | undefined;
  /**
   * How refused requests (by the middleware and by the guards) are answered.
   * @default the built-in answer: a page, or JSON when the request asks for it
   */
  readonly onFailure?: HonoFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(c) => c.req.path.startsWith('/api/')`), or for
   * all with `true`. Default: JSON when the request asks for it (`Accept`), plain text otherwise.
   * @default undefined (JSON when the request's `Accept` asks for it)
   */
  readonly json?: boolean | ((c: Context) => boolean) | undefined;
  /**
   * The TCP peer's address. The default reads it where Hono's runtimes put it: `@hono/node-server`
   * (`c.env.incoming`), Deno (`c.env.remoteAddr`) and Bun (`c.env.requestIP`). Workers give none: the client IP
   * is then `0.0.0.0` unless a trusted proxy names it (`trustProxy`).
   * @default where the runtime puts it (above)
   */
  readonly remoteAddress?: ((c: Context) => string | undefined) | undefined;
}

/** The known keys of {@link HonoAuthOptions}: another key is a `ConfigError` with "did you mean". */
const OPTION_KEYS = optionShape<HonoAuthOptions>({
  anonymous: true,
  onFailure: true,
  json: true,
  remoteAddress: true,
});

function send(c: Context, failure: AuthFailure, json: boolean): Response {
  const reply = failureReply(failure, json);
  return c.body(reply.body, reply.status, { ...reply.headers, 'content-type': reply.contentType });
}

/**
 * The default failure answer: the status, `Retry-After` on 429, `WWW-Authenticate` on API-key refusals, and the
 * generic message, as JSON when the request asks for it, else as plain text.
 */
export const sendFailure: HonoFailureHandler = (failure, c) =>
  send(c, failure, wantsJson(c.req.raw.headers));

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: HonoFailureHandler = (failure, c) => send(c, failure, true);

/** The peer address on the runtimes that say it. */
export function defaultRemoteAddress(c: Context): string | undefined {
  const env = c.env as unknown;
  if (typeof env !== 'object' || env === null) return undefined;
  const incoming = (env as Record<string, unknown>)['incoming'] as
    { socket?: { remoteAddress?: string } } | undefined;
  if (incoming?.socket?.remoteAddress !== undefined) return incoming.socket.remoteAddress;
  const remoteAddr = (env as Record<string, unknown>)['remoteAddr'] as
    { hostname?: string } | undefined;
  if (typeof remoteAddr?.hostname === 'string') return remoteAddr.hostname;
  const requestIP = (env as Record<string, unknown>)['requestIP'] as
    ((req: Request) => { address?: string } | null) | undefined;
  if (typeof requestIP === 'function') return requestIP.call(env, c.req.raw)?.address;
  return undefined;
}

const handlers = new FailureHandlers<HonoFailureHandler>();

/** The middleware: authenticates every request and sets `c.get('auth')`. */
export function authnzerver(
  auth: WebAuth,
  options: HonoAuthOptions = {},
): MiddlewareHandler<AuthEnv> {
  checkKeys(options, OPTION_KEYS, 'authnzerver/hono');
  const anonymous = options.anonymous ?? false;
  const json = options.json ?? false;
  const remote = options.remoteAddress ?? defaultRemoteAddress;
  return async (c, next) => {
    const onFailure =
      options.onFailure ??
      ((typeof json === 'function' ? json(c) : json) ? sendJsonFailure : sendFailure);
    const createAnonymous = typeof anonymous === 'function' ? anonymous(c) : anonymous;
    const cookies: string[] = [];
    const result = await auth.authenticate(
      c.req.raw,
      {
        remoteAddress: remote(c),
        setCookie: (value) => {
          cookies.push(value);
          c.header('Set-Cookie', value, { append: true });
        },
      },
      { createAnonymous },
    );
    if (!result.ok) return withCookies(await onFailure(result.failure, c), cookies);
    handlers.set(result.context, onFailure);
    c.set('auth', result.context);
    await next();
    const cached = withCachePolicy(c.res, result.context);
    if (cached !== c.res) {
      c.res = undefined;
      c.res = cached;
    }
    // A handler that returns its own `Response` (not one made by `c`) does not carry the headers set through `c`:
    // add the session cookies to it, so a log-in or log-out is never lost.
    if (cookies.length > 0) {
      const fixed = withCookies(c.res, cookies);
      if (fixed !== c.res) {
        // Hono's setter would put the old response's cookies back over ours: clear it first.
        c.res = undefined;
        c.res = fixed;
      }
    }
    return undefined;
  };
}

/** The response under the caching rule (a copy when its headers are immutable). */
function withCachePolicy(response: Response, context: AuthContext): Response {
  try {
    applyCachePolicy(context, response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    applyCachePolicy(context, copy.headers);
    return copy;
  }
}

/** The response with every cookie of `cookies` it lacks (a copy when its headers are immutable). */
function withCookies(response: Response, cookies: readonly string[]): Response {
  const present = response.headers.getSetCookie();
  const missing = cookies.filter((value) => !present.includes(value));
  if (missing.length === 0) return response;
  let target = response;
  try {
    for (const value of missing) target.headers.append('set-cookie', value);
  } catch {
    target = new Response(response.body, response);
    for (const value of missing) target.headers.append('set-cookie', value);
  }
  return target;
}

/** Makes route middleware from a check (refusals as JSON with `json: true`). */
function guard(
  check: (
    context: AuthContext,
    c: Context<AuthEnv>,
  ) => AuthFailure | null | Promise<AuthFailure | null>,
  options: GuardOptions = {},
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const context = c.get('auth') as AuthContext | undefined;
    if (context === undefined) throw new Error(MISSING_MIDDLEWARE);
    const failure = await check(context, c);
    if (failure !== null) {
      const handler = handlers.get(context) ?? sendFailure;
      return (options.json === true && handler === sendFailure ? sendJsonFailure : handler)(
        failure,
        c,
      );
    }
    await next();
    return undefined;
  };
}

/** Passes requests with a user (by session or API key); else 401. */
export function requireUser(options?: GuardOptions): MiddlewareHandler<AuthEnv> {
  return guard((context) => context.requireUser(), options);
}

/** Passes requests made with a valid API key; else 401 with `WWW-Authenticate: Bearer` (a cookie is not enough). */
export function requireApiKey(options?: GuardOptions): MiddlewareHandler<AuthEnv> {
  return guard((context) => context.requireApiKey(), options);
}

/** Passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): MiddlewareHandler<AuthEnv> {
  return guard((context) => context.requireRole(...roles));
}

/** Passes requests that `user-check-access` allows. */
export function requireAccess(
  query: AccessQuery | ((c: Context<AuthEnv>) => AccessQuery),
  options?: GuardOptions,
): MiddlewareHandler<AuthEnv> {
  return guard(
    (context, c) => context.requireAccess(typeof query === 'function' ? query(c) : query),
    options,
  );
}

/**
 * Passes requests whose session's user confirmed the password within `maxAgeSeconds` (`confirmPassword`); else
 * 401 without a user, or 403 `reauthenticate` (the failure handler may redirect).
 *
 * @throws {ConfigError} at once when `maxAgeSeconds` is not a number > 0.
 */
export function requireRecentAuth(
  maxAgeSeconds: number,
  options?: GuardOptions,
): MiddlewareHandler<AuthEnv> {
  const max = checkMaxAge(maxAgeSeconds);
  return guard((context) => context.requireRecentAuth(max), options);
}

/** The per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(
  limitName?: string,
  windowSeconds?: number,
): MiddlewareHandler<AuthEnv> {
  return guard((context) => context.limitRequests(limitName, windowSeconds));
}
