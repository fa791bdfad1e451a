/**
 * The reply: what one attempt got back (a transport outcome), turned into a response tuple, cleaned as the
 * Python client cleans it and checked against the catalogue. Pure functions: no I/O, no timers, no clock of
 * their own. Whether the attempt may be sent again is `retry.ts`'s question, not this module's.
 */
import { isPlainObject, readReply, type OpenedReply } from './envelope.js';
import { FernetTokenError, type ValidationIssue } from './errors.js';
import {
  httpFailed,
  invalidParams,
  invalidResponse,
  noReply,
  rateLimited,
  rejected,
  databaseError,
  isDatabaseFailure,
  succeeded,
  unusableReply,
  type HttpFailureResult,
  type InvalidParamProblem,
  type InvalidParamsResponse,
  type Reqid,
  type ResponseHeaders,
  type ResponseTuple,
} from './result.js';
import type { RequestSpec } from './spec.js';
import type { Opened } from './steps.js';
import type { TransportFailure, TransportOutcome } from './outcome.js';
import { check, type SchemaCompiler } from './validate.js';

/** What a reply is read against. */
export interface ReplyContext {
  readonly spec: RequestSpec | undefined;
  readonly type: string;
  readonly reqid: Reqid;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly validate: boolean;
  /** The server's origin, for failure reasons. */
  readonly origin: string;
  /** Whether an earlier attempt of the same call may have reached the server. */
  readonly sentBefore: boolean;
  /** The time now, in epoch milliseconds, read only for a `Retry-After` given as a date. */
  readonly date: () => number;
  /** zod's `compile`, for a reply schema checked often (`validate.ts`); none where the runtime forbids it. */
  readonly compile: SchemaCompiler | undefined;
}

/** One attempt's result, and the decrypted reply envelope for hooks (null when there was none). */
export interface Reading {
  readonly result: ResponseTuple<unknown, unknown>;
  readonly envelope: Record<string, unknown> | null;
}

export function toIssues(error: {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: issue.message,
  }));
}

function describeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues
    .slice(0, 5)
    .map(
      (issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
    );
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return shown.join('; ') + more;
}

/** Parses `Retry-After`: seconds, or an HTTP date (compared with `now`, epoch milliseconds). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * nginx with `ssl_verify_client on` completes the TLS handshake, then answers a missing or refused client
 * certificate with a 400 page (its internal 496 and 495). That is a TLS failure, not a bad request.
 */
export const NGINX_CERT_PAGE =
  /<title>400 (No required SSL certificate was sent|The SSL certificate error)<\/title>/;

const HTTP_KINDS: Readonly<Record<number, HttpFailureResult['failure'] | undefined>> = {
  400: 'bad-request',
  401: 'unauthorized',
  404: 'not-found',
};

/** The failure kind of an HTTP status other than 200 and 429. */
export function httpFailureKind(status: number): HttpFailureResult['failure'] {
  return HTTP_KINDS[status] ?? (status >= 500 && status <= 599 ? 'server-error' : 'http-error');
}

/** A plain-text reply body for a failure reason: trimmed, at most 1,000 characters, `HTTP <status>` if empty. */
export function bodyExcerpt(body: string, status: number): string {
  const text = body.trim();
  if (text === '') return `HTTP ${status}`;
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

const bare = (result: ResponseTuple<unknown, unknown>): Reading => ({ result, envelope: null });

/** Whether this failure may follow an earlier attempt that reached the server. */
function deliveryOf(notSent: boolean, context: ReplyContext): 'not-sent' | 'maybe-sent' {
  return notSent && !context.sentBefore ? 'not-sent' : 'maybe-sent';
}

/** A transport failure: the connection, a deadline, the caller's signal, TLS, the size cap. */
function transportFailure(failure: TransportFailure, context: ReplyContext): Reading {
  const at = {
    reqid: context.reqid,
    attempts: context.attempt,
    headers: failure.headers ?? null,
    statusCode: failure.status ?? null,
  };
  if (failure.kind === 'invalid-response') {
    return bare(invalidResponse(null, failure.message, [], at));
  }
  return bare(
    noReply(
      failure.kind,
      `${failure.message} (${context.origin})`,
      deliveryOf(failure.delivery === 'not-sent', context),
      at,
      failure.cause,
    ),
  );
}

/** A reply with another status than 200. */
function httpFailure(
  status: number,
  headers: ResponseHeaders,
  body: string,
  context: ReplyContext,
): Reading {
  const reason = bodyExcerpt(body, status);
  const at = { reqid: context.reqid, attempts: context.attempt, headers, statusCode: status };
  if (status === 400 && NGINX_CERT_PAGE.test(body)) {
    // A TLS front refused our client certificate: the request never reached the authnzerver.
    return bare(noReply('tls', reason, deliveryOf(true, context), at));
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(headers['retry-after'], context.date());
    return bare(rateLimited(reason, retryAfter, { ...at, statusCode: 429 }));
  }
  return bare(httpFailed(httpFailureKind(status), reason, at));
}

function badEnvelope(headers: ResponseHeaders, context: ReplyContext, reason: string): Reading {
  return bare(
    invalidResponse(null, reason, [{ path: [], message: reason }], {
      reqid: context.reqid,
      attempts: context.attempt,
      headers,
      statusCode: 200,
    }),
  );
}

/** What an opened, well-formed reply means: success, rejected, invalid params, or not the catalogue's shape. */
function meaning(
  reply: OpenedReply,
  headers: ResponseHeaders,
  context: ReplyContext,
): ResponseTuple<unknown, unknown> {
  const { success, response, messages, failureReason } = reply;
  const at = {
    reqid: context.reqid,
    attempts: context.attempt,
    headers,
    statusCode: 200 as const,
    messages,
  };
  // The server's database failed: whatever else the reply holds says nothing about the request.
  if (!success && failureReason !== null && isDatabaseFailure(failureReason)) {
    return databaseError(response, failureReason, at);
  }
  if (!success) {
    const inner = response.response;
    if (
      typeof inner === 'object' &&
      inner !== null &&
      Array.isArray((inner as { problems?: unknown }).problems)
    ) {
      const problems = (inner as { problems: InvalidParamProblem[] }).problems;
      return invalidParams(
        response as unknown as InvalidParamsResponse,
        problems,
        failureReason,
        at,
      );
    }
  }
  const spec = context.spec;
  if (context.validate && spec !== undefined) {
    const parsed = check(success ? spec.success : spec.failure, response, context.compile);
    if (!parsed.success) {
      const issues = toIssues(parsed.error);
      return invalidResponse(
        response,
        `the reply does not match the ${success ? 'success' : 'failure'} shape of '${context.type}': ${describeIssues(issues)}`,
        issues,
        at,
      );
    }
  }
  return success ? succeeded(response, at) : rejected(response, failureReason, at);
}

/** Reads a 200 reply that the driver decrypted (or failed to): its envelope, request id and meaning. */
function readDecrypted(headers: ResponseHeaders, opened: Opened, context: ReplyContext): Reading {
  if (!opened.ok) {
    const cause = opened.error;
    if (!FernetTokenError.is(cause))
      return badEnvelope(headers, context, 'the decrypted reply is not JSON');
    return bare(
      unusableReply('decrypt', `could not decrypt the reply: ${cause.message}`, {
        reqid: context.reqid,
        attempts: context.attempt,
        headers,
        statusCode: 200,
      }),
    );
  }
  const decrypted = opened.value;
  if (!isPlainObject(decrypted))
    return badEnvelope(headers, context, 'the decrypted reply is not a JSON object');
  const envelope = decrypted;
  if (envelope.reqid !== context.reqid) {
    return {
      result: unusableReply('reqid-mismatch', 'authnzerver returned incorrect request ID', {
        reqid: context.reqid,
        attempts: context.attempt,
        headers,
        statusCode: 200,
      }),
      envelope,
    };
  }
  const read = readReply(envelope);
  if ('problem' in read) return badEnvelope(headers, context, read.problem);
  return { result: meaning(read, headers, context), envelope };
}

/** Reads what one attempt got back into its result; a 200 reply comes with its body `opened` (decrypted). */
export function readAttempt(
  outcome: TransportOutcome,
  opened: Opened | undefined,
  context: ReplyContext,
): Reading {
  if (!outcome.ok) return transportFailure(outcome.failure, context);
  const { status, headers, body } = outcome.response;
  if (status !== 200 || opened === undefined) return httpFailure(status, headers, body, context);
  return readDecrypted(headers, opened, context);
}
