/**
 * Secret rotation: which of the client's keys seals each attempt of a call, and when a call is sent again with
 * another. The rule is written here, once:
 *
 * - With one key, nothing here changes a call: the server's 401 refusal is final, as any other 401.
 * - With several (`secret` as a list), the client's {@link KeyRing} keeps a score per key: its recent success
 *   rate, an exponentially decayed average of its sends (accepted 1, refused 0; the latest send weighs
 *   {@link SCORE_WEIGHT}). Each call is sealed first with the key of the best score (`current`; the list's order
 *   breaks a tie, so the first key leads until the server says otherwise). Behind a load balancer, a fleet in the
 *   middle of a rotation has servers holding different keys: the key that works for most of them wins, rather
 *   than the key that worked last, which flips with each server a send reaches.
 * - When the server answers with its 401 refusal ({@link isKeyRefusal}: it could not decrypt the request, so it
 *   ran nothing), the call is sent again at once, for reads and writes alike. A key the client has never sent
 *   goes next (in the list's order): that is the switch of a whole server. Otherwise a key is drawn at random,
 *   weighted by the scores: a fixed choice could fall into step with a load balancer's round robin and meet the
 *   wrong server every time. These sends do not use up `retries`, and they stay inside the call's deadline.
 * - A call makes at most {@link KEY_ROUNDS} sends per key. A call that used all of them marks the ring
 *   `allRefused`: until a key is accepted again, calls try each key once, so that a wrong secret costs one send
 *   per key after the first call.
 * - A 200 reply is opened with the key that sealed the request, then with the others: the server answers with
 *   the key it decrypted with.
 *
 * The core holds key indexes, scores and counts only, never a key: the driver seals and opens with the key a step
 * names.
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
 * How many sends per key one call may make, all refused (unless its client's ring is `allRefused`): with two
 * keys, at most 24 sends. With half the servers on each key behind a load balancer that spreads sends at random,
 * each send has an even chance, and a call fails only if 24 in a row meet the wrong server (2^-24). Under heavy
 * load a balancer's turns can fall into step with a client's sends, so the bound is kept well above the 9 to 13
 * sends the worst calls of a three-server fleet took (docs/deployment.md): it stops a runaway call, and is not
 * what keeps the cost down (the success-rate rule is).
 */
export const KEY_ROUNDS = 12;

/** How much a key's latest send weighs in its score: 1/2, then 1/4 for the one before, and so on. */
export const SCORE_WEIGHT = 0.5;

/**
 * The lowest and highest a score goes (1/256 and 255/256): a key refused many times in a row is still drawn now
 * and then after a refusal, and a key accepted many times in a row falls below it after 8 refusals, so that a
 * fleet that moved is found again (without it, a strict round robin can hold a client on the wrong key).
 */
export const SCORE_FLOOR = 1 / 256;

/** The score of a key the client has not sent with yet: no evidence either way. */
const NO_EVIDENCE = 0.5;

/**
 * A client's memory of its keys, shared by all its calls (async and sync): how many there are, each one's recent
 * success rate, which one new calls are sealed with, and how many extra round trips the others cost. Each call's
 * {@link CallKeys} reads it and updates it ({@link recordSend}); the client shows it as `client.keyStatus`.
 */
export interface KeyRing {
  /** How many keys (at least 1). */
  readonly size: number;
  /** Each key's score: its recent success rate (see {@link recordSend}), from 0.5 before its first send. */
  readonly scores: number[];
  /** Whether the client has sent with each key. */
  readonly tried: boolean[];
  /** The index of the key with the best score, which new calls are sealed with first (0 at the start). */
  current: number;
  /** Set when a call had every send refused, up to its whole budget; cleared when the server accepts a key. */
  allRefused: boolean;
  /** Sends refused by the server because it could not decrypt them, that were then sent again with another key. */
  extraRoundTrips: number;
}

/** A new {@link KeyRing} of `size` keys, starting with key 0. */
export function keyRing(size: number): KeyRing {
  return {
    size,
    scores: Array.from({ length: size }, () => NO_EVIDENCE),
    tried: Array.from({ length: size }, () => false),
    current: 0,
    allRefused: false,
    extraRoundTrips: 0,
  };
}

/**
 * Records what the server did with a send sealed with `key`: its score moves {@link SCORE_WEIGHT} of the way to 1
 * (accepted) or 0 (refused), within {@link SCORE_FLOOR} of either, and `current` becomes the key of the best
 * score (the first in the list's order on a tie). An acceptance also clears `allRefused`.
 */
export function recordSend(ring: KeyRing, key: number, accepted: boolean): void {
  if (ring.size < 2) return;
  const score = ring.scores[key] ?? NO_EVIDENCE;
  const moved = score + SCORE_WEIGHT * ((accepted ? 1 : 0) - score);
  ring.scores[key] = Math.min(1 - SCORE_FLOOR, Math.max(SCORE_FLOOR, moved));
  ring.tried[key] = true;
  if (accepted) ring.allRefused = false;
  let best = 0;
  for (let other = 1; other < ring.size; other++) {
    if ((ring.scores[other] ?? 0) > (ring.scores[best] ?? 0)) best = other;
  }
  ring.current = best;
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

  /** The server decrypted the request: its key's score goes up. */
  accepted(): void {
    recordSend(this.#ring, this.key, true);
  }

  /** Whether a send's outcome is the server's refusal of a request it could not decrypt. */
  refusedBy(outcome: TransportOutcome): boolean {
    return outcome.ok && isKeyRefusal(outcome.response.status, outcome.response.body);
  }

  /**
   * What to do after the server's refusal (recorded in the key's score): send again at once with the key
   * {@link #nextKey} picks (then {@link switchKey}), or stop: `final` with a single key, `keys-refused` when this call has tried several (it then marks the ring),
   * `no-time` when another attempt does not `fit` in the deadline.
   */
  afterRefusal(fits: boolean, random: () => number): RetryDecision {
    recordSend(this.#ring, this.key, false);
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
   * The key to send with after a refusal, or -1 when the call should stop:
   * - on a ring marked `allRefused`, the first key in the list's order this call has not sent with, else -1;
   * - -1 once this call had {@link KEY_ROUNDS} refused sends per key;
   * - the first key in the list's order the client has never sent with;
   * - else a key drawn at random, each with a chance in proportion to its score (the refused key's included: it
   *   may meet another server).
   */
  #nextKey(random: () => number): number {
    const ring = this.#ring;
    if (ring.size < 2) return -1;
    const wires = this.#wires;
    if (ring.allRefused) {
      for (let key = 0; key < ring.size; key++) {
        if (key !== this.key && (wires === undefined || wires[key] === undefined)) return key;
      }
      return -1;
    }
    if (this.switches + 1 >= ring.size * KEY_ROUNDS) return -1;
    const untried = ring.tried.indexOf(false);
    if (untried >= 0) return untried;
    let total = 0;
    for (const score of ring.scores) total += score;
    let left = random() * total;
    for (let key = 0; key < ring.size; key++) {
      left -= ring.scores[key] ?? 0;
      if (left < 0) return key;
    }
    return ring.size - 1;
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
