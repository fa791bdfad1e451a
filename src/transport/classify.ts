/**
 * What the errors of an HTTP stack mean: each error undici or a `fetch` throws, classified into a failure kind and
 * what it proves about delivery (`not-sent` or `maybe-sent`).
 */
import {
  CERT_CODES,
  type Delivery,
  type TransportFailure,
  type TransportFailureKind,
} from '../core/outcome.js';

/** System errors that happen before a connection exists: the request cannot have been sent. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The error that says what happened: the first in the `cause` chain that carries a code, else the deepest one
 * (a `fetch` wraps undici's and the system's errors in a `TypeError('fetch failed')`).
 */
export function rootError(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 8; depth++) {
    if (codeOf(current) !== undefined) return current;
    const next: unknown =
      typeof current === 'object' && current !== null
        ? (current as { cause?: unknown }).cause
        : undefined;
    if (next === undefined || next === null) return current;
    current = next;
  }
  return current;
}

function isTlsCode(code: string): boolean {
  return CERT_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

function failure(
  kind: TransportFailureKind,
  delivery: Delivery,
  message: string,
  code: string | undefined,
  cause: unknown,
  gotHeaders: boolean,
): TransportFailure {
  return { kind, delivery, message, code, cause, gotHeaders };
}

/**
 * Classifies an error thrown by undici, or by a `fetch` (whose `cause` holds the undici or system error), into a
 * failure kind and what it proves about delivery. `gotHeaders` says whether the status line had arrived.
 */
export function classifyError(error: unknown, gotHeaders: boolean): TransportFailure {
  const root = rootError(error);
  const code = codeOf(root);
  const detail = messageOf(root);
  if (code !== undefined) {
    if (CONNECT_CODES.has(code)) {
      return failure('network', 'not-sent', `could not connect: ${detail}`, code, error, false);
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return failure('timeout', 'not-sent', 'timed out while connecting', code, error, false);
    }
    if (isTlsCode(code)) {
      return failure('tls', 'not-sent', `TLS handshake failed: ${detail}`, code, error, false);
    }
    if (code.startsWith('ERR_OSSL_')) {
      // OpenSSL refused our own TLS material when the connection was set up (a key that does not match the
      // certificate, a file that is not PEM): the socket never carried the request.
      return failure(
        'tls',
        'not-sent',
        `TLS setup failed, the client certificate, key or CA cannot be used: ${detail}`,
        code,
        error,
        false,
      );
    }
    if (code === 'UND_ERR_ABORTED' || code === 'UND_ERR_ABORT' || code === 'ABORT_ERR') {
      return failure('aborted', 'maybe-sent', 'the request was aborted', code, error, gotHeaders);
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return failure(
        'timeout',
        'maybe-sent',
        'timed out waiting for the reply',
        code,
        error,
        gotHeaders,
      );
    }
    if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return failure('too-large', 'maybe-sent', 'the reply is too large', code, error, gotHeaders);
    }
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return failure('network', 'maybe-sent', 'the reply was cut short', code, error, gotHeaders);
    }
  }
  const name = root instanceof Error ? root.name : undefined;
  // undici's parser errors carry an HPE_ code, or none at all.
  if (name === 'HTTPParserError' || code?.startsWith('HPE_') === true) {
    return failure(
      'invalid-response',
      'maybe-sent',
      `the reply is not valid HTTP: ${detail}`,
      code,
      error,
      gotHeaders,
    );
  }
  if (name === 'AbortError' || (error instanceof Error && error.name === 'AbortError')) {
    return failure('aborted', 'maybe-sent', 'the request was aborted', code, error, gotHeaders);
  }
  return failure(
    'network',
    'maybe-sent',
    `the connection failed: ${detail}${code === undefined ? '' : ` (${code})`}`,
    code,
    error,
    gotHeaders,
  );
}
