import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { FernetKeyError, FernetTokenError } from './errors.js';
import type { NodeBuffer, NodeSecretKey } from './node-types.js';
import { randomBytesFromPool } from './random.js';

/**
 * Fernet (https://github.com/fernet/spec) on node:crypto: AES-128-CBC with PKCS#7 padding, authenticated with
 * HMAC-SHA256 over version, timestamp, IV and ciphertext, in url-safe base64 with padding. This is what PyCA
 * cryptography's `Fernet` makes and what authnzerver uses in both directions.
 */

const VERSION = 0x80;
const HEADER = 1 + 8 + 16; // version, timestamp, IV
const MAC = 32;
const BLOCK = 16;
/** How far in the future a token's timestamp may be when a TTL is checked, as the specification says. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

const KEY_CHARS = /^[A-Za-z0-9_\-+/]+={0,2}$/;
const TOKEN_CHARS = /^[A-Za-z0-9_-]+={0,2}$/;
const TWO_32 = 2 ** 32;

/** The two halves of a Fernet key: node:crypto `KeyObject`s. */
export interface FernetKeyParts {
  readonly signingKey: NodeSecretKey;
  readonly encryptionKey: NodeSecretKey;
}

/**
 * Reads a Fernet key as the Python client takes it: url-safe base64 of 32 bytes (44 characters ending in `=`),
 * with surrounding white space and quotes stripped. The standard base64 alphabet and a missing `=` are also
 * accepted; they decode to the same bytes. A `Uint8Array` is taken as the 32 raw bytes.
 *
 * @throws {FernetKeyError} when the key is malformed. The message never contains the key.
 */
export function parseFernetKey(key: string | Uint8Array): FernetKeyParts {
  return splitKey(key);
}

/** {@link parseFernetKey}, with the halves typed as the `KeyObject`s they are. */
function splitKey(key: string | Uint8Array): {
  readonly signingKey: KeyObject;
  readonly encryptionKey: KeyObject;
} {
  let raw: Buffer;
  if (typeof key === 'string') {
    const text = key
      .trim()
      .replace(/^["']+|["']+$/g, '')
      .trim();
    if (text.length === 0) throw new FernetKeyError('the Fernet key is empty');
    if (!KEY_CHARS.test(text)) {
      throw new FernetKeyError(
        `the Fernet key has characters outside url-safe base64 (${text.length} characters given); ` +
          'expected url-safe base64 of 32 bytes, 44 characters ending in "="',
      );
    }
    raw = Buffer.from(text, 'base64');
  } else if (key instanceof Uint8Array) {
    raw = Buffer.from(key);
  } else {
    throw new FernetKeyError('the Fernet key must be a string or a Uint8Array');
  }
  if (raw.length !== 32) {
    throw new FernetKeyError(
      `the Fernet key decodes to ${raw.length} bytes, not 32; ` +
        'expected url-safe base64 of 32 bytes, 44 characters ending in "=" ' +
        '(make one with `npx authnzerver keygen`)',
    );
  }
  return {
    signingKey: createSecretKey(raw.subarray(0, 16)),
    encryptionKey: createSecretKey(raw.subarray(16, 32)),
  };
}

/** A new random Fernet key in the format the server and the Python client use. */
export function generateFernetKey(): string {
  return randomBytes(32).toString('base64url') + '=';
}

/** Url-safe base64 with `=` padding, as Fernet tokens are written. */
function toUrlsafeBase64(data: Buffer): string {
  const text = data.toString('base64url');
  const pad = (4 - (text.length % 4)) % 4;
  return pad === 0 ? text : text + '='.repeat(pad);
}

/** Options of {@link Fernet.encrypt}, for tests and vectors: a fixed time and IV. */
export interface FernetEncryptOptions {
  /** The token's timestamp, in whole seconds since the Unix epoch. @default the current time */
  readonly now?: number;
  /** The 16-byte IV. @default 16 random bytes */
  readonly iv?: Uint8Array;
}

/** Options of {@link Fernet.decrypt}. */
export interface FernetDecryptOptions {
  /**
   * Refuse tokens older than this many seconds, and tokens more than 60 s in the future.
   * @default undefined (no age check, as authnzerver itself)
   */
  readonly ttl?: number;
  /** The current time in whole seconds since the Unix epoch, for the TTL checks. @default the current time */
  readonly now?: number;
}

/** Encrypts and decrypts Fernet tokens under one key. */
export class Fernet {
  readonly #signingKey: KeyObject;
  readonly #encryptionKey: KeyObject;

  /** @param key url-safe base64 of 32 bytes (see {@link parseFernetKey}), or the 32 raw bytes. */
  constructor(key: string | Uint8Array) {
    const parts = splitKey(key);
    this.#signingKey = parts.signingKey;
    this.#encryptionKey = parts.encryptionKey;
  }

  /** Encrypts `data` (UTF-8 for a string) into a Fernet token. */
  encrypt(data: string | Uint8Array, options?: FernetEncryptOptions): string {
    const plaintext = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const now = options?.now ?? Math.floor(Date.now() / 1000);
    const iv = options?.iv ?? randomBytesFromPool(BLOCK);
    if (iv.length !== BLOCK) throw new RangeError('a Fernet IV must be 16 bytes');
    if (!Number.isSafeInteger(now) || now < 0)
      throw new RangeError('a Fernet timestamp must be a whole number of seconds');

    const cipher = createCipheriv('aes-128-cbc', this.#encryptionKey, iv);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const signedLength = HEADER + head.length + tail.length;
    const token = Buffer.allocUnsafe(signedLength + MAC);
    token[0] = VERSION;
    token.writeUInt32BE(Math.floor(now / TWO_32), 1);
    token.writeUInt32BE(now % TWO_32, 5);
    token.set(iv, 9);
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
   *
   * @throws {FernetTokenError} when the token is malformed, was made with another key or was tampered with
   * (`signature`), or fails the optional TTL checks.
   */
  decrypt(token: string | Uint8Array, options?: FernetDecryptOptions): NodeBuffer {
    const text = typeof token === 'string' ? token : Buffer.from(token).toString('latin1');
    if (!TOKEN_CHARS.test(text)) {
      throw new FernetTokenError('malformed', 'the Fernet token is not url-safe base64');
    }
    const data = Buffer.from(text, 'base64url');
    const cipherLength = data.length - HEADER - MAC;
    if (cipherLength < BLOCK || cipherLength % BLOCK !== 0) {
      throw new FernetTokenError('malformed', 'the Fernet token has the wrong length');
    }
    if (data[0] !== VERSION) {
      throw new FernetTokenError('version', 'the Fernet token has an unknown version');
    }
    if (options?.ttl !== undefined) {
      const timestamp = data.readUInt32BE(1) * TWO_32 + data.readUInt32BE(5);
      const now = options.now ?? Math.floor(Date.now() / 1000);
      if (timestamp + options.ttl < now) {
        throw new FernetTokenError('expired', 'the Fernet token is older than its TTL');
      }
      if (now + MAX_CLOCK_SKEW_SECONDS < timestamp) {
        throw new FernetTokenError('future', 'the Fernet token is dated too far in the future');
      }
    }
    const signedLength = data.length - MAC;
    const mac = createHmac('sha256', this.#signingKey)
      .update(data.subarray(0, signedLength))
      .digest();
    if (!timingSafeEqual(mac, data.subarray(signedLength))) {
      throw new FernetTokenError(
        'signature',
        'the Fernet token signature does not match (another key, or tampered with)',
      );
    }
    const decipher = createDecipheriv('aes-128-cbc', this.#encryptionKey, data.subarray(9, HEADER));
    try {
      const head = decipher.update(data.subarray(HEADER, signedLength));
      const tail = decipher.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch {
      throw new FernetTokenError('padding', 'the Fernet token has invalid padding');
    }
  }
}
