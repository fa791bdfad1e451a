/**
 * The contract between the client and an HTTP stack: send one encrypted body to the URL within a deadline, get
 * the status, headers and body back. Two implementations ship (`undici` and `fetch`); both pass the same
 * contract tests. A transport never throws: every failure is a {@link TransportFailure}. What a send gives back
 * (`TransportOutcome`) is the core's to read, so the core defines it (`core/outcome.ts`).
 */
import type { TransportOutcome } from '../core/outcome.js';

export type {
  Delivery,
  TransportFailure,
  TransportFailureKind,
  TransportOutcome,
  TransportResponse,
} from '../core/outcome.js';

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

/** An HTTP stack the client sends through: `undici`, `fetch`, or your own. */
export interface Transport {
  /** A short name for logs: `undici`, `fetch`, or your own. */
  readonly name: string;
  /** Sends one request. Must not throw or reject: failures are outcomes. */
  send(request: TransportRequest): Promise<TransportOutcome>;
  /** Releases sockets and timers. In-flight requests may finish first. */
  close(): Promise<void>;
}
