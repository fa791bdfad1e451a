/**
 * The example app's routes, written once over the web core's per-request context (`AuthContext`) and free of
 * any framework: each route takes the context and the request's form, query and path parameters, and gives a
 * {@link Reply}. The routes live by page group (`routes-visitor.ts`, `routes-account.ts`, `routes-keys.ts`);
 * `servers.ts` mounts them on Express (the default), Fastify or Hono through the matching
 * `authnzerver/<framework>` adapter.
 *
 * The auth server's messages are shown to the end user, escaped (`html.ts`); its `failure_reason` never is (the
 * web core does not pass it on).
 */
import { authFailure, type AuthContext, type AuthFailure } from 'authnzerver/web';
import { failurePage } from './pages.js';
import { FORM_LIMIT, page, refusal, viewerOf, type Reply, type Route } from './reply.js';
import { accountRoutesAll } from './routes-account.js';
import { keyRoutes } from './routes-keys.js';
import { preferencesRoutes } from './routes-preferences.js';
import { visitorRoutes } from './routes-visitor.js';

export { FORM_LIMIT, SECURITY_HEADERS, type Input, type Reply, type Route } from './reply.js';

/** The routes and the answers for refusals, for an app at `origin`. */
export interface Site {
  readonly routes: readonly Route[];
  /**
   * The answer to a refusal: by the adapter's middleware before a route runs (`auth` undefined: the auth
   * server is down, 503; a post from another origin, 403; a bad API key, 401), or by a route. A page with the
   * failure's code, or JSON under `/api/`; `Retry-After` with 429.
   */
  refused(path: string, failure: AuthFailure, auth?: AuthContext): Reply;
  /** The 404 page. */
  notFound(auth?: AuthContext): Reply;
  /** The 500 page: nothing of the error is shown. */
  error(): Reply;
  /** The 413 page (or JSON under `/api/`): a body over {@link FORM_LIMIT}, refused by the framework's parser. */
  tooLarge(path: string): Reply;
}

/** The answer to a refusal: JSON under `/api/`, else a page with the failure's code. */
function refused(path: string, failure: AuthFailure, auth?: AuthContext): Reply {
  const headers: Record<string, string> = {};
  if (failure.retryAfter !== undefined) headers['Retry-After'] = String(failure.retryAfter);
  if (failure.challenge !== undefined) headers['WWW-Authenticate'] = failure.challenge;
  if (path.startsWith('/api/')) {
    return {
      status: failure.status,
      type: 'json',
      body: JSON.stringify({
        error: failure.code,
        message: failure.message,
        messages: failure.messages,
      }),
      headers,
    };
  }
  const title =
    failure.status === 503
      ? 'Service unavailable'
      : failure.status === 413
        ? 'Too large'
        : 'Refused';
  return page(
    failure.status,
    failurePage(viewerOf(auth), title, refusal(failure), failure.code),
    headers,
  );
}

/** Makes the routes of the app at `origin` (for the curl example on the keys page). */
export function createSite(origin: string): Site {
  return {
    routes: [
      ...visitorRoutes(refused),
      ...accountRoutesAll(),
      ...preferencesRoutes(refused),
      ...keyRoutes(origin, refused),
    ],
    refused,
    notFound: (auth) =>
      page(
        404,
        failurePage(viewerOf(auth), 'Not found', { kind: 'error', messages: ['No such page.'] }),
      ),
    error: () =>
      page(500, failurePage({}, 'Error', { kind: 'error', messages: ['Something went wrong.'] })),
    tooLarge: (path) =>
      refused(path, {
        ...authFailure('too-large'),
        messages: [`Forms here take at most ${FORM_LIMIT / 1024} KiB.`],
      }),
  };
}
