/**
 * Recipe: authnzerver's web core for Nuxt and Nitro, on h3 1 (the h3 that Nitro 2 and Nuxt 4 ship).
 * `authnzerver(auth)` is a server middleware (`server/middleware/auth.ts`: `export default authnzerver(auth)`) that
 * puts the request's context in `event.context.auth`; `guard(check)` is an `onRequest` hook of a route
 * (`defineEventHandler({ onRequest: [guard((a) => a.requireUser())], handler })`) that answers 401/403/429/503.
 *
 * The traps it answers: `getRequestIP(event)` without `xForwardedFor` is the socket's peer (the web core's
 * `trustProxy` decides which proxies to believe, not h3); `getRequestURL` trusts `X-Forwarded-Proto` unless told
 * not to; `Set-Cookie` values are appended (`setCookie` from h3 would encode them again), and session-dependent
 * answers get `Vary: Cookie` and `Cache-Control: private, no-store`.
 */
import {
  appendResponseHeader,
  defineEventHandler,
  getRequestIP,
  getRequestURL,
  getResponseHeader,
  send,
  setResponseHeader,
  setResponseHeaders,
  setResponseStatus,
  type H3Event,
} from 'h3';
import {
  applyCachePolicy,
  failureHeaders,
  failureJson,
  wantsJson,
  type AuthContext,
  type AuthFailure,
  type WebAuth,
} from 'authnzerver/web';

declare module 'h3' {
  interface H3EventContext {
    /** The request's auth context, set by the `authnzerver` middleware. */
    auth: AuthContext;
  }
}

/** Sets a refusal's status and headers; gives its body and content type. */
function refusal(event: H3Event, failure: AuthFailure, json: boolean): [string, string] {
  setResponseStatus(event, failure.status);
  setResponseHeaders(event, failureHeaders(failure));
  return json
    ? [failureJson(failure), 'application/json']
    : [failure.message, 'text/plain; charset=utf-8'];
}

/**
 * The middleware: authenticates the request (an API key, or the session cookie under the CSRF rule) and sets
 * `event.context.auth`, or answers the refusal (503 when the auth server fails: fail closed).
 */
export function authnzerver(auth: WebAuth, options: { anonymous?: boolean } = {}) {
  return defineEventHandler(async (event) => {
    let context: AuthContext | undefined = undefined;
    const headers = {
      get: (name: string) => {
        const value = getResponseHeader(event, name);
        return value === undefined ? null : String(value);
      },
      set: (name: string, value: string) => {
        setResponseHeader(event, name, value);
      },
    };
    const request = {
      method: event.method,
      url: getRequestURL(event, { xForwardedHost: false, xForwardedProto: false }).href,
      headers: event.headers,
    };
    const result = await auth.authenticate(
      request,
      {
        remoteAddress: getRequestIP(event),
        setCookie(value) {
          appendResponseHeader(event, 'set-cookie', value);
          // A log-in or log-out in the handler makes the answer personal.
          if (context !== undefined && !event.handled) applyCachePolicy(context, headers);
        },
      },
      { createAnonymous: options.anonymous ?? false },
    );
    if (!result.ok) {
      const [body, type] = refusal(event, result.failure, wantsJson(request.headers));
      setResponseHeader(event, 'content-type', type);
      return body;
    }
    context = result.context;
    applyCachePolicy(context, headers);
    event.context.auth = context;
    return undefined;
  });
}

/** A route's `onRequest` hook: runs `check` on the request's context and answers its refusal, or goes on. */
export function guard(
  check: (auth: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>,
): (event: H3Event) => Promise<void> {
  return async (event) => {
    const auth = event.context.auth as AuthContext | undefined;
    if (auth === undefined) {
      throw new Error(
        'authnzerver: the authnzerver(auth) middleware did not run before this guard',
      );
    }
    const failure = await check(auth);
    if (failure === null) return;
    const [body, type] = refusal(event, failure, auth.wantsJson);
    await send(event, body, type);
  };
}
