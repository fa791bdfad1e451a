/**
 * Failures of the web core: the table from failure code to HTTP status and a generic, safe message; how a client
 * result becomes a value, a rejection (the server said no) or a failure to answer (503, or 429 with
 * Retry-After); and the plain-text `Response` for a failure. Never carries the server's `failure_reason`.
 */
import type { AuthFailure, AuthFailureCode } from './types.js';

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
    forbidden: { status: 403, message: 'You are not allowed to do this.' },
    'invalid-api-key': { status: 401, message: 'The API key is not valid.' },
    'api-key-scope': { status: 403, message: 'The API key is not valid for this request.' },
    rejected: { status: 400, message: 'The request was refused.' },
    'login-refused': { status: 401, message: 'Log-in failed.' },
    'invalid-token': { status: 400, message: 'This link is not valid or has expired.' },
    'invalid-input': { status: 400, message: 'Some of the input is missing or malformed.' },
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

/** A client call's outcome as the web core reads it. */
export type CallResult<S> =
  | { readonly ok: true; readonly value: S; readonly messages: readonly string[] }
  /** The server ran the request and said no: `messages` are its words for the end user. */
  | {
      readonly ok: false;
      readonly rejected: true;
      readonly messages: readonly string[];
      readonly failure: AuthFailure;
    }
  /** No usable answer: the request fails closed. */
  | { readonly ok: false; readonly rejected: false; readonly failure: AuthFailure };

/** The fields of a client result the web core reads. */
interface ClientResult {
  readonly success: boolean;
  readonly response: unknown;
  readonly messages: readonly string[];
  readonly failure: string | null;
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
      };
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

/** The plain-text reply for a failure: its status, `Retry-After` on 429, never cached, and any cookies. */
export function textResponse(f: AuthFailure, setCookies: readonly string[] = []): Response {
  const headers = new Headers({
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  if (f.retryAfter !== undefined) headers.set('retry-after', String(f.retryAfter));
  for (const value of setCookies) headers.append('set-cookie', value);
  return new Response(f.message, { status: f.status, headers });
}
