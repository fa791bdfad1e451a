/**
 * The contract between the client and an HTTP stack: send one encrypted body to the URL within a deadline, get
 * the status, headers and body back. Two implementations ship (`undici` and `fetch`); both pass the same
 * contract tests. A transport never throws: every failure is a {@link TransportFailure}.
 */

/**
 * How the client stops a send: a plain object rather than an `AbortSignal`, because an AbortController and its
 * listener cost several microseconds per call on Node, more than the rest of the client's own work. A transport
 * checks `aborted` before it starts and sets `onAbort` to stop its request; the client calls it at most once.
 */
export interface Cancellation {
  readonly aborted: boolean;
  onAbort: (() => void) | undefined;
}

/** One request, already encrypted. */
export interface TransportRequest {
  /** The authnzerver URL. */
  readonly url: URL;
  /** The request body: base64 of the Fernet token (ASCII). */
  readonly body: string;
  /** Fires at the call's deadline or when the caller aborts; the transport must then stop and settle promptly. */
  readonly cancel: Cancellation;
  /** Refuse a reply body longer than this many bytes. */
  readonly maxResponseBytes: number;
  /** Call when the status line and headers have arrived (the client retries reads only before that). */
  readonly onHeaders?: () => void;
  /**
   * The HTTP method. `GET` (only `client.health()` uses it, for `GET /health`) sends no body and no
   * Content-Type; `body` is then ignored. A transport that predates it must treat a missing method as POST.
   * @default 'POST'
   */
  readonly method?: 'GET' | 'POST';
}

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

export interface Transport {
  /** A short name for logs: `undici`, `fetch`, or your own. */
  readonly name: string;
  /** Sends one request. Must not throw or reject: failures are outcomes. */
  send(request: TransportRequest): Promise<TransportOutcome>;
  /** Releases sockets and timers. In-flight requests may finish first. */
  close(): Promise<void>;
}
