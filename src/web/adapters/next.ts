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
import { checkKeys } from '../../core/options.js';
import { applyCachePolicy, PRIVATE_NO_STORE, varyWith } from '../cache-policy.js';
import { fernetSealer, hmacSigner, type Sealer } from '../crypto.js';
import type { AuthContext, AuthenticateResult, AuthRequest, WebAuth } from '../types.js';
import {
  limitRequests,
  requireAccess,
  requireApiKey,
  requireRecentAuth,
  requireRole,
  requireUser,
  sendFailure,
  sendJsonFailure,
  type NextFailureHandler,
  type NextGuard,
} from './next-guards.js';
import {
  bindingText,
  openSession,
  sealSession,
  type HeaderReader,
  type SealedState,
} from './next-state.js';

import {
  OPTION_KEYS,
  ROUTE_OPTION_KEYS,
  STATE_HEADER,
  STATE_TTL_SECONDS,
  type NextAuth,
  type NextAuthOptions,
  type NextAuthState,
} from './next-options.js';

export {
  STATE_HEADER,
  STATE_TTL_SECONDS,
  type AuthedRouteHandler,
  type NextAuth,
  type NextAuthOptions,
  type NextAuthState,
  type RouteContext,
  type RouteOptions,
} from './next-options.js';
export type { GuardOptions } from './shared.js';
export type { HeaderReader } from './next-state.js';
export {
  limitRequests,
  requireAccess,
  requireApiKey,
  requireRecentAuth,
  requireRole,
  requireUser,
  sendFailure,
  sendJsonFailure,
  type NextFailureHandler,
  type NextGuard,
};

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
