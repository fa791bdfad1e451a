/**
 * `authnzerver/react-router`: the web core for React Router 7 in framework mode. With middleware
 * (`future.v8_middleware`), `authnzerver(auth)` in the root route's `middleware` authenticates each request and
 * keeps its context in the router context; loaders and actions read it with `getAuth(context)`. Every cookie the
 * core sets (a log-in or log-out in an action, a refreshed session) is added to the response, which also gets the
 * caching rule of its session (`Vary: Cookie`, `Cache-Control: private, no-store` when personal). Without
 * middleware, `authenticate(auth, request)` in a loader or action gives the context and the headers to return
 * with its data. The guards (`requireUser(args)`, ...) throw a `Response`: the refusal (plain text, or JSON when
 * the request asks for it), or `redirect()` with `redirectTo`.
 *
 * React Router's Node servers give no client address to the router: the client IP is `0.0.0.0` unless a trusted
 * proxy names it (`trustProxy`), or a custom server puts the socket's address in {@link clientAddressContext}.
 */
import {
  createContext,
  redirect,
  type MiddlewareFunction,
  type RouterContext,
  type RouterContextProvider,
} from 'react-router';
import { checkKeys, optionShape } from '../../core/options.js';
import { applyCachePolicy } from '../cache-policy.js';
import type { AccessQuery, AuthContext, AuthFailure, Principal, WebAuth } from '../types.js';
import {
  checkMaxAge,
  failureReply,
  FailureHandlers,
  MISSING_MIDDLEWARE,
  wantsJson,
} from './shared.js';

/** The router context the middleware fills: `context.get(authContext)`, or {@link getAuth}. */
export const authContext: RouterContext<AuthContext | null> = createContext<AuthContext | null>(
  null,
);

/**
 * The TCP peer's address, for a custom server to give (React Router's own servers do not): in `getLoadContext`,
 * `new RouterContextProvider(new Map([[clientAddressContext, req.socket.remoteAddress]]))`.
 */
export const clientAddressContext: RouterContext<string | null> = createContext<string | null>(
  null,
);

/** What a loader, an action or a middleware gets: the request and the router context. */
export interface RouteArgs {
  readonly request: Request;
  readonly context: Readonly<RouterContextProvider>;
}

/** Answers a refused request; the default sends the failure's status and generic message, as text or JSON. */
export type ReactRouterFailureHandler = (
  failure: AuthFailure,
  request: Request,
) => Response | Promise<Response>;

/** Options of {@link authnzerver}. */
export interface ReactRouterAuthOptions {
  /**
   * Create an anonymous session on requests without one (all, or those the function picks), for an app that
   * keeps state for visitors. A log-in form does not need one. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | ((request: Request) => boolean) | undefined;
  /**
   * How refused requests (by the middleware and by the guards) are answered.
   * @default the built-in answer: a page, or JSON when the request asks for it
   */
  readonly onFailure?: ReactRouterFailureHandler | undefined;
  /**
   * Answer the default refusals as JSON for these requests (e.g. `(r) => new URL(r.url).pathname.startsWith(
   * '/api/')`), or for all with `true`. Default: JSON when the request asks for it (`Accept`), plain text
   * otherwise.
   * @default undefined (JSON when the request's `Accept` asks for it)
   */
  readonly json?: boolean | ((request: Request) => boolean) | undefined;
  /**
   * The TCP peer's address. The default reads {@link clientAddressContext} (set by a custom server); without it
   * the client IP is `0.0.0.0` unless a trusted proxy names it (`trustProxy`).
   * @default `context.get(clientAddressContext)` (above)
   */
  readonly remoteAddress?: ((args: RouteArgs) => string | undefined) | undefined;
}

/** The known keys of {@link ReactRouterAuthOptions}: another key is a `ConfigError` with "did you mean". */
const OPTION_KEYS = optionShape<ReactRouterAuthOptions>({
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
export const sendFailure: ReactRouterFailureHandler = (failure, request) =>
  failureResponse(failure, wantsJson(request.headers));

/** The default failure answer, always as JSON (`{ "error": code, "message", "messages" }`). */
export const sendJsonFailure: ReactRouterFailureHandler = (failure) =>
  failureResponse(failure, true);

/** The address a custom server put in {@link clientAddressContext}, if any. */
export function defaultRemoteAddress(args: RouteArgs): string | undefined {
  return args.context.get(clientAddressContext) ?? undefined;
}

/** The failure handler each request's context was given, for the guards (one registry for both builds). */
const handlers = new FailureHandlers<ReactRouterFailureHandler>();

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

/** The response with the request's cookies and the caching rule of its session. */
function finish(context: AuthContext, response: Response, cookies: readonly string[]): Response {
  const target = withCookies(response, cookies);
  try {
    return context.apply(target);
  } catch {
    return context.apply(new Response(target.body, target));
  }
}

/**
 * The middleware: authenticates every request and sets {@link authContext}. Put it in the root route's
 * `middleware` (`export const middleware = [authnzerver(auth)]` in `app/root.tsx`), with
 * `future: { v8_middleware: true }` in `react-router.config.ts`.
 */
export function authnzerver(
  auth: WebAuth,
  options: ReactRouterAuthOptions = {},
): MiddlewareFunction<Response> {
  checkKeys(options, OPTION_KEYS, 'authnzerver/react-router');
  const anonymous = options.anonymous ?? false;
  const json = options.json ?? false;
  const remote = options.remoteAddress ?? defaultRemoteAddress;
  return async (args, next) => {
    const { request, context } = args;
    const onFailure =
      options.onFailure ??
      ((typeof json === 'function' ? json(request) : json) ? sendJsonFailure : sendFailure);
    const createAnonymous = typeof anonymous === 'function' ? anonymous(request) : anonymous;
    const cookies: string[] = [];
    const result = await auth.authenticate(
      request,
      { remoteAddress: remote(args), setCookie: (value) => cookies.push(value) },
      { createAnonymous },
    );
    if (!result.ok) {
      return withCookies(await onFailure(result.failure, request), [
        ...cookies,
        ...result.setCookies,
      ]);
    }
    handlers.set(result.context, onFailure);
    context.set(authContext, result.context);
    let response: Response;
    try {
      response = await next();
    } catch (thrown) {
      // A guard's refusal (or a redirect) that reached the middleware: it still gets the cookies.
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- React Router's way: a thrown Response is the answer
      if (thrown instanceof Response) throw finish(result.context, thrown, cookies);
      throw thrown;
    }
    return finish(result.context, response, cookies);
  };
}

/** The request's auth context in a loader or action, or an error naming the missing middleware. */
export function getAuth(context: Readonly<RouterContextProvider>): AuthContext {
  const auth = context.get(authContext);
  if (auth === null) throw new Error(MISSING_MIDDLEWARE);
  return auth;
}

/** What {@link authenticate} gives. */
export type AuthenticateResult =
  | {
      readonly ok: true;
      /** The request's auth context. */
      readonly auth: AuthContext;
      /**
       * The headers to return with the loader's or action's data (`data(value, { headers: result.headers() })`,
       * or on a `redirect`): the cookies set so far and the caching rule. Call it last, after a log-in or log-out.
       */
      headers(): Headers;
    }
  | {
      readonly ok: false;
      /** The refusal to throw (or return): a cross-site POST, the auth server unavailable. */
      readonly response: Response;
    };

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /**
   * Create an anonymous session when there is none. Default `false`.
   * @default false
   */
  readonly anonymous?: boolean | undefined;
  /**
   * The TCP peer's address, when the server gives it.
   * @default undefined (unknown)
   */
  readonly remoteAddress?: string | undefined;
  /**
   * How a refusal is answered. Default {@link sendFailure}.
   * @default sendFailure
   */
  readonly onFailure?: ReactRouterFailureHandler | undefined;
}

const AUTHENTICATE_KEYS = optionShape<AuthenticateOptions>({
  anonymous: true,
  remoteAddress: true,
  onFailure: true,
});

/**
 * For an app without middleware: authenticates one request in a loader or action. Return `headers()` with the
 * data, and export `headers` from the route module (`({ loaderHeaders, actionHeaders }) => ...`) so a document
 * request keeps the caching rule (React Router merges only `Set-Cookie` by itself).
 */
export async function authenticate(
  auth: WebAuth,
  request: Request,
  options: AuthenticateOptions = {},
): Promise<AuthenticateResult> {
  checkKeys(options, AUTHENTICATE_KEYS, 'authnzerver/react-router authenticate');
  const onFailure = options.onFailure ?? sendFailure;
  const cookies: string[] = [];
  const result = await auth.authenticate(
    request,
    { remoteAddress: options.remoteAddress, setCookie: (value) => cookies.push(value) },
    { createAnonymous: options.anonymous ?? false },
  );
  if (!result.ok) {
    return {
      ok: false,
      response: withCookies(await onFailure(result.failure, request), [
        ...cookies,
        ...result.setCookies,
      ]),
    };
  }
  const context = result.context;
  handlers.set(context, onFailure);
  return {
    ok: true,
    auth: context,
    headers() {
      const headers = new Headers();
      for (const value of cookies) headers.append('set-cookie', value);
      applyCachePolicy(context, headers);
      return headers;
    },
  };
}

/** Options of a guard. */
export interface ReactRouterGuardOptions {
  /**
   * Where to send a refused request instead (`redirect()`), e.g. `/login`; the page's path is added as `?next=`
   * when the value has no query of its own. Default: the refusal `Response`.
   * @default undefined (the refusal is answered)
   */
  readonly redirectTo?: string | undefined;
  /**
   * Answer this refusal as JSON whatever the request's `Accept` says.
   * @default false
   */
  readonly json?: boolean | undefined;
}

/** What a guard takes: a loader's or action's arguments, or (without middleware) the request and its context. */
export type GuardTarget = RouteArgs | { readonly request: Request; readonly auth: AuthContext };

function contextOf(target: GuardTarget): AuthContext {
  return 'auth' in target ? target.auth : getAuth(target.context);
}

/** Runs a check; on failure throws the refusal `Response` or the redirect. */
async function guard(
  target: GuardTarget,
  check: (context: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>,
  options: ReactRouterGuardOptions = {},
): Promise<AuthContext> {
  const context = contextOf(target);
  const failure = await check(context);
  if (failure === null) return context;
  if (options.redirectTo !== undefined) {
    const url = new URL(target.request.url);
    const to = options.redirectTo.includes('?')
      ? options.redirectTo
      : `${options.redirectTo}?next=${encodeURIComponent(url.pathname + url.search)}`;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- React Router's way: a thrown Response is the answer
    throw redirect(to);
  }
  const handler = handlers.get(context) ?? sendFailure;
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- React Router's way: a thrown Response is the answer
  throw await (options.json === true && handler === sendFailure ? sendJsonFailure : handler)(
    failure,
    target.request,
  );
}

/** The request's user (by session or API key); else throws 401 (or the `redirectTo` redirect). */
export async function requireUser(
  target: GuardTarget,
  options?: ReactRouterGuardOptions,
): Promise<Principal> {
  const context = await guard(target, (c) => c.requireUser(), options);
  return context.user as Principal;
}

/** The request's user by a valid API key; else 401 with `WWW-Authenticate: Bearer` (a cookie is not enough). */
export async function requireApiKey(
  target: GuardTarget,
  options?: ReactRouterGuardOptions,
): Promise<Principal> {
  const context = await guard(target, (c) => c.requireApiKey(), options);
  return context.user as Principal;
}

/** The request's user when it has one of the roles; else 401 or 403. */
export async function requireRole(
  target: GuardTarget,
  roles: readonly string[],
  options?: ReactRouterGuardOptions,
): Promise<Principal> {
  const context = await guard(target, (c) => c.requireRole(...roles), options);
  return context.user as Principal;
}

/** Passes when `user-check-access` allows the query; else 401 or 403. */
export async function requireAccess(
  target: GuardTarget,
  query: AccessQuery,
  options?: ReactRouterGuardOptions,
): Promise<AuthContext> {
  return guard(target, (c) => c.requireAccess(query), options);
}

/**
 * Passes when the session's user confirmed the password within `maxAgeSeconds` (`confirmPassword`); else 401
 * without a user, or 403 `reauthenticate` (send the user to confirm it with `redirectTo`).
 *
 * @throws {ConfigError} when `maxAgeSeconds` is not a number > 0.
 */
export async function requireRecentAuth(
  target: GuardTarget,
  maxAgeSeconds: number,
  options?: ReactRouterGuardOptions,
): Promise<AuthContext> {
  const max = checkMaxAge(maxAgeSeconds);
  return guard(target, (c) => c.requireRecentAuth(max), options);
}

/** The per-role request limit (`user-check-limit`); 429 with `Retry-After` over it. */
export async function limitRequests(
  target: GuardTarget,
  limitName?: string,
  windowSeconds?: number,
): Promise<AuthContext> {
  return guard(target, (c) => c.limitRequests(limitName, windowSeconds));
}
