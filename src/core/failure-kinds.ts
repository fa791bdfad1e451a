/**
 * Why a call failed, for programs (`failureReason` is for people, and never for end users).
 *
 * | kind | when |
 * | --- | --- |
 * | `network` | refused, reset, closed or DNS failure; a reply cut short |
 * | `timeout` | the call's deadline passed, or the connect timeout |
 * | `aborted` | the caller's `signal` fired |
 * | `tls` | the TLS handshake failed, or a TLS front (nginx) refused the client certificate |
 * | `too-large` | the reply is over `maxResponseBytes` |
 * | `bad-request` | HTTP 400: unknown request type, no `client_ipaddr`, or an exception on the server |
 * | `unauthorized` | HTTP 401: the server could not decrypt the request (another secret), or a host restriction |
 * | `not-found` | HTTP 404: a wrong path, or the `Host` is not in the server's allowed hosts |
 * | `rate-limited` | HTTP 429, with `retryAfter` in seconds |
 * | `server-error` | HTTP 5xx |
 * | `http-error` | any other HTTP status (405, ...) |
 * | `decrypt` | HTTP 200 whose body does not decrypt under our secret |
 * | `reqid-mismatch` | the reply carries another request id than the one sent |
 * | `invalid-response` | the reply is not an authnzerver envelope, or does not match the catalogue's schema |
 * | `invalid-params` | HTTP 200: the server refused the body's parameters (`problems` lists them) |
 * | `rejected` | HTTP 200: the server ran the request and said no (`success: false`) |
 * | `database-error` | HTTP 200: the server could not reach its database (its `failure_reason` is one of its database wordings: `DB error …`, `DB issue …`, `exception in DB access`, …); transient |
 */
export type FailureKind =
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'tls'
  | 'too-large'
  | 'bad-request'
  | 'unauthorized'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'http-error'
  | 'decrypt'
  | 'reqid-mismatch'
  | 'invalid-response'
  | 'invalid-params'
  | 'rejected'
  | 'database-error';

/** Every failure kind, in the order of {@link FailureKind}. */
export const FAILURE_KINDS = Object.freeze([
  'network',
  'timeout',
  'aborted',
  'tls',
  'too-large',
  'bad-request',
  'unauthorized',
  'not-found',
  'rate-limited',
  'server-error',
  'http-error',
  'decrypt',
  'reqid-mismatch',
  'invalid-response',
  'invalid-params',
  'rejected',
  'database-error',
] as const satisfies readonly FailureKind[]);
