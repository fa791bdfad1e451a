/**
 * The options and public types of `authnzerver/next` (`createNextAuth`), with the name and lifetime of the sealed
 * state header.
 */
import type { NextRequest } from 'next/server.js';
import { optionShape } from '../../core/options.js';
import type { AuthContext, AuthenticateResult, Principal, Session } from '../types.js';
import type { NextFailureHandler, NextGuard } from './next-guards.js';
import type { HeaderReader } from './next-state.js';

/**
 * The request header that carries the sealed auth state from the proxy to the render. The proxy always deletes
 * what a client sent under this name before it sets its own, and `getAuth()` opens it only under the app's
 * `stateSecret`, within {@link STATE_TTL_SECONDS}, and for the same session cookie.
 */
export const STATE_HEADER = 'x-authnzerver-state';

/** How long a sealed state is good for: the render starts right after the proxy. */
export const STATE_TTL_SECONDS = 60;

/** Options of {@link createNextAuth}. */
export interface NextAuthOptions {
  /**
   * The Fernet key that seals the auth state the proxy hands to the render (make one with
   * `npx authnzerver keygen`). The proxy and the app read it from the same environment variable: they are
   * separate bundles, often separate processes. Keep it apart from the web core's other keys.
   */
  readonly stateSecret: string;
  /**
   * Create an anonymous session on requests without one (all, or those the function picks), in the proxy and
   * in route handlers. A log-in form does not need one. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | ((request: NextRequest) => boolean) | undefined;
  /**
   * How refused requests (by the proxy, route handlers and their guards) are answered.
   * @default the built-in answer: a page, or JSON when the request asks for it
   */
  readonly onFailure?: NextFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(r) => r.nextUrl.pathname.startsWith('/api/')`),
   * or for all with `true`. Default: JSON when the request asks for it (`Accept`), plain text otherwise.
   * @default undefined (JSON when the request's `Accept` asks for it)
   */
  readonly json?: boolean | ((request: NextRequest) => boolean) | undefined;
  /**
   * The TCP peer's address, which Next does not expose. Default: unknown, so the client IP is `0.0.0.0`
   * (`X-Forwarded-For` is not read: `next start` keeps a client's own copy of it). `'forwarded'`: the app is
   * reachable only through a proxy that appends the peer's address to `X-Forwarded-For` (nginx, a load
   * balancer, Vercel): its last entry is the peer, and the web core's `trustProxy` walks the entries before it.
   * A function: the peer's address from the request's headers (e.g. a header your own proxy sets).
   * @default undefined (unknown: `0.0.0.0`, above)
   */
  readonly remoteAddress?:
    'forwarded' | ((headers: HeaderReader) => string | undefined) | undefined;
  /**
   * The clock of the sealed state, in ms (tests). Default `Date.now`.
   * @default Date.now
   */
  readonly now?: (() => number) | undefined;
}

/** The known keys of {@link NextAuthOptions}: another key is a `ConfigError` with "did you mean". */
export const OPTION_KEYS = optionShape<NextAuthOptions>({
  stateSecret: true,
  anonymous: true,
  onFailure: true,
  json: true,
  remoteAddress: true,
  now: true,
});

/**
 * What a server component sees of the request: a snapshot the proxy made, read-only. It has no actions: a
 * render cannot set cookies, so it cannot log in, log out, rotate or refresh a session.
 */
export interface NextAuthState {
  /** The client's IP as authnzerver saw it. */
  readonly clientIp: string;
  /** The app's origin for this request. */
  readonly origin: string;
  /**
   * The session as the proxy read it. A server action that changes the session (log-in, log-out) should end
   * with `redirect()`: the next request goes through the proxy with the new cookie.
   */
  readonly session: Session;
  /** The user of the session or API key, or null. */
  readonly user: Principal | null;
}

/** A route handler's second argument, with the request's context added. */
export type RouteContext<C> = C & { readonly auth: AuthContext };

/** A route handler that receives the request's auth context. */
export type AuthedRouteHandler<C> = (
  request: NextRequest,
  context: RouteContext<C>,
) => Response | Promise<Response>;

/** Options of {@link NextAuth.withAuth}. */
export interface RouteOptions {
  /**
   * Checks run in order before the handler; the first refusal answers.
   * @default undefined (no check)
   */
  readonly guard?: NextGuard | readonly NextGuard[] | undefined;
}

export const ROUTE_OPTION_KEYS = optionShape<RouteOptions>({ guard: true });

/** The Next.js side of an app's web core, made once (e.g. in `lib/auth.ts`) by {@link createNextAuth}. */
export interface NextAuth {
  /**
   * The proxy (`export const proxy = nextAuth.proxy` in `proxy.ts`, or `middleware` in `middleware.ts`):
   * authenticates the request, answers a refusal (CSRF, auth server down) at once, sets the cookies on the
   * response and forwards them to the render, and hands the render the sealed state. Its responses follow the
   * web core's caching rule (`Vary: Cookie`; `Cache-Control: private, no-store` when the request had a session,
   * a session cookie or an API key, or a cookie is set), which Next keeps on the page it renders (Next puts its
   * own `Vary` on pages; `private, no-store` alone keeps shared caches from storing them).
   */
  proxy(request: NextRequest): Promise<Response>;
  /**
   * The auth state of the request being rendered, for server components (and layouts, pages, metadata). It
   * only reads what the proxy sealed: a render cannot set cookies (Next throws on `cookies().set()` there, and
   * the page may already be streaming), so it cannot refresh, rotate or end a session. Those happen in the proxy,
   * in route handlers and in server actions.
   *
   * @throws {Error} when the proxy did not run for this request (its matcher does not cover the path), or the
   *   state header is not one the proxy sealed for this request (forged, replayed or expired).
   */
  getAuth(): Promise<NextAuthState>;
  /** {@link getAuth} over the given headers (what `getAuth` reads from `headers()`). */
  readState(headers: HeaderReader): Promise<NextAuthState>;
  /**
   * Wraps a route handler (`export const GET = nextAuth.withAuth(async (req, { auth }) => ...)`): the handler
   * gets the full context (log-in, log-out, API keys...), its response gets the cookies and the cache policy.
   */
  withAuth<C = unknown>(
    handler: AuthedRouteHandler<C>,
    options?: RouteOptions,
  ): (request: NextRequest, context: C) => Promise<Response>;
  /**
   * The full context in a server action, whose cookies are written through `cookies()` from next/headers: call
   * `login`, `logout`, `signup` and the account flows on it. A refusal (CSRF, the auth server down) comes back as
   * `{ ok: false, failure }`; nothing throws. End an action that changes the session with `redirect()`, so the
   * page is rendered by a new request that the proxy reads with the new cookie.
   */
  actionAuth(): Promise<AuthenticateResult>;
}
