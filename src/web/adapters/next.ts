/**
 * `authnzerver/next`: the web core for the Next.js App Router (Next 16). `createNextAuth(auth, options)` gives:
 * - `proxy`, the function `proxy.ts` exports (`middleware.ts` on the edge runtime): it authenticates each
 *   request, puts its cookies on the response, forwards them to the render, and hands the render the auth state
 *   sealed under the app's `stateSecret` in one request header (any copy a client sent is dropped first);
 * - `getAuth()` for server components: the state the proxy sealed, read-only;
 * - `withAuth(handler)` for route handlers: the full context, with guards, cookies and the cache policy;
 * - `actionAuth()` for server actions: the full context, whose cookies go through `cookies()` from next/headers.
 *
 * Next exposes no socket address: see {@link NextAuthOptions.remoteAddress} for the client IP.
 */
import { cookies, headers } from 'next/headers.js';
import { NextResponse, type NextRequest } from 'next/server.js';
import { parseSetCookie } from 'cookie';
import { ConfigError } from '../../core/errors.js';
import { checkKeys, optionShape } from '../../core/options.js';
import { applyCachePolicy, PRIVATE_NO_STORE, varyWith } from '../cache-policy.js';
import { fernetSealer, hmacSigner, type Sealer } from '../crypto.js';
import type {
  AccessQuery,
  AuthContext,
  AuthenticateResult,
  AuthFailure,
  AuthRequest,
  Principal,
  Session,
  WebAuth,
} from '../types.js';
import { checkMaxAge, failureReply, wantsJson, type GuardOptions } from './shared.js';

export type { GuardOptions } from './shared.js';

/**
 * The request header that carries the sealed auth state from the proxy to the render. The proxy always deletes
 * what a client sent under this name before it sets its own, and `getAuth()` opens it only under the app's
 * `stateSecret`, within {@link STATE_TTL_SECONDS}, and for the same session cookie.
 */
export const STATE_HEADER = 'x-authnzerver-state';

/** How long a sealed state is good for: the render starts right after the proxy. */
export const STATE_TTL_SECONDS = 60;

/** Any header object with `get` (a `Headers`, Next's `ReadonlyHeaders`). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type NextFailureHandler = (
  failure: AuthFailure,
  request: NextRequest,
) => Response | Promise<Response>;

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
   */
  readonly anonymous?: boolean | ((request: NextRequest) => boolean) | undefined;
  /** How refused requests (by the proxy, route handlers and their guards) are answered. */
  readonly onFailure?: NextFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(r) => r.nextUrl.pathname.startsWith('/api/')`),
   * or for all with `true`. Default: JSON when the request asks for it (`Accept`), plain text otherwise.
   */
  readonly json?: boolean | ((request: NextRequest) => boolean) | undefined;
  /**
   * The TCP peer's address, which Next does not expose. Default: unknown, so the client IP is `0.0.0.0`
   * (`X-Forwarded-For` is not read: `next start` keeps a client's own copy of it). `'forwarded'`: the app is
   * reachable only through a proxy that appends the peer's address to `X-Forwarded-For` (nginx, a load
   * balancer, Vercel): its last entry is the peer, and the web core's `trustProxy` walks the entries before it.
   * A function: the peer's address from the request's headers (e.g. a header your own proxy sets).
   */
  readonly remoteAddress?:
    'forwarded' | ((headers: HeaderReader) => string | undefined) | undefined;
  /** The clock of the sealed state, in ms (tests). Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** The known keys of {@link NextAuthOptions}: another key is a `ConfigError` with "did you mean". */
const OPTION_KEYS = optionShape<NextAuthOptions>({
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

/** A check a route handler runs before its body: null to pass, or the failure to answer with. */
export interface NextGuard {
  readonly check: (
    context: AuthContext,
    request: NextRequest,
  ) => AuthFailure | null | Promise<AuthFailure | null>;
  /** Answer this guard's refusals as JSON. */
  readonly json?: boolean | undefined;
}

/** Options of {@link NextAuth.withAuth}. */
export interface RouteOptions {
  /** Checks run in order before the handler; the first refusal answers. */
  readonly guard?: NextGuard | readonly NextGuard[] | undefined;
}

const ROUTE_OPTION_KEYS = optionShape<RouteOptions>({ guard: true });

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

/** What the sealed header holds. */
interface SealedState {
  readonly ver: 1;
  /** The client IP, the origin. */
  readonly ip: string;
  readonly origin: string;
  /** The cookie's name and the binding: a hash of the session cookie's value and the `Authorization` header. */
  readonly cn: string;
  readonly b: string;
  readonly s: SealedSession;
  readonly u: Principal | null;
}

type SealedSession =
  | { readonly kind: 'none' }
  | { readonly kind: 'anonymous'; readonly expires: number }
  | {
      readonly kind: 'user';
      readonly userId: number;
      readonly systemId: string;
      readonly email: string;
      readonly fullName: string | null;
      readonly role: string;
      readonly emailVerified: boolean;
      readonly expires: number;
    };

/** The value of one cookie in a `Cookie` header, or null. */
function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The text a sealed state is bound to: the session cookie's value and the `Authorization` header. */
function bindingText(headersIn: HeaderReader, cookieName: string): string {
  return `${cookieValue(headersIn.get('cookie'), cookieName) ?? ''}\n${headersIn.get('authorization') ?? ''}`;
}

/**
 * The `Cookie` header the render should see after the proxy's `Set-Cookie` values: each set cookie replaces its
 * old value (or is added), each cleared one is removed; other cookies stay as they were.
 */
export function forwardCookies(
  header: string | null,
  setCookies: readonly string[],
  nowMs = Date.now(),
): string {
  const parts = (header ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const value of setCookies) {
    const set = parseSetCookie(value);
    const cleared =
      set.value === undefined ||
      set.value === '' ||
      (set.maxAge !== undefined && set.maxAge <= 0) ||
      (set.expires !== undefined && set.expires.getTime() <= nowMs);
    const kept = parts.filter((p) => p.slice(0, Math.max(p.indexOf('='), 0)).trim() !== set.name);
    parts.length = 0;
    parts.push(...kept);
    if (!cleared) parts.push(`${set.name}=${set.value}`);
  }
  return parts.join('; ');
}

/** A refusal's caching: it depends on who asked, so `Vary: Cookie` and, unless set, `private, no-store`. */
function refusalPolicy(headers: Headers): void {
  headers.set('vary', varyWith(headers.get('vary'), ['Cookie']));
  if ((headers.get('cache-control') ?? '') === '') headers.set('cache-control', PRIVATE_NO_STORE);
}

/**
 * The response with the cookies it lacks and the caching rule (`applyCachePolicy` of the context, or a
 * refusal's): a copy when its headers are immutable (e.g. `Response.redirect`).
 */
function finish(
  response: Response,
  setCookies: readonly string[],
  context: AuthContext | null,
): Response {
  const present = response.headers.getSetCookie();
  const missing = setCookies.filter((value) => !present.includes(value));
  const edit = (r: Response): void => {
    for (const value of missing) r.headers.append('set-cookie', value);
    if (context === null) refusalPolicy(r.headers);
    else applyCachePolicy(context, r.headers);
  };
  try {
    edit(response);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    edit(copy);
    return copy;
  }
}

function sealSession(session: Session): SealedSession {
  switch (session.kind) {
    case 'none':
      return { kind: 'none' };
    case 'anonymous':
      return { kind: 'anonymous', expires: session.expires.getTime() };
    case 'user':
      return { ...session, expires: session.expires.getTime() };
  }
}

function openSession(s: SealedSession): Session {
  return s.kind === 'none'
    ? { kind: 'none' }
    : Object.freeze({ ...s, expires: new Date(s.expires) });
}

/** `Set-Cookie` text to the options of Next's `cookies().set()`. */
function setThrough(jar: Awaited<ReturnType<typeof cookies>>, value: string): void {
  const c = parseSetCookie(value);
  jar.set(c.name, c.value ?? '', {
    ...(c.httpOnly === true ? { httpOnly: true } : {}),
    ...(c.secure === true ? { secure: true } : {}),
    ...(c.path === undefined ? {} : { path: c.path }),
    ...(c.domain === undefined ? {} : { domain: c.domain }),
    ...(c.maxAge === undefined ? {} : { maxAge: c.maxAge }),
    ...(c.expires === undefined ? {} : { expires: c.expires }),
    ...(c.partitioned === true ? { partitioned: true } : {}),
    ...(typeof c.sameSite === 'string'
      ? { sameSite: c.sameSite.toLowerCase() as 'lax' | 'strict' | 'none' }
      : {}),
    ...(typeof c.priority === 'string'
      ? { priority: c.priority.toLowerCase() as 'low' | 'medium' | 'high' }
      : {}),
  });
}

const PROXY_MISSING =
  'authnzerver/next: getAuth() found no auth state: the proxy did not run for this request. Export ' +
  'nextAuth.proxy from proxy.ts (or middleware.ts) with a matcher that covers this path.';
const STATE_REFUSED =
  'authnzerver/next: getAuth() refused the auth state header: it was not sealed by the proxy for this ' +
  'request (forged, replayed with another cookie, expired, or sealed under another stateSecret).';

/**
 * Makes the Next.js side of an app's web core.
 *
 * @throws {ConfigError} when an option is unknown (with "did you mean"), or `stateSecret` is missing or not a
 *   Fernet key (the key is not shown).
 */
export function createNextAuth(auth: WebAuth, options: NextAuthOptions): NextAuth {
  checkKeys(options, OPTION_KEYS, 'authnzerver/next');
  if (typeof options.stateSecret !== 'string' || options.stateSecret === '') {
    throw new ConfigError(
      'authnzerver/next: stateSecret is required: a Fernet key (make one with npx authnzerver keygen)',
      { option: 'stateSecret' },
    );
  }
  const sealer: Sealer = fernetSealer(options.stateSecret, 'stateSecret');
  // The binding is an HMAC of the request's cookie and Authorization header, under a key of its own made from
  // the state secret; it is checked with crypto.subtle.verify (constant time).
  const binder = hmacSigner([`authnzerver/next binding ${options.stateSecret}`]);
  const bind = async (h: HeaderReader, cookieName: string): Promise<string> => {
    // The MAC is the last 43 characters (32 bytes in url-safe base64) of `text.mac`.
    return (await binder.sign(bindingText(h, cookieName))).slice(-43);
  };
  const now = options.now ?? Date.now;
  const anonymous = options.anonymous ?? false;
  const json = options.json ?? false;
  const remote = options.remoteAddress;

  /** The request as the core reads it, and the peer's address, by the `remoteAddress` setting. */
  const readRequest = (
    method: string,
    url: string,
    h: HeaderReader,
  ): { request: AuthRequest; remoteAddress: string | undefined } => {
    if (remote === undefined)
      return { request: { method, url, headers: h }, remoteAddress: undefined };
    if (typeof remote === 'function') {
      return { request: { method, url, headers: h }, remoteAddress: remote(h) };
    }
    // 'forwarded': the last hop of X-Forwarded-For is the peer; the core walks the ones before it.
    const hops = (h.get('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const peer = hops.pop();
    const rest = hops.join(', ');
    return {
      request: {
        method,
        url,
        headers: {
          get: (name) =>
            name.toLowerCase() === 'x-forwarded-for' ? (rest === '' ? null : rest) : h.get(name),
        },
      },
      remoteAddress: peer,
    };
  };

  const failureHandler = (request: NextRequest): NextFailureHandler =>
    options.onFailure ??
    ((typeof json === 'function' ? json(request) : json) ? sendJsonFailure : sendFailure);

  const authenticate = async (
    request: NextRequest,
    sink: string[],
  ): Promise<AuthenticateResult> => {
    const read = readRequest(request.method, request.url, request.headers);
    const createAnonymous = typeof anonymous === 'function' ? anonymous(request) : anonymous;
    return auth.authenticate(
      read.request,
      { remoteAddress: read.remoteAddress, setCookie: (value) => sink.push(value) },
      { createAnonymous },
    );
  };

  const readState = async (h: HeaderReader): Promise<NextAuthState> => {
    const sealed = h.get(STATE_HEADER);
    if (sealed === null) throw new Error(PROXY_MISSING);
    const text = await sealer.open(sealed, now(), STATE_TTL_SECONDS);
    let state: SealedState | null = null;
    try {
      state = text === null ? null : (JSON.parse(text) as SealedState);
    } catch {
      state = null;
    }
    if (state === null || typeof state.cn !== 'string' || typeof state.b !== 'string') {
      throw new Error(STATE_REFUSED);
    }
    if ((await binder.unsign(`${bindingText(h, state.cn)}.${state.b}`)) === null) {
      throw new Error(STATE_REFUSED);
    }
    return Object.freeze({
      clientIp: state.ip,
      origin: state.origin,
      session: openSession(state.s),
      user: state.u === null ? null : Object.freeze({ ...state.u }),
    });
  };

  return {
    async proxy(request) {
      const setCookies: string[] = [];
      const result = await authenticate(request, setCookies);
      if (!result.ok) {
        const reply = await failureHandler(request)(result.failure, request);
        return finish(reply, [...setCookies, ...result.setCookies], null);
      }
      const context = result.context;
      // The render's request headers: the client's copy of the state header is dropped whatever happens next,
      // and the cookies set here are forwarded, so the render sees the session the browser will have.
      const forwarded = new Headers(request.headers);
      forwarded.delete(STATE_HEADER);
      if (setCookies.length > 0) {
        const cookie = forwardCookies(request.headers.get('cookie'), setCookies, now());
        if (cookie === '') forwarded.delete('cookie');
        else forwarded.set('cookie', cookie);
      }
      const cookieName = auth.cookieName(context.origin.startsWith('https:'));
      const state: SealedState = {
        ver: 1,
        ip: context.clientIp,
        origin: context.origin,
        cn: cookieName,
        b: await bind(forwarded, cookieName),
        s: sealSession(context.session),
        u: context.user,
      };
      forwarded.set(STATE_HEADER, await sealer.seal(JSON.stringify(state), now()));
      const response = NextResponse.next({ request: { headers: forwarded } });
      return finish(response, setCookies, context);
    },

    async getAuth() {
      return readState(await headers());
    },

    readState,

    withAuth(handler, routeOptions = {}) {
      checkKeys(routeOptions, ROUTE_OPTION_KEYS, 'withAuth');
      const guards: readonly NextGuard[] =
        routeOptions.guard === undefined
          ? []
          : Array.isArray(routeOptions.guard)
            ? (routeOptions.guard as readonly NextGuard[])
            : [routeOptions.guard as NextGuard];
      return async (request, routeContext) => {
        const setCookies: string[] = [];
        const result = await authenticate(request, setCookies);
        if (!result.ok) {
          const reply = await failureHandler(request)(result.failure, request);
          return finish(reply, [...setCookies, ...result.setCookies], null);
        }
        for (const guard of guards) {
          const refused = await guard.check(result.context, request);
          if (refused !== null) {
            const onFailure = failureHandler(request);
            const handler =
              guard.json === true && options.onFailure === undefined ? sendJsonFailure : onFailure;
            return finish(await handler(refused, request), setCookies, result.context);
          }
        }
        const response = await handler(request, { ...routeContext, auth: result.context });
        return finish(response, setCookies, result.context);
      };
    },

    async actionAuth() {
      const h = await headers();
      const jar = await cookies();
      const host = h.get('host') ?? 'localhost';
      const proto = h.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
      const read = readRequest('POST', `${proto}://${host}/`, h);
      const result = await auth.authenticate(read.request, {
        remoteAddress: read.remoteAddress,
        setCookie: (value) => {
          setThrough(jar, value);
        },
      });
      return result;
    },
  };
}

function send(failure: AuthFailure, asJson: boolean): Response {
  const reply = failureReply(failure, asJson);
  return new Response(reply.body, {
    status: reply.status,
    headers: { ...reply.headers, 'content-type': reply.contentType },
  });
}

/**
 * The default failure answer: the status, `Retry-After` on 429, `WWW-Authenticate` on API-key refusals, and the
 * generic message, as JSON when the request asks for it, else as plain text.
 */
export const sendFailure: NextFailureHandler = (failure, request) =>
  send(failure, wantsJson(request.headers));

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: NextFailureHandler = (failure) => send(failure, true);

/** Passes requests with a user (by session or API key); else 401. */
export function requireUser(options: GuardOptions = {}): NextGuard {
  return { check: (context) => context.requireUser(), json: options.json };
}

/** Passes requests made with a valid API key; else 401 with `WWW-Authenticate: Bearer`. */
export function requireApiKey(options: GuardOptions = {}): NextGuard {
  return { check: (context) => context.requireApiKey(), json: options.json };
}

/** Passes requests whose user has one of the roles; else 401 or 403. */
export function requireRole(...roles: readonly string[]): NextGuard {
  return { check: (context) => context.requireRole(...roles) };
}

/** Passes requests that `user-check-access` allows. */
export function requireAccess(
  query: AccessQuery | ((request: NextRequest) => AccessQuery),
  options: GuardOptions = {},
): NextGuard {
  return {
    check: (context, request) =>
      context.requireAccess(typeof query === 'function' ? query(request) : query),
    json: options.json,
  };
}

/**
 * Passes requests whose session's user confirmed the password within `maxAgeSeconds`; else 401 without a user,
 * or 403 `reauthenticate`.
 *
 * @throws {ConfigError} at once when `maxAgeSeconds` is not a number > 0.
 */
export function requireRecentAuth(maxAgeSeconds: number, options: GuardOptions = {}): NextGuard {
  const max = checkMaxAge(maxAgeSeconds);
  return { check: (context) => context.requireRecentAuth(max), json: options.json };
}

/** The per-role request limit (`user-check-limit`); 429 with Retry-After over it. */
export function limitRequests(limitName?: string, windowSeconds?: number): NextGuard {
  return { check: (context) => context.limitRequests(limitName, windowSeconds) };
}
