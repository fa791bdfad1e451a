/**
 * Recipe: a small Cloudflare Worker on the web core, with its store in a Durable Object (`store.ts`), so that
 * `limitRequests` counts one window per user across every isolate and location. Routes: `POST /login` (JSON
 * `{ email, password }`), `POST /logout`, and `GET /api/limited`, which needs a user and allows the role's
 * `max_requests_per_minute` (authnzerver's `user-check-limit`) per 60-second window.
 *
 * The core is made once per isolate, on its first request, from the Worker's `env`. The client IP is
 * `CF-Connecting-IP`, which Cloudflare's edge sets on every request (a client cannot choose it there).
 *
 * Bindings (`wrangler.jsonc`, see docs/recipes.md): `AUTH_STORE`, the Durable Object namespace of
 * `AuthStoreObject`; the variables `AUTHNZERVER_URL` and `APP_ORIGIN`; the secrets `AUTHNZERVER_SECRET` and
 * `COOKIE_SECRET` (`wrangler secret put`).
 */
import { Authnzerver } from 'authnzerver';
import { createWebAuth, type AuthContext, type AuthFailure, type WebAuth } from 'authnzerver/web';
import { durableObjectStore, type DurableObjectNamespace } from './store.js';

export { AuthStoreObject } from './store.js';

/** The Worker's bindings. */
export interface Env {
  readonly AUTHNZERVER_URL: string;
  readonly AUTHNZERVER_SECRET: string;
  /** The app's public origin, e.g. `https://app.example.com`. */
  readonly APP_ORIGIN: string;
  /** Signs the session cookie: 32 bytes or more. */
  readonly COOKIE_SECRET: string;
  readonly AUTH_STORE: DurableObjectNamespace;
}

/** The Worker's `ctx`, as the recipe uses it. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

let core: WebAuth | undefined;

/** The web core of this isolate, made on its first request. */
function authOf(env: Env): WebAuth {
  core ??= createWebAuth({
    client: new Authnzerver({ url: env.AUTHNZERVER_URL, secret: env.AUTHNZERVER_SECRET }),
    origin: env.APP_ORIGIN,
    cookie: { signingSecret: env.COOKIE_SECRET },
    store: durableObjectStore(env.AUTH_STORE, { whenDown: 'closed' }),
  });
  return core;
}

/** Answers one authenticated request. */
async function route(auth: WebAuth, context: AuthContext, request: Request): Promise<Response> {
  const refuse = (failure: AuthFailure): Response => auth.failureResponse(failure, [], request);
  const path = new URL(request.url).pathname;
  if (request.method === 'POST' && path === '/login') {
    const body = (await request.json().catch(() => ({}))) as {
      email?: unknown;
      password?: unknown;
    };
    const result = await context.login(body.email, body.password);
    return result.ok ? Response.json({ ok: true }) : refuse(result.failure);
  }
  if (request.method === 'POST' && path === '/logout') {
    const result = await context.logout();
    return result.ok ? Response.json({ ok: true }) : refuse(result.failure);
  }
  if (request.method === 'GET' && path === '/api/limited') {
    const refused = context.requireUser() ?? (await context.limitRequests());
    return refused === null ? Response.json({ userId: context.user?.userId }) : refuse(refused);
  }
  return new Response('not found', { status: 404 });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const auth = authOf(env);
    const result = await auth.authenticate(request, {
      remoteAddress: request.headers.get('cf-connecting-ip') ?? undefined,
    });
    if (!result.ok) return auth.failureResponse(result.failure, result.setCookies, request);
    const response = await route(auth, result.context, request);
    // Work the core runs after answering (the emails of a password reset) must finish in waitUntil.
    ctx.waitUntil(auth.settled());
    // The session's cookies, `Vary: Cookie` and `Cache-Control: private, no-store` on a personal answer.
    return result.context.apply(response);
  },
};
