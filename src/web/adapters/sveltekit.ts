/**
 * `authnzerver/sveltekit`: the web core as a SvelteKit 2 `handle` hook. `authnzerver(auth)` authenticates each
 * request and puts its context in `event.locals.auth` (type it in `src/app.d.ts` with {@link AuthLocals}); it
 * composes with `sequence()` from `@sveltejs/kit/hooks`. Every cookie the core sets goes through `event.cookies`,
 * so a log-in or log-out from a form action, a `load` or an endpoint reaches the browser, and later reads in the
 * same request see it. The client IP is `event.getClientAddress()`. The guards (`requireUser(event)`, ...) throw
 * SvelteKit's `error()`, or `redirect()` with `redirectTo`; on an endpoint (`+server.ts`) the hook answers such a
 * refusal with its headers (`Retry-After`, `WWW-Authenticate`) as plain text or JSON. Every answer carries the
 * caching rule of its session (`Vary: Cookie`, `Cache-Control: private, no-store` when personal).
 */
import { error, redirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { parseSetCookie } from 'cookie';
import { checkKeys, optionShape } from '../../core/options.js';
import type { AccessQuery, AuthContext, AuthFailure, Principal, WebAuth } from '../types.js';
import {
  checkMaxAge,
  failureHeaders,
  failureReply,
  MISSING_MIDDLEWARE,
  wantsJson,
} from './shared.js';

/**
 * What the hook adds to `App.Locals`. In `src/app.d.ts`:
 *
 * ```ts
 * import type { AuthLocals } from 'authnzerver/sveltekit';
 * declare global {
 *   namespace App {
 *     interface Locals extends AuthLocals {}
 *   }
 * }
 * export {};
 * ```
 */
export interface AuthLocals {
  /** The request's auth context. */
  auth: AuthContext;
}

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type SvelteKitFailureHandler = (
  failure: AuthFailure,
  event: RequestEvent,
) => Response | Promise<Response>;

/** Options of {@link authnzerver}. */
export interface SvelteKitAuthOptions {
  /**
   * Create an anonymous session on requests without one (all, or those the function picks), for an app that
   * keeps state for visitors. A log-in form does not need one. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | ((event: RequestEvent) => boolean) | undefined;
  /**
   * How refused requests are answered: by the hook (a cross-site POST, the auth server unavailable) and by the
   * guards on endpoints (`+server.ts`). Pages and form actions show SvelteKit's error page instead.
   * @default the built-in answer: a page, or JSON when the request asks for it
   */
  readonly onFailure?: SvelteKitFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(e) => e.url.pathname.startsWith('/api/')`), or
   * for all with `true`. Default: JSON when the request asks for it (`Accept`), plain text otherwise.
   * @default undefined (JSON when the request's `Accept` asks for it)
   */
  readonly json?: boolean | ((event: RequestEvent) => boolean) | undefined;
  /**
   * The TCP peer's address. The default is `event.getClientAddress()` (adapter-node: the socket's address, or the
   * header its `ADDRESS_HEADER` names); a platform that gives none leaves the client IP `0.0.0.0` unless a
   * trusted proxy names it (`trustProxy`).
   * @default `event.getClientAddress()`
   */
  readonly remoteAddress?: ((event: RequestEvent) => string | undefined) | undefined;
}

/** The known keys of {@link SvelteKitAuthOptions}: another key is a `ConfigError` with "did you mean". */
const OPTION_KEYS = optionShape<SvelteKitAuthOptions>({
  anonymous: true,
  onFailure: true,
  json: true,
  remoteAddress: true,
});

/** The response of a failure, as JSON or plain text. */
function failureResponse(failure: AuthFailure, json: boolean): Response {
  const reply = failureReply(failure, json);
  return new Response(reply.body, {
    status: reply.status,
    headers: { ...reply.headers, 'content-type': reply.contentType },
  });
}

/**
 * The default failure answer: the status, `Retry-After` on 429, `WWW-Authenticate` on API-key refusals, and the
 * generic message, as JSON when the request asks for it, else as plain text.
 */
export const sendFailure: SvelteKitFailureHandler = (failure, event) =>
  failureResponse(failure, wantsJson(event.request.headers));

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: SvelteKitFailureHandler = (failure) => failureResponse(failure, true);

/** `event.getClientAddress()`, or nothing on a platform that cannot say. */
export function defaultRemoteAddress(event: RequestEvent): string | undefined {
  try {
    return event.getClientAddress();
  } catch {
    return undefined;
  }
}

/** The last refusal of a guard in each request (by its context): the hook answers it to an API client. */
const refused = new WeakMap<AuthContext, { failure: AuthFailure; json: boolean }>();

/** Writes one `Set-Cookie` value of the core through `event.cookies`, flags and all. */
function writeCookie(event: RequestEvent, value: string): void {
  // Read the value as written (no decoding): it goes back out exactly.
  const c = parseSetCookie(value, { decode: (v) => v });
  event.cookies.set(c.name, c.value ?? '', {
    path: c.path ?? '/',
    // The core's value is already safe for a cookie: SvelteKit must not encode it again.
    encode: (v: string) => v,
    ...(c.domain === undefined ? {} : { domain: c.domain }),
    ...(c.expires === undefined ? {} : { expires: c.expires }),
    ...(c.maxAge === undefined ? {} : { maxAge: c.maxAge }),
    httpOnly: c.httpOnly === true,
    secure: c.secure === true,
    ...(c.partitioned === true ? { partitioned: true } : {}),
    ...(c.priority === undefined ? {} : { priority: c.priority }),
    ...(c.sameSite === undefined ? {} : { sameSite: c.sameSite }),
  });
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

/** `context.apply(response)` (the caching rule), on a copy when the response's headers are immutable. */
function applied(context: AuthContext, response: Response): Response {
  try {
    return context.apply(response);
  } catch {
    return context.apply(new Response(response.body, response));
  }
}

/**
 * The hook: authenticates every request and sets `event.locals.auth`. Export it as `handle` from
 * `src/hooks.server.ts`, alone or in `sequence(authnzerver(auth), ...)`.
 */
export function authnzerver(auth: WebAuth, options: SvelteKitAuthOptions = {}): Handle {
  checkKeys(options, OPTION_KEYS, 'authnzerver/sveltekit');
  const anonymous = options.anonymous ?? false;
  const json = options.json ?? false;
  const remote = options.remoteAddress ?? defaultRemoteAddress;
  return async ({ event, resolve }) => {
    const jsonFor = (e: RequestEvent) => (typeof json === 'function' ? json(e) : json);
    const onFailure = options.onFailure ?? (jsonFor(event) ? sendJsonFailure : sendFailure);
    const createAnonymous = typeof anonymous === 'function' ? anonymous(event) : anonymous;
    // Every cookie, as written: SvelteKit adds `event.cookies` only to the answers `resolve` makes.
    const cookies: string[] = [];
    const result = await auth.authenticate(
      event.request,
      {
        remoteAddress: remote(event),
        setCookie: (value) => {
          cookies.push(value);
          writeCookie(event, value);
        },
      },
      { createAnonymous },
    );
    if (!result.ok) {
      return withCookies(await onFailure(result.failure, event), [
        ...cookies,
        ...result.setCookies,
      ]);
    }
    const context = result.context;
    (event.locals as AuthLocals).auth = context;
    let response = await resolve(event);
    const refusal = refused.get(context);
    if (
      refusal !== undefined &&
      response.status === refusal.failure.status &&
      !event.isDataRequest &&
      event.request.headers.get('x-sveltekit-action') === null &&
      (refusal.json || jsonFor(event) || wantsJson(event.request.headers))
    ) {
      // A guard's refusal to an API client: SvelteKit's `{ message }` becomes the failure's JSON answer, with
      // the cookies SvelteKit added. A browser keeps SvelteKit's error page (`+error.svelte`).
      const handler = options.onFailure ?? sendJsonFailure;
      response = withCookies(
        await handler(refusal.failure, event),
        response.headers.getSetCookie(),
      );
    }
    return applied(context, response);
  };
}

/** `event.locals.auth`, or an error naming the missing hook. */
export function getAuth(event: Pick<RequestEvent, 'locals'>): AuthContext {
  const context = (event.locals as Partial<AuthLocals>).auth;
  if (context === undefined) throw new Error(MISSING_MIDDLEWARE);
  return context;
}

/** Options of a guard. */
export interface SvelteKitGuardOptions {
  /**
   * Where to send a refused request instead (`redirect(303, ...)`), e.g. `/login`; the page's path is added as
   * `?next=` when the value has no query of its own. Default: `error(status, message)`.
   * @default undefined (the refusal is answered)
   */
  readonly redirectTo?: string | undefined;
  /**
   * On an endpoint, answer this refusal as JSON whatever the request's `Accept` says.
   * @default false
   */
  readonly json?: boolean | undefined;
}

/** Throws SvelteKit's `redirect` or `error` for a failure (never returns). */
function refuse(event: RequestEvent, failure: AuthFailure, options: SvelteKitGuardOptions): never {
  if (options.redirectTo !== undefined) {
    const to = options.redirectTo.includes('?')
      ? options.redirectTo
      : `${options.redirectTo}?next=${encodeURIComponent(event.url.pathname + event.url.search)}`;
    redirect(303, to);
  }
  // SvelteKit's error page gets the failure's headers (`Retry-After`, `WWW-Authenticate`, never cached); the
  // hook adds the rest of the caching rule.
  const { vary: _vary, ...headers } = failureHeaders(failure);
  for (const [name, value] of Object.entries(headers)) {
    try {
      event.setHeaders({ [name]: value });
    } catch {
      // A header the app set already stays.
    }
  }
  refused.set(getAuth(event), { failure, json: options.json === true });
  error(failure.status, failure.message);
}

/** Runs a check; on failure throws (see {@link refuse}). */
async function guard(
  event: RequestEvent,
  check: (context: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>,
  options: SvelteKitGuardOptions = {},
): Promise<AuthContext> {
  const context = getAuth(event);
  const failure = await check(context);
  if (failure !== null) refuse(event, failure, options);
  return context;
}

/** The request's user (by session or API key); else 401 (`error`) or the `redirectTo` page. */
export async function requireUser(
  event: RequestEvent,
  options?: SvelteKitGuardOptions,
): Promise<Principal> {
  const context = await guard(event, (c) => c.requireUser(), options);
  return context.user as Principal;
}

/** The request's user by a valid API key; else 401 with `WWW-Authenticate: Bearer` (a cookie is not enough). */
export async function requireApiKey(
  event: RequestEvent,
  options?: SvelteKitGuardOptions,
): Promise<Principal> {
  const context = await guard(event, (c) => c.requireApiKey(), options);
  return context.user as Principal;
}

/** The request's user when it has one of the roles; else 401 or 403. */
export async function requireRole(
  event: RequestEvent,
  roles: readonly string[],
  options?: SvelteKitGuardOptions,
): Promise<Principal> {
  const context = await guard(event, (c) => c.requireRole(...roles), options);
  return context.user as Principal;
}

/** Passes when `user-check-access` allows the query; else 401 or 403. */
export async function requireAccess(
  event: RequestEvent,
  query: AccessQuery,
  options?: SvelteKitGuardOptions,
): Promise<AuthContext> {
  return guard(event, (c) => c.requireAccess(query), options);
}

/**
 * Passes when the session's user confirmed the password within `maxAgeSeconds` (`confirmPassword`); else 401
 * without a user, or 403 `reauthenticate` (send the user to confirm it with `redirectTo`).
 *
 * @throws {ConfigError} when `maxAgeSeconds` is not a number > 0.
 */
export async function requireRecentAuth(
  event: RequestEvent,
  maxAgeSeconds: number,
  options?: SvelteKitGuardOptions,
): Promise<AuthContext> {
  const max = checkMaxAge(maxAgeSeconds);
  return guard(event, (c) => c.requireRecentAuth(max), options);
}

/** The per-role request limit (`user-check-limit`); 429 with `Retry-After` over it. */
export async function limitRequests(
  event: RequestEvent,
  limitName?: string,
  windowSeconds?: number,
): Promise<AuthContext> {
  return guard(event, (c) => c.limitRequests(limitName, windowSeconds));
}
