import type { ValidationIssue } from './errors.js';

/** A request id: a string, or an integer. The server echoes it with the same value and JSON type. */
export type Reqid = string | number;

/** Reply headers, names in lower case. */
export type ResponseHeaders = Readonly<Record<string, string>>;

/** The two messages the Python client gives end users when there is no usable reply from the server. */
export const COMMUNICATION_MESSAGES: readonly string[] = Object.freeze([
  'This request could not be completed.',
  'There was a problem communicating with the auth server.',
]);

export { FAILURE_KINDS, type FailureKind } from './failure-kinds.js';
import type { FailureKind } from './failure-kinds.js';

/** One refused parameter in an `invalid-params` reply, as the server words it. */
export interface InvalidParamProblem {
  readonly param: string;
  /** `missing` or `incorrect type`. */
  readonly problem: string;
  /** The server's type name, or its list of alternatives, e.g. `["int", "None"]`. */
  readonly required_type: string | readonly string[];
  readonly required_param: boolean;
}

/** The cleaned reply of an `invalid-params` failure, as the Python client leaves it. */
export interface InvalidParamsResponse {
  readonly response: {
    readonly problems: readonly InvalidParamProblem[];
    readonly failure_reason: string;
  };
}

interface Fields<S extends boolean, R, H, C, F, K> {
  readonly success: S;
  /** The reply with `success`, `messages` and `failure_reason` taken out (as the Python client cleans it). */
  readonly response: R;
  /** Messages the server meant for the end user; safe to show. */
  readonly messages: readonly string[];
  /** The reply's HTTP headers (names in lower case); null when no reply arrived. */
  readonly headers: H;
  /** The HTTP status; null when no reply arrived. */
  readonly statusCode: C;
  /** Why it failed, for logs and programmers; never show it to end users. Null on success. */
  readonly failureReason: F;
  /** The request id that was sent (and, on success, echoed). */
  readonly reqid: Reqid;
  /** The machine-readable failure kind; null on success. */
  readonly failure: K;
  /** How many times the request was sent (more than 1 only after retries). */
  readonly attempts: number;
}

type Tuple<S extends boolean, R, H, C, F> = readonly [
  success: S,
  response: R,
  messages: readonly string[],
  headers: H,
  statusCode: C,
  failureReason: F,
];

type Result<S extends boolean, R, H, C, F, K, Extra = unknown> = Tuple<S, R, H, C, F> &
  Fields<S, R, H, C, F, K> &
  Extra;

/** The server ran the request and it succeeded. */
export type SuccessResult<R> = Result<true, R, ResponseHeaders, 200, null, null>;

/** The server ran the request and said no; `response` has the request type's failure shape. */
export type RejectedResult<F> = Result<false, F, ResponseHeaders, 200, string | null, 'rejected'>;

/**
 * The server ran the request but could not reach its database (a restart, a fail-over): it answered
 * `success: false` with a `failure_reason` that starts `DB error`. Unlike `rejected`, it says nothing about the
 * request: a read is sent again, and the web layer answers 503 (the user stays logged in). `response` is the
 * reply as it came (not checked against the catalogue). The server also words a few refusals of malformed input
 * this way (`session-new` with a malformed IP address or `expires`).
 */
export type DatabaseErrorResult = Result<
  false,
  unknown,
  ResponseHeaders,
  200,
  string,
  'database-error'
>;

/** The server refused the body's parameters. */
export type InvalidParamsResult = Result<
  false,
  InvalidParamsResponse,
  ResponseHeaders,
  200,
  null,
  'invalid-params',
  { readonly problems: readonly InvalidParamProblem[] }
>;

/**
 * A reply that is not what the catalogue says. `response` keeps the raw cleaned reply (or null when there was
 * none to clean) and `issues` says where it differs.
 */
export type InvalidResponseResult = Result<
  false,
  unknown,
  ResponseHeaders | null,
  number | null,
  string,
  'invalid-response',
  { readonly issues: readonly ValidationIssue[] }
>;

/** HTTP 429. `retryAfter` is the server's `Retry-After` in seconds (180 on authnzerver), or null. */
export type RateLimitedResult = Result<
  false,
  null,
  ResponseHeaders,
  429,
  string,
  'rate-limited',
  { readonly retryAfter: number | null }
>;

/** Any other HTTP status but 200. `failureReason` holds the server's plain-text body. */
export type HttpFailureResult = Result<
  false,
  null,
  ResponseHeaders,
  number,
  string,
  'bad-request' | 'unauthorized' | 'not-found' | 'server-error' | 'http-error'
>;

/** A 200 reply that could not be used: it does not decrypt, or carries another request id. */
export type ReplyFailureResult = Result<
  false,
  null,
  ResponseHeaders,
  200,
  string,
  'decrypt' | 'reqid-mismatch'
>;

/** No usable HTTP reply: the connection, the deadline, the caller's signal, TLS, or the size cap. */
export type TransportFailureResult = Result<
  false,
  null,
  ResponseHeaders | null,
  number | null,
  string,
  'network' | 'timeout' | 'aborted' | 'tls' | 'too-large',
  {
    /** `not-sent` proves the server never saw the request; `maybe-sent` does not rule it out. */
    readonly delivery: 'not-sent' | 'maybe-sent';
    /** The underlying error, for debugging. */
    readonly cause?: unknown;
  }
>;

/** Every way a call can fail. Narrow on `failure`. */
export type FailureResult<F> =
  | RejectedResult<F>
  | DatabaseErrorResult
  | InvalidParamsResult
  | InvalidResponseResult
  | RateLimitedResult
  | HttpFailureResult
  | ReplyFailureResult
  | TransportFailureResult;

/**
 * What every call returns: at once a readonly tuple
 * `[success, response, messages, headers, statusCode, failureReason]` (the Python client's named tuple) and an
 * object with those names plus `reqid`, `failure` and `attempts`. Checking `success` narrows `response` to the
 * request type's success shape; checking `failure` narrows further.
 *
 * @example
 * const result = await client.sessionExists({ session_token, client_ipaddr });
 * if (result.success) console.log(result.response.session_info.user_id);
 * else if (result.failure === 'rejected') console.log(result.messages);
 * const [ok, response] = result; // the tuple form
 */
export type ResponseTuple<S, F> = SuccessResult<S> | FailureResult<F>;

/** The untyped result of a request type that is not in the catalogue. */
export type UntypedResponseTuple = ResponseTuple<Record<string, unknown>, Record<string, unknown>>;

/** Where a result came from: the request id and how many times it was sent. */
export interface Origin {
  readonly reqid: Reqid;
  readonly attempts: number;
}

/** What the reply (or its absence) gives every result: headers and status, and the server's messages. */
export interface At extends Origin {
  readonly headers: ResponseHeaders | null;
  readonly statusCode: number | null;
  /** The server's messages; without them, {@link COMMUNICATION_MESSAGES}. */
  readonly messages?: readonly string[];
}

/** A 200 reply that decrypted. */
export interface Replied extends At {
  readonly headers: ResponseHeaders;
  readonly statusCode: 200;
  readonly messages: readonly string[];
}

/**
 * Builds the frozen tuple-and-object of a result. The public types above say which combinations exist; the
 * named constructors below are the only callers, one per outcome, and each names its type once here.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- R is the constructor's result type
function build<R extends ResponseTuple<unknown, unknown>>(
  failure: FailureKind | null,
  response: unknown,
  failureReason: string | null,
  at: At,
  extra?: Readonly<Record<string, unknown>>,
): R {
  const success = failure === null;
  const messages = at.messages ?? COMMUNICATION_MESSAGES;
  const { headers, statusCode, reqid, attempts } = at;
  const tuple = [
    success,
    response,
    messages,
    headers,
    statusCode,
    failureReason,
  ] as unknown as Record<string, unknown>;
  // Set one by one, always in this order (one hidden class for every tuple): about three times faster than
  // `Object.assign` from an object literal, on every call.
  tuple.success = success;
  tuple.response = response;
  tuple.messages = messages;
  tuple.headers = headers;
  tuple.statusCode = statusCode;
  tuple.failureReason = failureReason;
  tuple.reqid = reqid;
  tuple.failure = failure;
  tuple.attempts = attempts;
  if (extra !== undefined) Object.assign(tuple, extra);
  return Object.freeze(tuple) as unknown as R;
}

/** The server ran the request and it succeeded. */
export function succeeded<R>(response: R, at: Replied): SuccessResult<R> {
  return build(null, response, null, at);
}

/** The server ran the request and said no. */
export function rejected<F>(
  response: F,
  failureReason: string | null,
  at: Replied,
): RejectedResult<F> {
  return build('rejected', response, failureReason, at);
}

/**
 * The server's `failure_reason` wordings when its database failed under the request (read in its source, and seen
 * on the wire during a PostgreSQL restart): `DB error when …` (sessions, user info, passwords), `DB issue with user
 * creation` (a `user-new` whose row could not be added: its message still says the account was created),
 * `exception when checking the DB` (access checks, e-mail look-ups), and `database broken` (the health check).
 * Wordings that another cause shares stay `rejected`: `exception in DB access` is also `user-lookup-match` on a
 * column that does not exist (a recorded transcript), `password update failed in DB` an update that changed no
 * row, and an API key "not allowed" is what the server says during an outage and on a real refusal alike.
 */
const DATABASE_ERROR_WORDINGS: readonly RegExp[] = [
  /^DB error\b/,
  /^DB issue\b/,
  /^exception when checking the DB$/,
  /^database broken$/,
];

/** Whether a `failure_reason` says that the server's database failed (see `DATABASE_ERROR_WORDINGS`). */
export function isDatabaseFailure(failureReason: string | null | undefined): boolean {
  if (typeof failureReason !== 'string') return false;
  return DATABASE_ERROR_WORDINGS.some((wording) => wording.test(failureReason));
}

/** The server ran the request and could not reach its database. */
export function databaseError(
  response: unknown,
  failureReason: string,
  at: Replied,
): DatabaseErrorResult {
  return build('database-error', response, failureReason, at);
}

/** The server refused the body's parameters. */
export function invalidParams(
  response: InvalidParamsResponse,
  problems: readonly InvalidParamProblem[],
  failureReason: string | null,
  at: Replied,
): InvalidParamsResult {
  return build('invalid-params', response, failureReason, at, { problems });
}

/**
 * A reply that is not what the catalogue says: `response` keeps what there was (null when nothing could be
 * read), `issues` where it differs.
 */
export function invalidResponse(
  response: unknown,
  failureReason: string,
  issues: readonly ValidationIssue[],
  at: At,
): InvalidResponseResult {
  return build('invalid-response', response, failureReason, at, { issues });
}

/** HTTP 429, with the server's `Retry-After` in seconds. */
export function rateLimited(
  failureReason: string,
  retryAfter: number | null,
  at: At & { readonly headers: ResponseHeaders; readonly statusCode: 429 },
): RateLimitedResult {
  return build('rate-limited', null, failureReason, at, { retryAfter });
}

/** Any other HTTP status than 200 and 429. */
export function httpFailed(
  failure: HttpFailureResult['failure'],
  failureReason: string,
  at: At & { readonly headers: ResponseHeaders; readonly statusCode: number },
): HttpFailureResult {
  return build(failure, null, failureReason, at);
}

/** A 200 reply that could not be used: it does not decrypt, or carries another request id. */
export function unusableReply(
  failure: ReplyFailureResult['failure'],
  failureReason: string,
  at: At & { readonly headers: ResponseHeaders; readonly statusCode: 200 },
): ReplyFailureResult {
  return build(failure, null, failureReason, at);
}

/** No usable HTTP reply: the connection, the deadline, the caller's signal, TLS or the size cap. */
export function noReply(
  failure: TransportFailureResult['failure'],
  failureReason: string,
  delivery: 'not-sent' | 'maybe-sent',
  at: At,
  cause?: unknown,
): TransportFailureResult {
  return build(
    failure,
    null,
    failureReason,
    at,
    cause === undefined ? { delivery } : { delivery, cause },
  );
}
