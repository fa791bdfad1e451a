/**
 * The protocol between the sans-IO call core (`call.ts`) and its drivers (`transport/drive.ts`): the core yields a step,
 * the driver does the waiting (a send through the transport, or a pause) and resumes the core with what
 * happened. The core never touches a socket, a timer or the clock; the drivers never decide anything.
 */
import type { TransportOutcome } from './outcome.js';

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
  /** The call's whole deadline, in milliseconds: only for the failure reason of a send it ends. */
  readonly deadlineMs: number;
}

/** What one send gave, and which limit, if any, ended it: the call's deadline, or the attempt timeout. */
export interface Sent {
  readonly outcome: TransportOutcome;
  readonly expired: 'deadline' | 'attempt' | null;
}

/** A reply body decrypted (`ok`), or the error that decrypting it threw. */
export type Opened =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * What the core asks its driver to do: encrypt the request's JSON for the wire (`seal`), send it, decrypt a
 * reply body into its JSON value (`open`), or pause between attempts. Encryption is a step because some runtimes
 * only have an asynchronous cipher (WebCrypto): the core never touches a key. `seal` and `open` name the key by
 * its index in the client's list (`secret`; see `keys.ts`): the core chooses which key, the driver holds it.
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
