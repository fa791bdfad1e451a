/**
 * The protocol between the sans-IO call core (`call.ts`) and its drivers (`drive.ts`): the core yields a step,
 * the driver does the waiting (a send through the transport, or a pause) and resumes the core with what
 * happened. The core never touches a socket, a timer or the clock; the drivers never decide anything.
 */
import type { TransportOutcome } from '../transport/types.js';

/** One send, as the core asks for it. */
export interface SendRequest {
  /** `GET` only for `client.health()`; calls POST. @default 'POST' */
  readonly method?: 'GET' | 'POST';
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

/** What one send gave, and which timer, if any, ended it. */
export interface Sent {
  readonly outcome: TransportOutcome;
  readonly timedOut: 'deadline' | 'attempt' | null;
}

/** A reply body decrypted (`ok`), or the error that decrypting it threw. */
export type Opened =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * What the core asks its driver to do: encrypt the request's JSON for the wire (`seal`), send it, decrypt a
 * reply body into its JSON value (`open`), or pause between attempts. Encryption is a step because some runtimes
 * only have an asynchronous cipher (WebCrypto): the core never touches a key. `seal` and `open` name the key by
 * its index in the client's list (`secret`; see {@link KeyRing}): the core chooses which key, the driver holds it.
 */
export type Step =
  | { readonly kind: 'seal'; readonly plaintext: string; readonly key: number }
  | { readonly kind: 'send'; readonly request: SendRequest }
  | { readonly kind: 'open'; readonly body: string; readonly key: number }
  | { readonly kind: 'sleep'; readonly ms: number };

/**
 * What a driver gives back: the wire text for a seal, a `Sent` for a send, an `Opened` for an open, and for a
 * sleep whether it ran to its end (false: aborted).
 */
export type StepResult = string | Sent | Opened | boolean;

/**
 * The encryption a driver does for the core's `seal` and `open` steps, with the client's keys: key `0` is the
 * first of `secret`'s list, the one new requests are sealed with until the server refuses it.
 */
export interface Codec {
  /** Encrypts the envelope's JSON text for the wire with key `key`. */
  readonly seal: (plaintext: string, key: number) => string | Promise<string>;
  /**
   * Decrypts a wire body into its JSON value with key `key`; throws `FernetTokenError` (also for a body sealed
   * under another key), or `SyntaxError` for text that is not JSON.
   */
  readonly open: (body: string, key: number) => unknown;
}

/**
 * A client's memory of its keys, shared by all its calls (async and sync): how many there are, which one the
 * server accepted last, and how many extra round trips the other keys cost. The call core reads `current` to
 * choose the key a call is sealed with first, and updates it and `extraRoundTrips` as replies come in; it
 * holds indexes and counts only, never a key.
 */
export interface KeyRing {
  /** How many keys (at least 1). */
  readonly size: number;
  /** The index of the key the server accepted last (0 until one is refused). */
  current: number;
  /**
   * Set when a call had every send refused, up to its whole budget of key switches (see `call.ts`); cleared when
   * the server accepts a key. While it is set, a call tries each key once only, so that a wrong secret costs one
   * send per key after the first call.
   */
  allRefused: boolean;
  /** Sends refused by the server because it could not decrypt them, that were then sent again with another key. */
  extraRoundTrips: number;
}

/** A new {@link KeyRing} of `size` keys, starting with key 0. */
export function keyRing(size: number): KeyRing {
  return { size, current: 0, allRefused: false, extraRoundTrips: 0 };
}
