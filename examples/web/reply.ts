/**
 * What every route module of the example app shares: the {@link Reply} a route gives, the request's
 * {@link Input}, the {@link Route} itself, the security headers and form limit, and small helpers to answer with
 * a page or a redirect, read a field, and show a refusal.
 */
import type { AuthContext, AuthFailure, UserSession } from 'authnzerver/web';
import type { Notice, Viewer } from './html.js';

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

/** The answer to a refusal, for a path (a page, or JSON under `/api/`). */
export type Refused = (path: string, failure: AuthFailure, auth?: AuthContext) => Reply;

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

/** How recent a password confirmation the sensitive actions need: 5 minutes. */
export const STEP_UP_SECONDS = 300;

export function page(status: number, body: string, headers?: Record<string, string>): Reply {
  return { status, type: 'html', body, ...(headers === undefined ? {} : { headers }) };
}

export function redirect(location: string): Reply {
  return { status: 303, type: 'redirect', location };
}

/** A form or query field as a string, or undefined. */
export function text(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** The notice for a refusal: the server's messages for the end user when it gave some, else the generic text. */
export function refusal(failure: AuthFailure): Notice {
  return {
    kind: 'error',
    messages: failure.messages.length > 0 ? failure.messages : [failure.message],
  };
}

/** An info notice. */
export function info(...messages: readonly string[]): Notice {
  return { kind: 'info', messages };
}

export function viewerOf(auth: AuthContext | undefined): Viewer {
  const session = auth?.session;
  return session?.kind === 'user' ? { email: session.email } : {};
}

/** Runs `then` with the logged-in user's session, or redirects to the log-in page. */
export function withUser(
  auth: AuthContext,
  then: (session: UserSession) => Reply | Promise<Reply>,
): Reply | Promise<Reply> {
  return auth.session.kind === 'user' ? then(auth.session) : redirect('/login');
}

/**
 * Runs `then` when the user confirmed the password in the last {@link STEP_UP_SECONDS}; else sends the user to
 * confirm it, and back to `back` afterwards.
 */
export function withRecentAuth(
  auth: AuthContext,
  back: string,
  then: (session: UserSession) => Reply | Promise<Reply>,
): Reply | Promise<Reply> {
  return withUser(auth, (session) =>
    auth.requireRecentAuth(STEP_UP_SECONDS) === null
      ? then(session)
      : redirect(`/confirm?next=${encodeURIComponent(back)}`),
  );
}

/** A local path to go back to after a confirmation: never another site (`//evil.test`, `/\evil.test`). */
export function localPath(value: string | undefined): string {
  return value !== undefined && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/account';
}
