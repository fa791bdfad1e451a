/**
 * Fernet on WebCrypto (`crypto.subtle`): AES-128-CBC with PKCS#7 padding and HMAC-SHA256, asynchronous, for the
 * runtimes without node:crypto (Cloudflare Workers, edge functions). The same tokens as `fernet-node.ts`: the
 * format and its checks are `fernet-format.ts`'s. Public as `WebFernet`; it also runs on Node, Bun and Deno.
 */
import {
  HEADER,
  badPadding,
  badSignature,
  checkToken,
  decodeBase64,
  encodeBase64UrlPadded,
  encryptHeader,
  fernetKeyBytes,
  tokenText,
  writeHeader,
  type Cipher,
  type FernetDecryptOptions,
  type FernetEncryptOptions,
} from './fernet-format.js';
import { randomBytesFromPool } from './random.js';

const utf8 = new TextEncoder();

/** A WebCrypto key (named so, since the package compiles without the DOM library). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

interface WebKeys {
  readonly signing: CryptoKey;
  readonly encryption: CryptoKey;
}

/** Imports the two halves of a raw 32-byte key into WebCrypto, once. */
async function importKeys(raw: Uint8Array): Promise<WebKeys> {
  const [signing, encryption] = await Promise.all([
    crypto.subtle.importKey('raw', raw.slice(0, 16), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]),
    crypto.subtle.importKey('raw', raw.slice(16, 32), { name: 'AES-CBC' }, false, [
      'encrypt',
      'decrypt',
    ]),
  ]);
  return { signing, encryption };
}

/**
 * Encrypts and decrypts Fernet tokens under one key with WebCrypto: the same tokens as `Fernet`, but every
 * operation returns a Promise. Use it where `Fernet` is not available (Cloudflare Workers, edge functions).
 *
 * @example
 * const fernet = new WebFernet(env.AUTHNZERVER_SECRET);
 * const token = await fernet.encrypt('hello');
 * new TextDecoder().decode(await fernet.decrypt(token)); // 'hello'
 */
export class WebFernet implements Cipher {
  readonly #keys: Promise<WebKeys>;

  /**
   * @param key url-safe base64 of 32 bytes (44 characters ending in `=`), or the 32 raw bytes.
   * @throws {FernetKeyError} at once when the key is malformed. The message never contains the key.
   */
  constructor(key: string | Uint8Array) {
    const raw = fernetKeyBytes(key);
    this.#keys = importKeys(raw);
    // A key WebCrypto refuses rejects the first operation; until then, the rejection is not unhandled.
    this.#keys.catch(() => undefined);
  }

  /** Encrypts `data` (UTF-8 for a string) into a Fernet token. */
  async encrypt(data: string | Uint8Array, options?: FernetEncryptOptions): Promise<string> {
    const plaintext = typeof data === 'string' ? utf8.encode(data) : data;
    const { now, iv } = encryptHeader(options, randomBytesFromPool);
    const keys = await this.#keys;
    const ciphertext = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, keys.encryption, plaintext),
    );
    const signedLength = HEADER + ciphertext.length;
    const token = new Uint8Array(signedLength + 32);
    writeHeader(token, now, iv);
    token.set(ciphertext, HEADER);
    const mac = await crypto.subtle.sign('HMAC', keys.signing, token.subarray(0, signedLength));
    token.set(new Uint8Array(mac), signedLength);
    return encodeBase64UrlPadded(token);
  }

  /**
   * Decrypts a Fernet token (a string, or its ASCII bytes) into the plaintext bytes.
   * @throws {FernetTokenError} (as a rejection) when the token is malformed, was made with another key or was
   * tampered with (`signature`), or fails the optional TTL checks.
   */
  async decrypt(token: string | Uint8Array, options?: FernetDecryptOptions): Promise<Uint8Array> {
    const data = decodeBase64(tokenText(token));
    const signedLength = checkToken(data, options);
    const keys = await this.#keys;
    // WebCrypto compares the MAC in constant time.
    const valid = await crypto.subtle.verify(
      'HMAC',
      keys.signing,
      data.subarray(signedLength),
      data.subarray(0, signedLength),
    );
    if (!valid) throw badSignature();
    try {
      return new Uint8Array(
        await crypto.subtle.decrypt(
          { name: 'AES-CBC', iv: data.subarray(9, HEADER) },
          keys.encryption,
          data.subarray(HEADER, signedLength),
        ),
      );
    } catch {
      throw badPadding();
    }
  }
}
