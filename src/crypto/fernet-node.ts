/**
 * Fernet on node:crypto: AES-128-CBC with PKCS#7 padding, authenticated with HMAC-SHA256 over version, timestamp,
 * IV and ciphertext. Synchronous, and faster than WebCrypto's: the cipher of the Node platform (and of Bun and
 * Deno, which implement node:crypto themselves), behind the public `Fernet` class and the sync API. The format's
 * checks are `fernet-format.ts`'s, shared with the WebCrypto cipher.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import {
  HEADER,
  MAC,
  badPadding,
  badSignature,
  checkToken,
  encryptHeader,
  tokenText,
  writeHeader,
  type Cipher,
  type FernetDecryptOptions,
  type FernetEncryptOptions,
} from './fernet-format.js';
import { randomBytesFromPool } from './random.js';

/** The two halves of a 32-byte Fernet key, as node:crypto `KeyObject`s. */
export function nodeKeyParts(raw: Uint8Array): {
  readonly signingKey: KeyObject;
  readonly encryptionKey: KeyObject;
} {
  return {
    signingKey: createSecretKey(raw.subarray(0, 16)),
    encryptionKey: createSecretKey(raw.subarray(16, 32)),
  };
}

/** Url-safe base64 with `=` padding, as Fernet tokens are written. */
function toUrlsafeBase64(data: Buffer): string {
  const text = data.toString('base64url');
  const pad = (4 - (text.length % 4)) % 4;
  return pad === 0 ? text : text + '='.repeat(pad);
}

/** Fernet under one key (its 32 raw bytes), on node:crypto. */
export class NodeFernet implements Cipher {
  readonly #signingKey: KeyObject;
  readonly #encryptionKey: KeyObject;

  /** @param raw the key's 32 bytes (see `fernetKeyBytes`). */
  constructor(raw: Uint8Array) {
    const parts = nodeKeyParts(raw);
    this.#signingKey = parts.signingKey;
    this.#encryptionKey = parts.encryptionKey;
  }

  /** Encrypts `data` (UTF-8 for a string) into a Fernet token. */
  encrypt(data: string | Uint8Array, options?: FernetEncryptOptions): string {
    const plaintext = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const { now, iv } = encryptHeader(options, randomBytesFromPool);
    const cipher = createCipheriv('aes-128-cbc', this.#encryptionKey, iv);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const signedLength = HEADER + head.length + tail.length;
    const token = Buffer.allocUnsafe(signedLength + MAC);
    writeHeader(token, now, iv);
    token.set(head, HEADER);
    token.set(tail, HEADER + head.length);
    const mac = createHmac('sha256', this.#signingKey)
      .update(token.subarray(0, signedLength))
      .digest();
    mac.copy(token, signedLength);
    return toUrlsafeBase64(token);
  }

  /**
   * Decrypts a Fernet token (a string, or its ASCII bytes) and returns the plaintext bytes.
   * @throws {FernetTokenError} when the token is malformed, was made with another key or was tampered with
   * (`signature`), or fails the optional TTL checks.
   */
  decrypt(token: string | Uint8Array, options?: FernetDecryptOptions): Buffer {
    const data = Buffer.from(tokenText(token), 'base64url');
    const signedLength = checkToken(data, options);
    const mac = createHmac('sha256', this.#signingKey)
      .update(data.subarray(0, signedLength))
      .digest();
    if (!timingSafeEqual(mac, data.subarray(signedLength))) throw badSignature();
    const decipher = createDecipheriv('aes-128-cbc', this.#encryptionKey, data.subarray(9, HEADER));
    try {
      const head = decipher.update(data.subarray(HEADER, signedLength));
      const tail = decipher.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch {
      throw badPadding();
    }
  }
}
