import { FernetTokenError, type ValidationIssue } from './errors.js';
import type { Fernet } from './fernet.js';
import {
  COMMUNICATION_MESSAGES,
  makeResult,
  type FailureKind,
  type InvalidParamProblem,
  type Reqid,
  type ResponseHeaders,
  type ResponseTuple,
} from './result.js';
import type { RetryReason } from './retry.js';
import type { RequestSpec } from './spec.js';
import { isCertificateRejection } from './transport/classify.js';
import type { TransportFailure, TransportOutcome } from './transport/types.js';
import { decodeWire } from './wire.js';

/**
 * Turning what came back from one attempt into a response tuple, and saying whether the attempt may be sent
 * again. Pure functions: no I/O, no timers.
 */

/** One attempt's result, and why it could be retried (undefined: it cannot). */
export interface Attempt {
  readonly result: ResponseTuple<unknown, unknown>;
  readonly retry: RetryReason | undefined;
  /** The reply's decrypted envelope, for hooks; null when there was none. */
  readonly envelope: Record<string, unknown> | null;
  /** `Retry-After` in seconds, for a 429. */
  readonly retryAfter?: number | null;
}

export interface AttemptContext {
  readonly spec: RequestSpec | undefined;
  readonly type: string;
  readonly reqid: Reqid;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly validate: boolean;
  readonly fernet: Fernet;
  /** The server's origin, for failure reasons. */
  readonly origin: string;
  /** Whether an earlier attempt of the same call may have reached the server. */
  readonly sentBefore: boolean;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** Parses `Retry-After`: seconds, or an HTTP date. */
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
const NGINX_CERT_PAGE =
  /<title>400 (No required SSL certificate was sent|The SSL certificate error)<\/title>/;

const HTTP_KINDS: Readonly<Record<number, FailureKind>> = {
  400: 'bad-request',
  401: 'unauthorized',
  404: 'not-found',
  429: 'rate-limited',
};

/** Statuses that pass: a proxy or the server restarting. */
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

function bodyExcerpt(body: string): string {
  const text = body.trim();
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/**
 * A failure without a usable reply: no response, and the two messages the Python client gives end users in
 * that case.
 */
function unusable(
  kind: FailureKind,
  headers: ResponseHeaders | null,
  status: number | null,
  reason: string,
  context: AttemptContext,
  extra?: Record<string, unknown>,
): ResponseTuple<unknown, unknown> {
  return makeResult(
    false,
    null,
    COMMUNICATION_MESSAGES,
    headers,
    status,
    reason,
    context.reqid,
    kind,
    context.attempt,
    extra,
  );
}

const none = (result: ResponseTuple<unknown, unknown>): Attempt => ({
  result,
  retry: undefined,
  envelope: null,
});

/** A transport failure: the connection, a deadline, the caller's signal, TLS, the size cap. */
export function transportFailure(
  failure: TransportFailure,
  context: AttemptContext,
  timedOut: 'deadline' | 'attempt' | null,
): Attempt {
  if (failure.kind === 'invalid-response') {
    return none(
      unusable(
        'invalid-response',
        failure.headers ?? null,
        failure.status ?? null,
        failure.message,
        context,
        { issues: [] },
      ),
    );
  }
  const delivery =
    failure.delivery === 'not-sent' && !context.sentBefore ? 'not-sent' : 'maybe-sent';
  const result = unusable(
    failure.kind,
    failure.headers ?? null,
    failure.status ?? null,
    `${failure.message} (${context.origin})`,
    context,
    failure.cause === undefined ? { delivery } : { delivery, cause: failure.cause },
  );
  let retry: RetryReason | undefined;
  if (failure.kind === 'aborted' || timedOut === 'deadline' || failure.kind === 'too-large')
    retry = undefined;
  else if (failure.delivery === 'not-sent')
    retry = isCertificateRejection(failure.code) ? undefined : 'not-sent';
  else if (timedOut === 'attempt') retry = failure.gotHeaders ? undefined : 'transient';
  else if (failure.kind === 'network') retry = 'transient';
  return { result, retry, envelope: null };
}

/** A reply with another status than 200. */
export function httpFailure(
  status: number,
  headers: ResponseHeaders,
  body: string,
  context: AttemptContext,
): Attempt {
  const reason = bodyExcerpt(body) || `HTTP ${status}`;
  if (status === 400 && NGINX_CERT_PAGE.test(body)) {
    // A TLS front refused our client certificate: the request never reached the authnzerver.
    return none(
      unusable('tls', headers, status, reason, context, {
        delivery: context.sentBefore ? 'maybe-sent' : 'not-sent',
      }),
    );
  }
  const kind =
    HTTP_KINDS[status] ?? (status >= 500 && status <= 599 ? 'server-error' : 'http-error');
  if (kind === 'rate-limited') {
    const retryAfter = parseRetryAfter(headers['retry-after']);
    return {
      result: unusable(kind, headers, status, reason, context, { retryAfter }),
      retry: 'rate-limited',
      envelope: null,
      retryAfter,
    };
  }
  const result = unusable(kind, headers, status, reason, context);
  return {
    result,
    retry: TRANSIENT_STATUSES.has(status) ? 'transient' : undefined,
    envelope: null,
  };
}

function invalidEnvelope(
  headers: ResponseHeaders,
  context: AttemptContext,
  reason: string,
): Attempt {
  return none(
    unusable('invalid-response', headers, 200, reason, context, {
      issues: [{ path: [], message: reason }],
    }),
  );
}

/** Decrypts and interprets a 200 reply, and cleans it as the Python client does. */
export function reply(headers: ResponseHeaders, body: string, context: AttemptContext): Attempt {
  const { reqid, attempt, spec, type } = context;
  let envelope: unknown;
  try {
    envelope = decodeWire(context.fernet, body);
  } catch (cause) {
    if (!FernetTokenError.is(cause))
      return invalidEnvelope(headers, context, 'the decrypted reply is not JSON');
    return none(
      unusable('decrypt', headers, 200, `could not decrypt the reply: ${cause.message}`, context),
    );
  }
  if (!isPlainObject(envelope))
    return invalidEnvelope(headers, context, 'the decrypted reply is not a JSON object');
  if (envelope.reqid !== reqid) {
    return {
      result: unusable(
        'reqid-mismatch',
        headers,
        200,
        'authnzerver returned incorrect request ID',
        context,
      ),
      retry: undefined,
      envelope,
    };
  }
  const success = envelope.success;
  const action = envelope.response;
  const messages = envelope.messages ?? [];
  const failureReason = envelope.failure_reason ?? null;
  if (typeof success !== 'boolean' || !isPlainObject(action)) {
    return invalidEnvelope(
      headers,
      context,
      'the reply has no boolean `success` and object `response`',
    );
  }
  if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) {
    return invalidEnvelope(headers, context, "the reply's `messages` is not a list of strings");
  }
  if (failureReason !== null && typeof failureReason !== 'string') {
    return invalidEnvelope(headers, context, "the reply's `failure_reason` is not a string");
  }
  const cleaned: Record<string, unknown> = {};
  for (const key in action) {
    if (key !== 'success' && key !== 'messages' && key !== 'failure_reason')
      cleaned[key] = action[key];
  }
  const frozenMessages = Object.freeze(messages);
  const done = (result: ResponseTuple<unknown, unknown>): Attempt => ({
    result,
    retry: undefined,
    envelope,
  });

  if (!success) {
    const inner = cleaned.response;
    if (isPlainObject(inner) && Array.isArray(inner.problems)) {
      const problems = inner.problems as InvalidParamProblem[];
      return done(
        makeResult(
          false,
          cleaned,
          frozenMessages,
          headers,
          200,
          failureReason,
          reqid,
          'invalid-params',
          attempt,
          { problems },
        ),
      );
    }
  }
  if (context.validate && spec !== undefined) {
    const parsed = (success ? spec.success : spec.failure).safeParse(cleaned);
    if (!parsed.success) {
      const issues = toIssues(parsed.error);
      return done(
        makeResult(
          false,
          cleaned,
          frozenMessages,
          headers,
          200,
          `the reply does not match the ${success ? 'success' : 'failure'} shape of '${type}': ${describeIssues(issues)}`,
          reqid,
          'invalid-response',
          attempt,
          { issues },
        ),
      );
    }
  }
  return done(
    success
      ? makeResult(true, cleaned, frozenMessages, headers, 200, null, reqid, null, attempt)
      : makeResult(
          false,
          cleaned,
          frozenMessages,
          headers,
          200,
          failureReason,
          reqid,
          'rejected',
          attempt,
        ),
  );
}

/** Interprets what one attempt got back. */
export function interpret(
  outcome: TransportOutcome,
  context: AttemptContext,
  timedOut: 'deadline' | 'attempt' | null,
): Attempt {
  if (!outcome.ok) return transportFailure(outcome.failure, context, timedOut);
  const { status, headers, body } = outcome.response;
  if (status !== 200) return httpFailure(status, headers, body, context);
  return reply(headers, body, context);
}
