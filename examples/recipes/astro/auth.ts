/**
 * Recipe: authnzerver's web core as Astro 5 middleware (`src/middleware.ts`: `export const onRequest =
 * authnzerver(auth)`). It authenticates every on-demand request, puts the context in `context.locals.auth`, and
 * adds the session's cookies and the caching headers to the answer (`context.apply`). A page or an endpoint
 * guards itself: `const refused = await refuse(Astro.locals.auth, (a) => a.requireUser()); if (refused) return refused;`.
 *
 * The traps it answers: a prerendered page is built once and served to everyone, so the middleware skips it
 * (`locals.auth` is then unset). `context.clientAddress` is the platform's address for the client; on
 * `@astrojs/node` it is the first `X-Forwarded-For` value when there is one, which any client can send, so on Node
 * give `remoteAddress` the socket's peer (see docs/recipes.md). An answer whose headers cannot change (a
 * `Response.redirect`, a fetched response) is copied before the cookies go on it.
 */
import type { APIContext, MiddlewareHandler } from 'astro';
import {
  failureHeaders,
  failureJson,
  type AuthContext,
  type AuthFailure,
  type WebAuth,
} from 'authnzerver/web';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Astro's own way to type `locals`
  namespace App {
    interface Locals {
      /** The request's auth context (unset on prerendered pages). */
      auth: AuthContext;
    }
  }
}

/** Options of {@link authnzerver}. */
export interface AstroAuthOptions {
  /** Create an anonymous session on requests without one. Default `false`. */
  readonly anonymous?: boolean;
  /** The TCP peer's address. Default `context.clientAddress` (see the module's comment for Node). */
  readonly remoteAddress?: (context: APIContext) => string | undefined;
}

/** `context.clientAddress`, or nothing where the adapter gives none. */
function clientAddress(context: APIContext): string | undefined {
  try {
    return context.clientAddress;
  } catch {
    return undefined;
  }
}

/** The response with the request's cookies and caching headers (a copy when its headers are immutable). */
function applied(auth: AuthContext, response: Response): Response {
  try {
    return auth.apply(response);
  } catch {
    return auth.apply(new Response(response.body, response));
  }
}

/** The middleware: `context.locals.auth`, or the refusal (503 when the auth server fails: fail closed). */
export function authnzerver(auth: WebAuth, options: AstroAuthOptions = {}): MiddlewareHandler {
  const remote = options.remoteAddress ?? clientAddress;
  return async (context, next) => {
    if (context.isPrerendered) return next();
    const result = await auth.authenticate(
      context.request,
      { remoteAddress: remote(context) },
      { createAnonymous: options.anonymous ?? false },
    );
    if (!result.ok) {
      return auth.failureResponse(result.failure, result.setCookies, context.request);
    }
    context.locals.auth = result.context;
    return applied(result.context, await next());
  };
}

/** The refusal of `check` as a response (text, or JSON when asked), or null to go on. */
export async function refuse(
  auth: AuthContext,
  check: (auth: AuthContext) => AuthFailure | null | Promise<AuthFailure | null>,
): Promise<Response | null> {
  const failure = await check(auth);
  if (failure === null) return null;
  const headers = new Headers(failureHeaders(failure));
  headers.set('content-type', auth.wantsJson ? 'application/json' : 'text/plain; charset=utf-8');
  return new Response(auth.wantsJson ? failureJson(failure) : failure.message, {
    status: failure.status,
    headers,
  });
}
