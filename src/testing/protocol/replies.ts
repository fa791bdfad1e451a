/**
 * The texts of the real server's plain-text replies, and the two small helpers the test kit's servers share
 * (`isHttpError`, `sleep`). Nothing here imports Node.js types, so the test kit's public declarations, which
 * re-export these, compile in an app without `@types/node`.
 */

/** The plain-text bodies of the real server's error replies (Tornado's `write_error`). */
export const ERROR_BODIES: Readonly<Record<number, string>> = Object.freeze({
  400: 'HTTP 400: Could not service this request because of invalid request parameters.',
  401: 'HTTP 401: Could not service this request because of invalid request authentication token or violation of host restriction.',
  405: 'HTTP 405: Could not service this request.',
  429: 'HTTP 429: Could not service this request because the set rate limit has been exceeded.',
  500: 'HTTP 500: Could not service this request.',
});

/** Tornado's 404 page, which the real server sends for unknown paths and disallowed hosts. */
export const NOT_FOUND_HTML =
  '<html><title>404: Not Found</title><body>404: Not Found</body></html>';

/** The headers of every plain-text reply. */
export const TEXT: Readonly<Record<string, string>> = {
  'content-type': 'text/plain; charset=UTF-8',
  server: 'TornadoServer/6.2',
};

/** What a handler may answer instead of an action dict: an HTTP error status, as the server's `HTTPError`. */
export interface HttpErrorReply {
  readonly httpStatus: number;
}

/** Whether a handler answered with an HTTP error instead of an action dict. */
export function isHttpError(result: unknown): result is HttpErrorReply {
  return typeof (result as { httpStatus?: unknown } | null)?.httpStatus === 'number';
}

/** Waits `ms` milliseconds (not at all for 0 or less). */
export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** The real server's `failure_reason` when its database fails under a request of these types. */
const DATABASE_ERRORS: Readonly<Record<string, string>> = Object.freeze({
  'session-exists': 'DB error when retrieving session info',
  'session-new': 'DB error when making new session',
  'session-delete': 'DB error when deleting session',
  'session-set-extrainfo': 'DB error when updating session info',
  'user-edit': 'DB error when updating user info',
  'user-changepass': 'DB error when updating password',
  'user-resetpass': 'DB error when updating password',
});

/**
 * The reply of a request the server ran while its database was unreachable (a restart, a fail-over): `success`
 * false, a `failure_reason` that starts `DB error`, the request type's null fields, and a generic message.
 */
export function databaseErrorReply(type: string): {
  readonly success: false;
  readonly failure_reason: string;
  readonly messages: readonly string[];
  readonly [field: string]: unknown;
} {
  return {
    success: false,
    failure_reason: DATABASE_ERRORS[type] ?? `DB error when handling ${type}`,
    ...(type === 'session-exists' ? { session_info: null } : {}),
    ...(type === 'session-new' ? { session_token: null, expires: null } : {}),
    messages: ['The request could not be completed.'],
  };
}
