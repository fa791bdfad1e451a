import type { Fernet } from './fernet.js';

/**
 * The authnzerver wire format, both ways: the standard base64 of the ASCII Fernet token of the JSON text.
 * (The token is itself url-safe base64, so the outer layer never has `+` or `/`; its `=` padding is required
 * by the server.)
 */
export function encodeWire(fernet: Fernet, message: unknown): string {
  return encodeWireText(fernet, JSON.stringify(message));
}

/** {@link encodeWire} of JSON text already serialized. */
export function encodeWireText(fernet: Fernet, json: string): string {
  return Buffer.from(fernet.encrypt(json), 'latin1').toString('base64');
}

/**
 * Decodes a wire body into the JSON value inside.
 * @throws {FernetTokenError} when it does not decrypt; {@link SyntaxError} when the plaintext is not JSON.
 */
export function decodeWire(
  fernet: Fernet,
  body: string | Uint8Array,
  options?: { ttl?: number },
): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
  const token = Buffer.from(text, 'base64').toString('latin1');
  return JSON.parse(fernet.decrypt(token, options).toString('utf8'));
}
