/**
 * The example app's routes, written once over the web core's per-request context (`AuthContext`) and free of
 * any framework: each route takes the context and the request's form, query and path parameters, and gives a
 * {@link Reply}. `servers.ts` mounts them on Express (the default), Fastify or Hono through the matching
 * `authnzerver/<framework>` adapter.
 *
 * The auth server's messages are shown to the end user, escaped (`html.ts`); its `failure_reason` never is (the
 * web core does not pass it on).
 */
import { randomBytes } from 'node:crypto';
import { authFailure, type AuthContext, type AuthFailure, type UserSession } from 'authnzerver/web';
import type { Notice, Viewer } from './html.js';
import {
  accountPage,
  failurePage,
  homePage,
  keysPage,
  loginPage,
  preferencesPage,
  signedUpPage,
  signupPage,
  verifiedPage,
  THEMES,
  type KeyRow,
} from './pages.js';

/** What a route answers: a page, JSON, or a redirect (after a POST, 303 to a GET). */
export type Reply =
  | {
      readonly status: number;
      readonly type: 'html' | 'json';
      readonly body: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly status: 303; readonly type: 'redirect'; readonly location: string };

/** What a route reads of a request, as strings: absent fields are `undefined`. */
export interface Input {
  readonly form: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, string | undefined>>;
}

/** One route: its method, its path (`:name` for a parameter, as all three frameworks write it) and handler. */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  handle(auth: AuthContext, input: Input): Reply | Promise<Reply>;
}

/** The security headers of every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // No scripts at all, styles from /style.css only, forms only to this app, never framed.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  // Pages show the user's data, and once a new API key: no cache keeps them.
  'Cache-Control': 'no-store',
};

/** The largest form body the app reads, in bytes. */
export const FORM_LIMIT = 16 * 1024;

/** One issued key, as this app remembers it: authnzerver has no request that lists a user's keys. */
interface KeyRecord extends KeyRow {
  /** The Bearer value, kept only to revoke the key; never shown again nor logged. */
  readonly token: string;
  revoked: boolean;
}

function page(status: number, body: string, headers?: Record<string, string>): Reply {
  return { status, type: 'html', body, ...(headers === undefined ? {} : { headers }) };
}

function redirect(location: string): Reply {
  return { status: 303, type: 'redirect', location };
}

/** A form or query field as a string, or undefined. */
function text(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** The session data demo's theme: the session's `theme`, else `light`. */
function themeOf(auth: AuthContext): string {
  const theme = auth.data['theme'];
  return typeof theme === 'string' ? theme : 'light';
}

/** The notice for a refusal: the server's messages for the end user when it gave some, else the generic text. */
function refusal(failure: AuthFailure): Notice {
  return {
    kind: 'error',
    messages: failure.messages.length > 0 ? failure.messages : [failure.message],
  };
}

function viewerOf(auth: AuthContext | undefined): Viewer {
  const session = auth?.session;
  return session?.kind === 'user' ? { email: session.email } : {};
}

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

/** Makes the routes of the app at `origin` (for the curl example on the keys page). */
export function createSite(origin: string): Site {
  const keys = new Map<number, KeyRecord[]>();
  const listKeys = (userId: number): KeyRecord[] => keys.get(userId) ?? [];

  const refused = (path: string, failure: AuthFailure, auth?: AuthContext): Reply => {
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
  };

  /** Runs `then` with the logged-in user's session, or redirects to the log-in page. */
  const withUser = (
    auth: AuthContext,
    then: (session: UserSession) => Reply | Promise<Reply>,
  ): Reply | Promise<Reply> =>
    auth.session.kind === 'user' ? then(auth.session) : redirect('/login');

  const keysReply = (
    status: number,
    session: UserSession,
    created?: { token: string; id: string },
    notice?: Notice,
  ): Reply => page(status, keysPage(session, origin, listKeys(session.userId), created, notice));

  const routes: Route[] = [
    { method: 'GET', path: '/', handle: (auth) => page(200, homePage(viewerOf(auth))) },
    { method: 'GET', path: '/signup', handle: (auth) => page(200, signupPage(viewerOf(auth))) },
    {
      method: 'POST',
      path: '/signup',
      async handle(auth, { form }) {
        const fullName = text(form, 'fullName');
        const email = text(form, 'email');
        const result = await auth.signup({ fullName, email, password: text(form, 'password') });
        const values = { fullName: fullName ?? '', email: email ?? '' };
        if (!result.ok) {
          return page(
            result.failure.status,
            signupPage(viewerOf(auth), values, refusal(result.failure)),
          );
        }
        return page(
          200,
          signedUpPage(viewerOf(auth), values.email, { kind: 'info', messages: result.messages }),
        );
      },
    },
    {
      method: 'GET',
      path: '/verify-email',
      async handle(auth, { query }) {
        const result = await auth.verifyEmail(text(query, 'token'));
        if (!result.ok) {
          return page(
            result.failure.status,
            verifiedPage(viewerOf(auth), undefined, refusal(result.failure)),
          );
        }
        return page(
          200,
          verifiedPage(viewerOf(auth), result.value.email, {
            kind: 'info',
            messages: result.messages,
          }),
        );
      },
    },
    {
      method: 'GET',
      path: '/login',
      handle(auth) {
        if (auth.session.kind === 'user') return redirect('/account');
        // No session is made for the form: log-in makes the one it needs, so a crawler fills no table.
        return page(200, loginPage(viewerOf(auth)));
      },
    },
    {
      method: 'POST',
      path: '/login',
      async handle(auth, { form }) {
        const email = text(form, 'email');
        const result = await auth.login(email, text(form, 'password'), {
          remember: text(form, 'remember') === 'yes',
        });
        if (result.ok) return redirect('/account');
        return page(
          result.failure.status,
          loginPage(viewerOf(auth), email ?? '', refusal(result.failure)),
        );
      },
    },
    {
      method: 'GET',
      path: '/preferences',
      handle: (auth) =>
        withUser(auth, (session) => page(200, preferencesPage(session, themeOf(auth)))),
    },
    {
      method: 'POST',
      path: '/preferences',
      handle: (auth, { form }) =>
        withUser(auth, async (session) => {
          const theme = text(form, 'theme');
          if (!THEMES.includes(theme as (typeof THEMES)[number])) {
            const notice: Notice = { kind: 'error', messages: ['Choose a theme.'] };
            return page(400, preferencesPage(session, themeOf(auth), notice));
          }
          const saved = await auth.setData({ theme });
          if (!saved.ok) return refused('/preferences', saved.failure, auth);
          return redirect('/preferences');
        }),
    },
    {
      method: 'GET',
      path: '/account',
      handle: (auth) => withUser(auth, (session) => page(200, accountPage(session))),
    },
    {
      method: 'GET',
      path: '/keys',
      handle: (auth) => withUser(auth, (session) => keysReply(200, session)),
    },
    {
      method: 'POST',
      path: '/keys',
      handle: (auth) =>
        withUser(auth, async (session) => {
          const result = await auth.issueApiKey();
          if (!result.ok)
            return keysReply(result.failure.status, session, undefined, refusal(result.failure));
          const record: KeyRecord = {
            id: `key-${randomBytes(4).toString('hex')}`,
            token: result.value.token,
            info: result.value.info,
            revoked: false,
          };
          keys.set(session.userId, [...listKeys(session.userId), record]);
          return keysReply(201, session, { token: record.token, id: record.id });
        }),
    },
    {
      method: 'POST',
      path: '/keys/:id/revoke',
      handle: (auth, { params }) =>
        withUser(auth, async (session) => {
          const record = listKeys(session.userId).find((key) => key.id === params.id);
          if (record === undefined) {
            return keysReply(404, session, undefined, {
              kind: 'error',
              messages: ['No such key.'],
            });
          }
          const result = await auth.revokeApiKey(record.token);
          if (!result.ok)
            return keysReply(result.failure.status, session, undefined, refusal(result.failure));
          record.revoked = true;
          return keysReply(200, session, undefined, {
            kind: 'info',
            messages: [`The key ${record.id} is revoked.`],
          });
        }),
    },
    {
      method: 'POST',
      path: '/logout',
      async handle(auth) {
        const result = await auth.logout();
        if (!result.ok) return refused('/logout', result.failure, auth);
        return page(
          200,
          failurePage({}, 'Logged out', { kind: 'info', messages: ['You are logged out.'] }),
        );
      },
    },
    {
      // The JSON API: Bearer API keys only (a browser's cookie is not enough here).
      method: 'GET',
      path: '/api/me',
      handle(auth) {
        const key = auth.apiKey;
        const user = auth.user;
        // A cookie is not enough here: 401 with `WWW-Authenticate: Bearer` (RFC 6750).
        const refusal = auth.requireApiKey();
        if (refusal !== null || key === null || user === null) {
          return refused('/api/me', refusal ?? authFailure('unauthenticated'), auth);
        }
        return {
          status: 200,
          type: 'json',
          body: JSON.stringify({
            userId: user.userId,
            role: user.role,
            via: user.via,
            key: {
              subject: key.subject,
              audience: key.audience,
              issuedAt: key.issuedAt.toISOString(),
              expires: key.expires.toISOString(),
            },
          }),
        };
      },
    },
  ];

  return {
    routes,
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
