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

/** A pending deadline: when it passes, `expire` runs. */
interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * One timer for every pending call's deadline, instead of a `setTimeout` and a `clearTimeout` per call (a Node
 * timer list made and torn down per request cost more than the rest of the client's own work). The timer is set
 * for the earliest deadline; calls with the usual equal deadlines only join a set and leave it. It keeps the
 * process alive only while a call is pending.
 */
class Watchdog {
  readonly #pending = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;
  #due = Number.POSITIVE_INFINITY;

  add(deadline: Deadline): void {
    this.#pending.add(deadline);
    if (deadline.at < this.#due) this.#arm(deadline.at);
    else if (this.#pending.size === 1) this.#timer?.ref();
  }

  delete(deadline: Deadline): void {
    this.#pending.delete(deadline);
    if (this.#pending.size === 0) this.#timer?.unref();
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#due = at;
    this.#timer = setTimeout(
      () => {
        this.#fire();
      },
      Math.max(0, at - performance.now()),
    );
  }

  #fire(): void {
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const deadline of this.#pending) {
      // Timers have whole milliseconds: within one, a deadline has passed.
      if (deadline.at <= now + 1) {
        this.#pending.delete(deadline);
        deadline.expire();
      } else if (deadline.at < next) {
        next = deadline.at;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}

const watchdog = new Watchdog();

/**
 * Sends once through the transport, bounded by the call's `remaining` time and the caller's signal whatever
 * the transport does: a transport that never settles still ends here at the deadline. With an
 * `attemptTimeout`, an attempt whose headers have not arrived by then is abandoned (`timedOut: 'attempt'`);
 * once they arrive, the body may take the rest of the deadline.
 */
export function sendOnce(
  transport: Transport,
  request: SendRequest,
  signal?: AbortSignal,
): Promise<Sent> {
  const { attemptTimeout, remaining } = request;
  if (signal?.aborted === true) {
    return Promise.resolve({
      outcome: { ok: false, failure: ABORTED_BEFORE_SENDING },
      timedOut: null,
    });
  }
  if (remaining <= 0) {
    return Promise.resolve({
      outcome: {
        ok: false,
        failure: { ...timedOutFailure(0, false, false), delivery: 'not-sent' },
      },
      timedOut: 'deadline',
    });
  }
  return new Promise<Sent>((resolve) => {
    const cancel = new Cancel();
    let gotHeaders = false;
    let done = false;
    let attemptTimer: NodeJS.Timeout | undefined;

    const finish = (sent: Sent): void => {
      if (done) return;
      done = true;
      watchdog.delete(deadline);
      clearTimeout(attemptTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(sent);
    };
    const expire = (timedOut: 'deadline' | 'attempt'): void => {
      if (done) return;
      cancel.fire();
      const limit = timedOut === 'attempt' ? (attemptTimeout ?? remaining) : request.timeout;
      finish({
        outcome: { ok: false, failure: timedOutFailure(limit, timedOut === 'attempt', gotHeaders) },
        timedOut,
      });
    };
    const onAbort = (): void => {
      cancel.fire();
      finish({
        outcome: {
          ok: false,
          failure: {
            kind: 'aborted',
            delivery: 'maybe-sent',
            gotHeaders,
            message: 'the request was aborted',
            code: undefined,
          },
        },
        timedOut: null,
      });
    };
    const deadline: Deadline = {
      at: performance.now() + remaining,
      expire: () => {
        expire('deadline');
      },
    };
    watchdog.add(deadline);
    if (attemptTimeout !== undefined && attemptTimeout < remaining) {
      attemptTimer = setTimeout(() => {
        if (!gotHeaders) expire('attempt');
      }, attemptTimeout);
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    let sending: Promise<TransportOutcome>;
    try {
      sending = transport.send({
        url: request.url,
        body: request.wire,
        cancel,
        maxResponseBytes: request.maxResponseBytes,
        onHeaders: () => {
          gotHeaders = true;
        },
      });
    } catch (cause) {
      sending = Promise.resolve(misbehavingTransport(cause));
    }
    sending.then(
      (outcome) => {
        finish({ outcome, timedOut: null });
      },
      (cause: unknown) => {
        finish({ outcome: misbehavingTransport(cause), timedOut: null });
      },
    );
  });
}
