/**
 * Fernet's format (https://github.com/fernet/spec), without the cryptography: key parsing, the token's layout
 * and every check that needs no key (characters, length, version, age), in plain JavaScript that runs on every
 * runtime. The two ciphers share it: node:crypto's (`fernet-node.ts`, synchronous) and WebCrypto's
 * (`fernet-web.ts`, asynchronous), so both accept and refuse exactly the same keys and tokens.
 */
import { FernetKeyError, FernetTokenError } from '../core/errors.js';

/** The version byte of every Fernet token. */
export const VERSION = 0x80;
/** Version, timestamp and IV: the bytes before the ciphertext. */
export const HEADER = 1 + 8 + 16;
/** The HMAC-SHA256 at the end of a token. */
export const MAC = 32;
/** The AES block, and the IV's length. */
export const BLOCK = 16;
/** How far in the future a token's timestamp may be when a TTL is checked, as the specification says. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

const KEY_CHARS = /^[A-Za-z0-9_\-+/]+={0,2}$/;
const TOKEN_CHARS = /^[A-Za-z0-9_-]+={0,2}$/;
const TWO_32 = 2 ** 32;

/** Options of a Fernet's `encrypt`, for tests and vectors: a fixed time and IV. */
export interface FernetEncryptOptions {
  /** The token's timestamp, in whole seconds since the Unix epoch. @default the current time */
  readonly now?: number | undefined;
  /** The 16-byte IV. @default 16 random bytes */
  readonly iv?: Uint8Array | undefined;
}

/** Options of a Fernet's `decrypt`. */
export interface FernetDecryptOptions {
  /**
   * Refuse tokens older than this many seconds, and tokens more than 60 s in the future.
   * @default undefined (no age check, as authnzerver itself)
   */
  readonly ttl?: number | undefined;
  /** The current time in whole seconds since the Unix epoch, for the TTL checks. @default the current time */
  readonly now?: number | undefined;
}

/**
 * What the client encrypts and decrypts the wire with, under one key: a Fernet token from the envelope's JSON
 * text, and the plaintext bytes back from a token. Synchronous on Node (node:crypto), a Promise where only
 * WebCrypto exists. It throws (or rejects with) `FernetTokenError` for a token it cannot decrypt.
 */
export interface Cipher {
  encrypt(text: string): string | Promise<string>;
  decrypt(token: string): Uint8Array | Promise<Uint8Array>;
}

/** The bytes of a binary string (one byte per UTF-16 unit, as `atob` returns). */
export function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A binary string of bytes, for `btoa`. */
export function bytesToBinary(bytes: Uint8Array): string {
  let binary = '';
  // In slices, so that no call gets more arguments than an engine accepts.
  for (let i = 0; i < bytes.length; i += 0x2000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x2000) as unknown as number[]);
  }
  return binary;
}

/**
 * Decodes base64 in either alphabet (standard or url-safe), with or without `=` padding, as Node's base64
 * decoder does: the characters must already have been checked; a lone character at the end is ignored.
 */
export function decodeBase64(text: string): Uint8Array {
  let clean = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  return binaryToBytes(atob(clean + '='.repeat((4 - (clean.length % 4)) % 4)));
}

/** Url-safe base64 with `=` padding, as Fernet tokens and keys are written. */
export function encodeBase64UrlPadded(bytes: Uint8Array): string {
  return btoa(bytesToBinary(bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Url-safe base64 without padding (request ids, signatures): written out directly, three bytes to four
 * characters, since a request id per call through `btoa` and three regular expressions cost more than all the
 * rest of preparing the call.
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let text = '';
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    text +=
      URLSAFE.charAt(n >>> 18) +
      URLSAFE.charAt((n >>> 12) & 63) +
      URLSAFE.charAt((n >>> 6) & 63) +
      URLSAFE.charAt(n & 63);
  }
  if (whole + 1 === bytes.length) {
    const n = (bytes[whole] as number) << 16;
    text += URLSAFE.charAt(n >>> 18) + URLSAFE.charAt((n >>> 12) & 63);
  } else if (whole + 2 === bytes.length) {
    const n = ((bytes[whole] as number) << 16) | ((bytes[whole + 1] as number) << 8);
    text +=
      URLSAFE.charAt(n >>> 18) + URLSAFE.charAt((n >>> 12) & 63) + URLSAFE.charAt((n >>> 6) & 63);
  }
  return text;
}

/**
 * Reads a Fernet key as the Python client takes it: url-safe base64 of 32 bytes (44 characters ending in `=`),
 * with surrounding white space and quotes stripped. The standard base64 alphabet and a missing `=` are also
 * accepted; they decode to the same bytes. A `Uint8Array` is taken as the 32 raw bytes.
 *
 * @returns the 32 bytes: the signing key, then the encryption key.
 * @throws {FernetKeyError} when the key is malformed. The message never contains the key.
 */
export function fernetKeyBytes(key: string | Uint8Array): Uint8Array {
  let raw: Uint8Array;
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
    raw = decodeBase64(text);
  } else if (key instanceof Uint8Array) {
    raw = Uint8Array.from(key);
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
  return raw;
}

/** A new random Fernet key in the format the server and the Python client use. */
export function generateFernetKey(): string {
  return encodeBase64UrlPadded(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The timestamp and IV of a new token, checked.
 * @param random makes the IV when none is given.
 */
export function encryptHeader(
  options: FernetEncryptOptions | undefined,
  random: (size: number) => Uint8Array,
): { readonly now: number; readonly iv: Uint8Array } {
  const now = options?.now ?? Math.floor(Date.now() / 1000);
  const iv = options?.iv ?? random(BLOCK);
  if (iv.length !== BLOCK) throw new RangeError('a Fernet IV must be 16 bytes');
  if (!Number.isSafeInteger(now) || now < 0)
    throw new RangeError('a Fernet timestamp must be a whole number of seconds');
  return { now, iv };
}

/** Writes a token's version, timestamp and IV into its first {@link HEADER} bytes. */
export function writeHeader(token: Uint8Array, now: number, iv: Uint8Array): void {
  token[0] = VERSION;
  const high = Math.floor(now / TWO_32);
  const low = now % TWO_32;
  token[1] = high >>> 24;
  token[2] = (high >>> 16) & 0xff;
  token[3] = (high >>> 8) & 0xff;
  token[4] = high & 0xff;
  token[5] = low >>> 24;
  token[6] = (low >>> 16) & 0xff;
  token[7] = (low >>> 8) & 0xff;
  token[8] = low & 0xff;
  token.set(iv, 9);
}

/**
 * A token's text (a string, or its ASCII bytes), checked to be url-safe base64 with its padding.
 * @throws {FernetTokenError} `malformed`.
 */
export function tokenText(token: string | Uint8Array): string {
  const text = typeof token === 'string' ? token : bytesToBinary(token);
  // Whole groups of four characters. PyCA also refuses a token without its padding; it ignores characters after
  // the padding, which we refuse, so that a token has one spelling (a lenient decoder drops a stray last one).
  if (!TOKEN_CHARS.test(text) || text.length % 4 !== 0) {
    throw new FernetTokenError('malformed', 'the Fernet token is not url-safe base64');
  }
  return text;
}

/**
 * Checks a decoded token's length, version and, with a TTL, its age, before its signature is checked.
 * @returns the length of the signed part (all but the MAC).
 * @throws {FernetTokenError} `malformed`, `version`, `expired` or `future`.
 */
export function checkToken(data: Uint8Array, options: FernetDecryptOptions | undefined): number {
  const cipherLength = data.length - HEADER - MAC;
  if (cipherLength < BLOCK || cipherLength % BLOCK !== 0) {
    throw new FernetTokenError('malformed', 'the Fernet token has the wrong length');
  }
  if (data[0] !== VERSION) {
    throw new FernetTokenError('version', 'the Fernet token has an unknown version');
  }
  if (options?.ttl !== undefined) {
    const word = (at: number): number =>
      (((data[at] as number) << 24) >>> 0) +
      (((data[at + 1] as number) << 16) |
        ((data[at + 2] as number) << 8) |
        (data[at + 3] as number));
    const timestamp = word(1) * TWO_32 + word(5);
    const now = options.now ?? Math.floor(Date.now() / 1000);
    if (timestamp + options.ttl < now) {
      throw new FernetTokenError('expired', 'the Fernet token is older than its TTL');
    }
    if (now + MAX_CLOCK_SKEW_SECONDS < timestamp) {
      throw new FernetTokenError('future', 'the Fernet token is dated too far in the future');
    }
  }
  return data.length - MAC;
}

/** The error of a token whose signature does not match. */
export function badSignature(): FernetTokenError {
  return new FernetTokenError(
    'signature',
    'the Fernet token signature does not match (another key, or tampered with)',
  );
}

/** The error of a token whose padding is wrong behind a valid signature. */
export function badPadding(): FernetTokenError {
  return new FernetTokenError('padding', 'the Fernet token has invalid padding');
}
