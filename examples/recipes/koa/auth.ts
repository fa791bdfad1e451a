/**
 * Recipe: authnzerver's web core as Koa 3 middleware. `authnzerver(auth)` authenticates every request and puts
 * its context in `ctx.state.auth`; `guard(check)` is route middleware (with `@koa/router` or `koa-compose`) that
 * answers 401/403/429/503 when the check refuses.
 *
 * The traps it answers: the client IP comes from the socket (`ctx.req.socket.remoteAddress`), never from `ctx.ip`,
 * which trusts `X-Forwarded-For` whenever `app.proxy` is on: the web core's `trustProxy` decides which proxies to
 * believe. The core's `Set-Cookie` values are appended as they are (`ctx.append`), not through `ctx.cookies`, which
 * would encode them again. Session-dependent answers get `Vary: Cookie` and `Cache-Control: private, no-store`.
 *
 * @example
 * const app = new Koa<AuthState>();
 * app.use(authnzerver(auth));
 * router.get('/account', guard((a) => a.requireUser()), (ctx) => { ctx.body = ctx.state.auth.user; });
 */
import type { Context, Middleware } from 'koa';
import {
  applyCachePolicy,
  failureHeaders,
  failureJson,
  wantsJson,
  type AuthContext,
  type AuthFailure,
  type AuthRequest,
  type WebAuth,
} from 'authnzerver/web';

const MISSING = 'authnzerver: app.use(authnzerver(auth)) did not run before this guard';

/** What the middleware adds to `ctx.state`. */
export interface AuthState {
  auth: AuthContext;
}

/** The request as the web core reads it: method, full URL and headers, straight from Node's request. */
function authRequest(ctx: Context): AuthRequest {
  const headers = ctx.req.headers;
  const secure = 'encrypted' in ctx.req.socket;
  return {
    method: ctx.method,
    url: `${secure ? 'https' : 'http'}://${headers.host ?? 'localhost'}${ctx.originalUrl}`,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
  };
}

/** Answers a refusal: its status and headers, the generic message as text, or JSON when asked. */
function refuse(ctx: Context, failure: AuthFailure, json: boolean): void {
  ctx.status = failure.status;
  ctx.set(failureHeaders(failure));
  ctx.type = json ? 'application/json' : 'text/plain';
  ctx.body = json ? failureJson(failure) : failure.message;
}

/**
 * The middleware: authenticates the request (an API key, or the session cookie under the CSRF rule) and sets
 * `ctx.state.auth`, or answers the refusal (503 when the auth server fails: fail closed).
 */
export function authnzerver(
  auth: WebAuth,
  options: { anonymous?: boolean } = {},
): Middleware<AuthState> {
  return async (ctx, next) => {
    let context: AuthContext | undefined = undefined;
    const headers = {
      get: (name: string) => ctx.response.get(name) || null,
      set: (name: string, value: string) => {
        ctx.set(name, value);
      },
    };
    const request = authRequest(ctx);
    const result = await auth.authenticate(
      request,
      {
        remoteAddress: ctx.req.socket.remoteAddress,
        setCookie(value) {
          ctx.append('Set-Cookie', value);
          // A log-in or log-out in the handler makes the answer personal.
          if (context !== undefined && !ctx.headerSent) applyCachePolicy(context, headers);
        },
      },
      { createAnonymous: options.anonymous ?? false },
    );
    if (!result.ok) {
      refuse(ctx, result.failure, wantsJson(request.headers));
      return;
    }
    context = result.context;
    applyCachePolicy(context, headers);
    ctx.state.auth = context;
    await next();
  };
}

/** Route middleware: runs `check` on the request's context and answers its refusal, or goes on. */
export function guard(
  check: (auth: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>,
): Middleware<AuthState> {
  return async (ctx, next) => {
    const auth = ctx.state.auth as AuthContext | undefined;
    if (auth === undefined) throw new Error(MISSING);
    const failure = await check(auth);
    if (failure !== null) {
      refuse(ctx, failure, auth.wantsJson);
      return;
    }
    await next();
  };
}
