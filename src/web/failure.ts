/**
 * Failures of the web core: the table from failure code to HTTP status and a generic, safe message; the
 * `WWW-Authenticate` challenge of API-key failures (RFC 6750); how a client result becomes a value, a rejection
 * (the server said no) or a failure to answer (503, or 429 with Retry-After); and the reply for a failure, as
 * plain text or, for a client that asks for JSON, as `{ "error": code, "message", "messages" }`. Never carries
 * the server's `failure_reason`.
 */
import Negotiator from 'negotiator';
import type { ActionResult, AuthFailure, AuthFailureCode } from './types.js';

const TABLE: Readonly<Record<AuthFailureCode, { status: AuthFailure['status']; message: string }>> =
  {
    unavailable: {
      status: 503,
      message: 'The sign-in service is unavailable. Please try again shortly.',
    },
    'rate-limited': { status: 429, message: 'Too many requests. Please try again later.' },
    'over-limit': { status: 429, message: 'You have reached the limit for your account.' },
    csrf: { status: 403, message: 'This request did not come from this site.' },
    unauthenticated: { status: 401, message: 'Please log in.' },
    reauthenticate: { status: 403, message: 'Please confirm your password to continue.' },
    forbidden: { status: 403, message: 'You are not allowed to do this.' },
    'invalid-api-key': { status: 401, message: 'The API key is not valid.' },
    'api-key-scope': { status: 403, message: 'The API key is not valid for this request.' },
    rejected: { status: 400, message: 'The request was refused.' },
    'login-refused': { status: 401, message: 'Log-in failed.' },
    'invalid-token': { status: 400, message: 'This link is not valid or has expired.' },
    'invalid-input': { status: 400, message: 'Some of the input is missing or malformed.' },
    'too-large': { status: 413, message: 'The request is too large.' },
  };

/** Retry-After (seconds) when the auth server's 429 carries none. */
const DEFAULT_RETRY_AFTER = 60;

/** A failure of this code, with the server's end-user messages when there are any. */
export function failure(
  code: AuthFailureCode,
  messages: readonly string[] = [],
  retryAfter?: number,
): AuthFailure {
  const row = TABLE[code];
  const status = row.status;
  return Object.freeze({
    status,
    code,
    message: row.message,
    messages,
    ...(status === 429 ? { retryAfter: retryAfter ?? DEFAULT_RETRY_AFTER } : {}),
  });
}

/** A 400 for bad input, saying which field. */
export function invalidInput(message: string): AuthFailure {
  return Object.freeze({ ...failure('invalid-input'), message: `Invalid input: ${message}.` });
}

/** The error codes of RFC 6750 §3.1 that an API-key refusal carries. */
export type BearerError = 'invalid_token' | 'insufficient_scope';

/**
 * The `WWW-Authenticate` value of a Bearer challenge (RFC 6750 §3): `Bearer`, with the realm when the app names
 * one, and the error code when a key was presented. A realm is quoted; quotes and backslashes in it are escaped.
 */
export function bearerChallenge(realm: string | undefined, error?: BearerError): string {
  const params: string[] = [];
  if (realm !== undefined) params.push(`realm="${realm.replace(/["\\]/g, '\\$&')}"`);
  if (error !== undefined) params.push(`error="${error}"`);
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/** A failure with a `WWW-Authenticate` challenge. */
export function challenged(f: AuthFailure, challenge: string): AuthFailure {
  return Object.freeze({ ...f, challenge });
}

/** A client call's outcome as the web core reads it. */
export type CallResult<S> =
  | { readonly ok: true; readonly value: S; readonly messages: readonly string[] }
  /** The server ran the request and said no: `messages` are its words for the end user. */
  | {
      readonly ok: false;
      readonly rejected: true;
      readonly messages: readonly string[];
      readonly failure: AuthFailure;
      /** The server's reply (its failure shape), for decisions only; never shown. */
      readonly response?: unknown;
      /** The server's reason, for decisions only: never shown, never logged. */
      readonly reason?: string | null;
    }
  /** No usable answer: the request fails closed. */
  | { readonly ok: false; readonly rejected: false; readonly failure: AuthFailure };

/** The fields of a client result the web core reads. */
interface ClientResult {
  readonly success: boolean;
  readonly response: unknown;
  readonly messages: readonly string[];
  readonly failure: string | null;
  readonly failureReason?: string | null;
  readonly retryAfter?: number | null;
}

/** Reads a client result (see {@link CallResult}). */
export function fromResult<S>(result: ClientResult): CallResult<S> {
  if (result.success) return { ok: true, value: result.response as S, messages: result.messages };
  switch (result.failure) {
    case 'rejected':
      return {
        ok: false,
        rejected: true,
        messages: result.messages,
        failure: failure('rejected', result.messages),
        response: result.response,
        reason: result.failureReason ?? null,
      };
    case 'database-error':
      // The server's database failed under the request: it says nothing about the session or the user, so the
      // web layer fails closed (503) and keeps the cookie, never treats it as "no such session".
      return { ok: false, rejected: false, failure: failure('unavailable') };
    case 'invalid-params':
      // The server's words here are about the protocol, not for end users.
      return { ok: false, rejected: true, messages: [], failure: failure('rejected') };
    case 'rate-limited':
      return {
        ok: false,
        rejected: false,
        failure: failure('rate-limited', [], result.retryAfter ?? undefined),
      };
    default:
      return { ok: false, rejected: false, failure: failure('unavailable') };
  }
}

/**
 * The headers of a failure reply: never cached (`private, no-store`, varying on the cookie: a refusal depends on
 * who asked), `Retry-After` on 429, `WWW-Authenticate` with a challenge.
 */
export function failureHeaders(f: AuthFailure): Record<string, string> {
  const headers: Record<string, string> = { 'cache-control': 'private, no-store', vary: 'Cookie' };
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  if (f.challenge !== undefined) headers['www-authenticate'] = f.challenge;
  return headers;
}

/** The JSON body of a failure: the code, the generic message, and the server's messages for the end user. */
export function failureJson(f: AuthFailure): string {
  return JSON.stringify({ error: f.code, message: f.message, messages: f.messages });
}

const HTML_FIRST = ['text/html', 'text/plain', 'application/json'];
const JSON_FIRST = ['application/json', 'text/html', 'text/plain'];

/**
 * Whether a request asks for a JSON answer: its `Accept` prefers `application/json` to HTML and text. When
 * `Accept` does not decide (absent, or a tie such as `*\/*`), a request that sent JSON, or an API key, gets JSON.
 * `Accept` is parsed by `negotiator`, as Express does.
 */
export function wantsJson(headers: { get(name: string): string | null }): boolean {
  const accept = headers.get('accept');
  const sentJson = /^application\/(?:[\w.+-]+\+)?json\b/i.test(
    headers.get('content-type')?.trim() ?? '',
  );
  const bearer = /^bearer\s/i.test(headers.get('authorization') ?? '');
  const order = sentJson || bearer ? JSON_FIRST : HTML_FIRST;
  if (accept === null || accept.trim() === '') return order === JSON_FIRST;
  const best = new Negotiator({ headers: { accept } }).mediaType(order);
  return best === 'application/json';
}

/** The reply for a failure: its status, headers, content type and body (JSON or plain text). */
export interface FailureReply {
  readonly status: AuthFailure['status'];
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: string;
}

/** The reply for a failure, as JSON when `json`, else as the generic message in plain text. */
export function failureReply(f: AuthFailure, json: boolean): FailureReply {
  return json
    ? {
        status: f.status,
        headers: failureHeaders(f),
        contentType: 'application/json; charset=utf-8',
        body: failureJson(f),
      }
    : {
        status: f.status,
        headers: failureHeaders(f),
        contentType: 'text/plain; charset=utf-8',
        body: f.message,
      };
}

/** The reply for a failure as a `Response`, with any cookies. */
export function failureResponse(
  f: AuthFailure,
  setCookies: readonly string[] = [],
  json = false,
): Response {
  const reply = failureReply(f, json);
  const headers = new Headers(reply.headers);
  headers.set('content-type', reply.contentType);
  for (const value of setCookies) headers.append('set-cookie', value);
  return new Response(reply.body, { status: reply.status, headers });
}

/** A successful action's result. */
export function succeed<T>(value: T, messages: readonly string[] = []): ActionResult<T> {
  return { ok: true, value, messages };
}

/** A refused action's result. */
export function refuse<T>(f: AuthFailure): ActionResult<T> {
  return { ok: false, failure: f };
}

/**
 * The longest values the auth server keeps whole, refused here before anything is sent: it stores only the first
 * 256 characters of a password (so a longer one would be silently cut), and its database columns for the email
 * address and the full name hold 280 characters.
 */
export const INPUT_LIMITS = Object.freeze({ password: 256, email: 280, fullName: 280 });

/** A required form field: a non-empty string of at most `max` characters, or the 400 that names it. */
export function requiredString(value: unknown, field: string, max: number): string | AuthFailure {
  if (typeof value !== 'string' || value.trim() === '') return invalidInput(`${field} is required`);
  if (value.length > max) return invalidInput(`${field} must be at most ${max} characters`);
  return value;
}
