/**
 * The I/O of one send, for the async driver and the sync worker: the transport's request, bounded by the call's
 * remaining time (one shared watchdog timer), the attempt timeout and the caller's signal, whatever the transport
 * does. Every way it can end is a `Sent`; it never throws.
 */
import type { SendRequest, Sent } from '../core/steps.js';
import {
  ABORTED_BEFORE_SENDING,
  abortedInFlight,
  deadlinePassedBeforeSending,
  misbehavingTransport,
  timeoutFailure,
} from './failures.js';
import type { Cancellation, Transport, TransportOutcome, TransportRequest } from './types.js';

/** A pending deadline: when it passes, `expire` runs. */
interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * Whether a timer keeps the process alive: Node's (and Bun's and Deno's) timers have `ref()` and `unref()`; the
 * web runtimes' are numbers, and keep nothing alive.
 */
function keepAlive(timer: unknown, on: boolean): void {
  const switchable = timer as { ref?: () => void; unref?: () => void } | undefined;
  if (on) switchable?.ref?.();
  else switchable?.unref?.();
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
    else if (this.#pending.size === 1) keepAlive(this.#timer, true);
  }

  delete(deadline: Deadline): void {
    this.#pending.delete(deadline);
    if (this.#pending.size === 0) keepAlive(this.#timer, false);
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
 * One send in flight. A single object is at once the transport's request, its cancellation and its watchdog
 * deadline, so a send allocates one object instead of a request, a handle and half a dozen closures.
 */
class InFlight implements TransportRequest, Cancellation, Deadline {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly body: string;
  readonly maxResponseBytes: number;
  readonly at: number;
  aborted = false;
  onAbort: (() => void) | undefined = undefined;
  readonly #request: SendRequest;
  readonly #signal: AbortSignal | undefined;
  readonly #resolve: (sent: Sent) => void;
  #gotHeaders = false;
  #done = false;
  #attemptTimer: NodeJS.Timeout | undefined;
  readonly #onSignal: (() => void) | undefined;

  constructor(
    request: SendRequest,
    signal: AbortSignal | undefined,
    resolve: (sent: Sent) => void,
  ) {
    this.method = request.method ?? 'POST';
    this.url = request.url;
    this.body = request.wire;
    this.maxResponseBytes = request.maxResponseBytes;
    this.at = performance.now() + request.remaining;
    this.#request = request;
    this.#signal = signal;
    this.#resolve = resolve;
    watchdog.add(this);
    const { attemptTimeout, remaining } = request;
    if (attemptTimeout !== undefined && attemptTimeout < remaining) {
      this.#attemptTimer = setTimeout(() => {
        if (!this.#gotHeaders) this.#expire('attempt');
      }, attemptTimeout);
    }
    if (signal !== undefined) {
      this.#onSignal = () => {
        this.#cancel();
        this.#finish({
          outcome: { ok: false, failure: abortedInFlight(this.#gotHeaders) },
          expired: null,
        });
      };
      signal.addEventListener('abort', this.#onSignal, { once: true });
    }
  }

  /** The cancellation: the client's side. */
  get cancel(): Cancellation {
    return this;
  }

  onHeaders(): void {
    this.#gotHeaders = true;
  }

  /** Called by the watchdog at the deadline. */
  expire(): void {
    this.#expire('deadline');
  }

  settle(outcome: TransportOutcome): void {
    this.#finish({ outcome, expired: null });
  }

  #cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    const onAbort = this.onAbort;
    this.onAbort = undefined;
    onAbort?.();
  }

  #expire(which: 'deadline' | 'attempt'): void {
    if (this.#done) return;
    this.#cancel();
    const request = this.#request;
    const limit =
      which === 'attempt' ? (request.attemptTimeout ?? request.remaining) : request.deadlineMs;
    this.#finish({
      outcome: { ok: false, failure: timeoutFailure(limit, which, this.#gotHeaders) },
      expired: which,
    });
  }

  #finish(sent: Sent): void {
    if (this.#done) return;
    this.#done = true;
    watchdog.delete(this);
    if (this.#attemptTimer !== undefined) clearTimeout(this.#attemptTimer);
    if (this.#onSignal !== undefined) this.#signal?.removeEventListener('abort', this.#onSignal);
    this.#resolve(sent);
  }
}

/**
 * Sends once through the transport, bounded by the call's `remaining` time and the caller's signal whatever
 * the transport does: a transport that never settles still ends here at the deadline. With an
 * `attemptTimeout`, an attempt whose headers have not arrived by then is abandoned (`expired: 'attempt'`);
 * once they arrive, the body may take the rest of the deadline.
 */
export function sendOnce(
  transport: Transport,
  request: SendRequest,
  signal?: AbortSignal,
): Promise<Sent> {
  if (signal?.aborted === true) {
    return Promise.resolve({
      outcome: { ok: false, failure: ABORTED_BEFORE_SENDING },
      expired: null,
    });
  }
  if (request.remaining <= 0) {
    return Promise.resolve({
      outcome: { ok: false, failure: deadlinePassedBeforeSending(request.deadlineMs) },
      expired: 'deadline',
    });
  }
  return new Promise<Sent>((resolve) => {
    const flight = new InFlight(request, signal, resolve);
    let sending: Promise<TransportOutcome>;
    try {
      sending = transport.send(flight);
    } catch (cause) {
      sending = Promise.resolve(misbehavingTransport(cause));
    }
    sending.then(
      (outcome) => {
        flight.settle(outcome);
      },
      (cause: unknown) => {
        flight.settle(misbehavingTransport(cause));
      },
    );
  });
}
