/**
 * Secret rotation: which of the client's keys seals each attempt of a call, and when a call is sent again with
 * another. The rule is written here, once:
 *
 * - With one key, nothing here changes a call: the server's 401 refusal is final, as any other 401.
 * - With several (`secret` as a list), the client's {@link KeyRing} remembers the key the server accepted last,
 *   and each call is sealed with it first. When the server answers with its 401 refusal ({@link isKeyRefusal}:
 *   it could not decrypt the request, so it ran nothing), the call is sent again at once, for reads and writes
 *   alike, sealed with each other key in the list's order. These sends do not use up `retries`, and they stay
 *   inside the call's deadline.
 * - A 200 reply is opened with the key that sealed the request, then with the others: the server answers with
 *   the key it decrypted with.
 * - When every key has been refused once, the call goes on: behind a load balancer, a fleet in the middle of a
 *   rotation has servers holding different keys, and each send may reach another one. It then picks a key at
 *   random for each send (strict turns could fall into step with a load balancer's round robin and meet the
 *   wrong server every time), up to {@link KEY_ROUNDS} refused sends per key. A call that used all of them marks
 *   the ring `allRefused`: until a key is accepted again, calls try each key once, so that a wrong secret costs
 *   one send per key after the first call.
 *
 * The core holds key indexes and counts only, never a key: the driver seals and opens with the key a step names.
 */
import { FernetTokenError } from './errors.js';
import type { TransportOutcome } from './outcome.js';
import type { RetryDecision } from './retry.js';
import type { Opened, Step, StepResult } from './steps.js';

/**
 * The body of the server's HTTP 401 (the server's Tornado `write_error`): its answer to a request it could not
 * decrypt. A 401 with any other body (a proxy's own authentication, say) is not the server's, and is final.
 */
export const KEY_REFUSAL_BODY =
  'HTTP 401: Could not service this request because of invalid request authentication token or violation of host restriction.';

/** Whether a reply is the server's refusal of a request it could not decrypt (so it ran nothing). */
export function isKeyRefusal(status: number, body: string): boolean {
  return status === 401 && body.trim() === KEY_REFUSAL_BODY;
}

/**
 * How many refused sends per key a call may make (unless its client's ring is `allRefused`): with two keys and a
 * fleet split in half, a call then fails only if 32 sends in a row meet the wrong server (2^-32).
 */
export const KEY_ROUNDS = 16;

/**
 * A client's memory of its keys, shared by all its calls (async and sync): how many there are, which one the
 * server accepted last, and how many extra round trips the other keys cost. Each call's {@link CallKeys} reads
 * it and updates it; the client shows it as `client.keyStatus`.
 */
export interface KeyRing {
  /** How many keys (at least 1). */
  readonly size: number;
  /** The index of the key the server accepted last (0 until one is refused). */
  current: number;
  /** Set when a call had every send refused, up to its whole budget; cleared when the server accepts a key. */
  allRefused: boolean;
  /** Sends refused by the server because it could not decrypt them, that were then sent again with another key. */
  extraRoundTrips: number;
}

/** A new {@link KeyRing} of `size` keys, starting with key 0. */
export function keyRing(size: number): KeyRing {
  return { size, current: 0, allRefused: false, extraRoundTrips: 0 };
}

/** The ring of a call without one: a single key, which nothing here changes. */
const ONE_KEY: KeyRing = keyRing(1);

/** The decision to send again at once with another key. */
const SWITCH: RetryDecision = Object.freeze({ retry: true, delayMs: 0, reason: 'key-refused' });

/**
 * One call's keys: the key that seals the next attempt, the wire text each key sealed (a key with wire text was
 * sent), and the refused sends. One object per call; with a single key it allocates nothing more.
 */
export class CallKeys {
  /** The key that seals the next attempt. */
  key: number;
  /** How many times this call switched keys after a refusal: these sends do not count as retries. */
  switches = 0;
  readonly #ring: KeyRing;
  /** The wire text under the first key, until the call switches. */
  #first: string | undefined = undefined;
  /** The wire text under each key, from the first switch on (the first key's included). */
  #wires: (string | undefined)[] | undefined = undefined;
  /** The key chosen by {@link afterRefusal}, taken by {@link switchKey}. */
  #next = -1;

  constructor(ring: KeyRing = ONE_KEY) {
    this.#ring = ring;
    this.key = ring.current < ring.size ? ring.current : 0;
  }

  /** How many keys the client has. */
  get size(): number {
    return this.#ring.size;
  }

  /** The wire text the key of the next attempt sealed already, if it did. */
  get wire(): string | undefined {
    return this.#wires === undefined ? this.#first : this.#wires[this.key];
  }

  /** Keeps what the key of the next attempt sealed: that key is then one this call sent. */
  sealed(wire: string): void {
    if (this.#wires === undefined) this.#first = wire;
    else this.#wires[this.key] = wire;
  }

  /** The server decrypted the request: its key is the one to start with next time. */
  accepted(): void {
    const ring = this.#ring;
    if (ring.size < 2) return;
    ring.current = this.key;
    ring.allRefused = false;
  }

  /** Whether a send's outcome is the server's refusal of a request it could not decrypt. */
  refusedBy(outcome: TransportOutcome): boolean {
    return outcome.ok && isKeyRefusal(outcome.response.status, outcome.response.body);
  }

  /**
   * What to do after the server's refusal: send again at once with the next key (then {@link switchKey}), or
   * stop: `final` with a single key, `keys-refused` when this call has tried several (it then marks the ring),
   * `no-time` when another attempt does not `fit` in the deadline.
   */
  afterRefusal(fits: boolean, random: () => number): RetryDecision {
    const next = this.#nextKey(random);
    if (next < 0) {
      if (this.#wires === undefined) return { retry: false, why: 'final' };
      this.#ring.allRefused = true;
      return { retry: false, why: 'keys-refused' };
    }
    if (!fits) return { retry: false, why: 'no-time' };
    this.#next = next;
    return SWITCH;
  }

  /** Moves to the key {@link afterRefusal} chose; the refused send was an extra round trip. */
  switchKey(): void {
    if (this.#wires === undefined) {
      this.#wires = [];
      this.#wires[this.key] = this.#first;
    }
    this.key = this.#next;
    this.switches++;
    this.#ring.extraRoundTrips++;
  }

  /**
   * The key to send with after a refusal: the first, in the list's order, this call has not sent with; once all
   * were, a random one, within {@link KEY_ROUNDS}; -1 when the call should stop.
   */
  #nextKey(random: () => number): number {
    const ring = this.#ring;
    const wires = this.#wires;
    for (let key = 0; key < ring.size; key++) {
      if (key !== this.key && (wires === undefined || wires[key] === undefined)) return key;
    }
    if (ring.size < 2 || ring.allRefused || this.switches + 1 >= ring.size * KEY_ROUNDS) return -1;
    return Math.min(ring.size - 1, Math.floor(random() * ring.size));
  }

  /**
   * Opens a 200 reply that the key which sealed the request could not open (`first`; the server answers with the
   * key it decrypted with): with each other key, while the error is a key mismatch.
   */
  *openWithOthers(body: string, first: Opened): Generator<Step, Opened, StepResult> {
    if (this.#ring.size < 2 || first.ok || !FernetTokenError.is(first.error)) return first;
    for (let other = 0; other < this.#ring.size; other++) {
      if (other === this.key) continue;
      const opened = (yield { kind: 'open', body, key: other }) as Opened;
      if (opened.ok || !FernetTokenError.is(opened.error)) return opened;
    }
    return first;
  }
}
