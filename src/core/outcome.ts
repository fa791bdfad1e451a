/**
 * What one send gives back to the core: the reply, whatever its status, or a failure as a value (a transport never
 * throws). The transports (`transport/`) make these; the core reads them (`reply.ts`, `retry.ts`). Also the
 * certificate refusals: the transports classify them as `tls`, and the retry policy never sends them again.
 */

/** The reply, whatever its status. Header names are lower case; repeated headers are joined with `, `. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What a transport can tell about a failure.
 * - `network`: connection refused, reset or closed, DNS failure, a truncated reply;
 * - `timeout`: a connect timeout of the transport itself (the call's deadline shows as `aborted`);
 * - `aborted`: the request was cancelled;
 * - `tls`: the TLS handshake failed (certificate refused either way, protocol mismatch);
 * - `too-large`: the reply is over `maxResponseBytes`;
 * - `invalid-response`: the peer's bytes are not HTTP.
 */
export type TransportFailureKind =
  'network' | 'timeout' | 'aborted' | 'tls' | 'too-large' | 'invalid-response';

/**
 * Whether the request can have reached the server. `not-sent` is a proof (refused, DNS, TLS handshake, connect
 * timeout): retrying cannot run the request twice. `maybe-sent` is everything else.
 */
export type Delivery = 'not-sent' | 'maybe-sent';

export interface TransportFailure {
  readonly kind: TransportFailureKind;
  readonly delivery: Delivery;
  /** Whether the reply's status line and headers had arrived when it failed. */
  readonly gotHeaders: boolean;
  /** A short description for `failureReason`, free of secrets. */
  readonly message: string;
  /** The system or library error code, when there is one (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...). */
  readonly code: string | undefined;
  /** The HTTP status, when the headers had arrived. */
  readonly status?: number;
  /** The reply headers, when they had arrived. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export type TransportOutcome =
  | { readonly ok: true; readonly response: TransportResponse }
  | { readonly ok: false; readonly failure: TransportFailure };

/** Certificate checks that fail during the TLS handshake (OpenSSL's verify codes, as Node reports them). */
export const CERT_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'HOSTNAME_MISMATCH',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Whether a failure code is a certificate being refused (ours by OpenSSL, or the server's by our checks): the
 * same request would be refused again, so retrying it only costs handshakes.
 */
export function isCertificateRejection(code: string | undefined): boolean {
  return code !== undefined && (CERT_CODES.has(code) || code.startsWith('ERR_OSSL_'));
}
