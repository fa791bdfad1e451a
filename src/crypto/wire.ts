/**
 * The authnzerver wire format, both ways: the standard base64 of the ASCII Fernet token of the JSON text.
 * (The token is itself url-safe base64, so the outer layer never has `+` or `/`; its `=` padding is required
 * by the server.) In portable JavaScript (`btoa`, `atob`: on Node also faster than `Buffer`), over any
 * {@link Cipher}: synchronous on Node, a Promise on WebCrypto. Also the {@link Codec} the call's drivers seal
 * and open with, under the client's keys.
 */
import { FernetTokenError } from '../core/errors.js';
import { bytesToBinary, type Cipher } from './fernet-format.js';
import type { Fernet } from './fernet.js';

const utf8 = new TextDecoder();

/** The token inside a wire body. @throws {FernetTokenError} `malformed` when the body is not base64. */
function unwrap(body: string | Uint8Array): string {
  try {
    return atob(typeof body === 'string' ? body : bytesToBinary(body));
  } catch {
    throw new FernetTokenError('malformed', 'the body is not base64 of a Fernet token');
  }
}

/** Encrypts JSON text for the wire; a Promise when the cipher is asynchronous. */
export function sealWire(cipher: Cipher, json: string): string | Promise<string> {
  const token = cipher.encrypt(json);
  return typeof token === 'string' ? btoa(token) : token.then(btoa);
}

/**
 * Decrypts a wire body into the JSON value inside; a Promise when the cipher is asynchronous.
 * @throws {FernetTokenError} when it does not decrypt; {@link SyntaxError} when the plaintext is not JSON.
 */
export function openWire(cipher: Cipher, body: string | Uint8Array): unknown {
  const plaintext = cipher.decrypt(unwrap(body));
  return plaintext instanceof Uint8Array
    ? JSON.parse(utf8.decode(plaintext))
    : plaintext.then((bytes) => JSON.parse(utf8.decode(bytes)) as unknown);
}

/** Encrypts a message's JSON for the wire, with the synchronous {@link Fernet}. */
export function encodeWire(fernet: Fernet, message: unknown): string {
  return encodeWireText(fernet, JSON.stringify(message));
}

/** {@link encodeWire} of JSON text already serialized. */
export function encodeWireText(fernet: Fernet, json: string): string {
  return btoa(fernet.encrypt(json));
}

/**
 * Decodes a wire body into the JSON value inside, with the synchronous {@link Fernet}.
 * @throws {FernetTokenError} when it does not decrypt; {@link SyntaxError} when the plaintext is not JSON.
 */
export function decodeWire(
  fernet: Fernet,
  body: string | Uint8Array,
  options?: { ttl?: number },
): unknown {
  return JSON.parse(utf8.decode(fernet.decrypt(unwrap(body), options)));
}

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

/** The wire format under each of the client's keys (its Fernet ciphers, in `secret`'s order), by index. */
export function wireCodec(ciphers: readonly Cipher[]): Codec {
  const at = (key: number): Cipher => ciphers[key] ?? (ciphers[0] as Cipher);
  return {
    seal: (plaintext, key) => sealWire(at(key), plaintext),
    open: (body, key) => openWire(at(key), body),
  };
}
