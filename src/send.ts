import type {
  Cancellation,
  Transport,
  TransportFailure,
  TransportOutcome,
} from './transport/types.js';

/** The client's side of a {@link Cancellation}. */
class Cancel implements Cancellation {
  aborted = false;
  onAbort: (() => void) | undefined = undefined;

  fire(): void {
    if (this.aborted) return;
    this.aborted = true;
    const onAbort = this.onAbort;
    this.onAbort = undefined;
    onAbort?.();
  }
}

/** What one send through the transport gave, and which timer, if any, ended it. */
export interface Sent {
  readonly outcome: TransportOutcome;
  readonly timedOut: 'deadline' | 'attempt' | null;
}

/** One send, as the call logic asks for it. */
export interface SendRequest {
  readonly url: URL;
  readonly wire: string;
  readonly maxResponseBytes: number;
  /** With a value, an attempt whose headers have not arrived by then is abandoned. */
  readonly attemptTimeout: number | undefined;
  /** What is left of the call's deadline, in milliseconds. */
  readonly remaining: number;
  /** The call's whole deadline, in milliseconds, for failure reasons. */
  readonly timeout: number;
}

const ABORTED_BEFORE_SENDING: TransportFailure = Object.freeze({
  kind: 'aborted',
  delivery: 'not-sent',
  gotHeaders: false,
  message: 'the signal was aborted before the request was sent',
  code: undefined,
});

export function timedOutFailure(
  limit: number,
  isAttemptLimit: boolean,
  gotHeaders: boolean,
): TransportFailure {
  return {
    kind: 'timeout',
    delivery: 'maybe-sent',
    gotHeaders,
    message: isAttemptLimit
      ? `no reply within the attempt timeout of ${Math.round(limit)} ms`
      : `no reply within the deadline of ${Math.round(limit)} ms`,
    code: undefined,
  };
}

function misbehavingTransport(cause: unknown): TransportOutcome {
  return {
    ok: false,
    failure: {
      kind: 'network',
      delivery: 'maybe-sent',
      gotHeaders: false,
      message: `the transport failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      code: undefined,
      cause,
    },
  };
}

/**
 * Sends once through the transport, bounded by the call's `remaining` time and the caller's signal whatever
 * the transport does: a transport that never settles still ends here at the deadline. With an
 * `attemptTimeout`, an attempt whose headers have not arrived by then is abandoned (`timedOut: 'attempt'`);
 * once they arrive, the body may take the rest of the deadline.
 */
export async function sendOnce(
  transport: Transport,
  request: SendRequest,
  signal?: AbortSignal,
): Promise<Sent> {
  const { attemptTimeout, remaining } = request;
  if (signal?.aborted === true)
    return { outcome: { ok: false, failure: ABORTED_BEFORE_SENDING }, timedOut: null };
  if (remaining <= 0) {
    return {
      outcome: {
        ok: false,
        failure: { ...timedOutFailure(0, false, false), delivery: 'not-sent' },
      },
      timedOut: 'deadline',
    };
  }
  const cancel = new Cancel();
  // An object, so that the type checker does not narrow what the callbacks set.
  const state: { timedOut: 'deadline' | 'attempt' | null; gotHeaders: boolean } = {
    timedOut: null,
    gotHeaders: false,
  };
  let stop!: (value: 'stopped') => void;
  const stopped = new Promise<'stopped'>((resolve) => {
    stop = resolve;
  });
  const expire = (kind: 'deadline' | 'attempt'): void => {
    state.timedOut = kind;
    cancel.fire();
    stop('stopped');
  };
  const started = performance.now();
  let timer: NodeJS.Timeout;
  if (attemptTimeout !== undefined && attemptTimeout < remaining) {
    timer = setTimeout(() => {
      if (!state.gotHeaders) {
        expire('attempt');
        return;
      }
      timer = setTimeout(
        () => {
          expire('deadline');
        },
        remaining - (performance.now() - started),
      );
    }, attemptTimeout);
  } else {
    timer = setTimeout(() => {
      expire('deadline');
    }, remaining);
  }
  const onAbort = (): void => {
    cancel.fire();
    stop('stopped');
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let sending: Promise<TransportOutcome>;
    try {
      sending = transport.send({
        url: request.url,
        body: request.wire,
        cancel,
        maxResponseBytes: request.maxResponseBytes,
        onHeaders: () => {
          state.gotHeaders = true;
        },
      });
    } catch (cause) {
      sending = Promise.resolve(misbehavingTransport(cause));
    }
    const outcome = await Promise.race([sending.catch(misbehavingTransport), stopped]);
    const timedOut = state.timedOut;
    if (outcome !== 'stopped' && (outcome.ok || outcome.failure.kind !== 'aborted'))
      return { outcome, timedOut };
    if (timedOut !== null) {
      const limit = timedOut === 'attempt' ? (attemptTimeout ?? remaining) : request.timeout;
      return {
        outcome: {
          ok: false,
          failure: timedOutFailure(limit, timedOut === 'attempt', state.gotHeaders),
        },
        timedOut,
      };
    }
    return {
      outcome: {
        ok: false,
        failure: {
          kind: 'aborted',
          delivery: 'maybe-sent',
          gotHeaders: state.gotHeaders,
          message: 'the request was aborted',
          code: undefined,
        },
      },
      timedOut: null,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
