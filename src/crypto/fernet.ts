/**
 * The public Fernet API: `Fernet` (synchronous, node:crypto: Node, Bun and Deno), `WebFernet` (asynchronous,
 * WebCrypto: every runtime), keys. Fernet (https://github.com/fernet/spec) is AES-128-CBC with PKCS#7 padding,
 * authenticated with HMAC-SHA256 over version, timestamp, IV and ciphertext, in url-safe base64 with padding:
 * what PyCA cryptography's `Fernet` makes and what authnzerver uses in both directions. The ciphers are
 * `fernet-node.ts` and `fernet-web.ts`; the format they share is `fernet-format.ts`.
 */
import { platform } from '#platform';
import { ConfigError } from '../core/errors.js';
import {
  fernetKeyBytes,
  type FernetDecryptOptions,
  type FernetEncryptOptions,
} from './fernet-format.js';
import type { NodeBuffer, NodeSecretKey } from '../platform/node-types.js';
import type { SyncFernet, SyncFernetEngine } from '../platform/types.js';

export {
  MAX_CLOCK_SKEW_SECONDS,
  generateFernetKey,
  type FernetDecryptOptions,
  type FernetEncryptOptions,
} from './fernet-format.js';
export { WebFernet } from './fernet-web.js';

/** The two halves of a Fernet key: node:crypto `KeyObject`s. */
export interface FernetKeyParts {
  readonly signingKey: NodeSecretKey;
  readonly encryptionKey: NodeSecretKey;
}

/** node:crypto's Fernet, or the error that says this runtime has none. */
function engine(what: string): SyncFernetEngine {
  const found = platform.syncFernet;
  if (found === undefined) {
    throw new ConfigError(
      `${what} needs node:crypto, which ${platform.label} does not have; use \`WebFernet\`, its asynchronous ` +
        'twin on WebCrypto',
      { option: 'secret' },
    );
  }
  return found;
}

/**
 * Reads a Fernet key as the Python client takes it: url-safe base64 of 32 bytes (44 characters ending in `=`),
 * with surrounding white space and quotes stripped. The standard base64 alphabet and a missing `=` are also
 * accepted; they decode to the same bytes. A `Uint8Array` is taken as the 32 raw bytes.
 *
 * @throws {FernetKeyError} when the key is malformed. The message never contains the key.
 * @throws {ConfigError} on a runtime without node:crypto (Cloudflare Workers, edge functions).
 */
export function parseFernetKey(key: string | Uint8Array): FernetKeyParts {
  const raw = fernetKeyBytes(key);
  return engine('`parseFernetKey`').keyParts(raw) as FernetKeyParts;
}

/**
 * Encrypts and decrypts Fernet tokens under one key, synchronously, with node:crypto: on Node.js, Bun and Deno.
 * Elsewhere (Cloudflare Workers, edge functions) use {@link WebFernet}, which makes and reads the same tokens.
 */
export class Fernet {
  readonly #fernet: SyncFernet;

  /**
   * @param key url-safe base64 of 32 bytes (see {@link parseFernetKey}), or the 32 raw bytes.
   * @throws {FernetKeyError} when the key is malformed.
   * @throws {ConfigError} on a runtime without node:crypto: use {@link WebFernet} there.
   */
  constructor(key: string | Uint8Array) {
    const raw = fernetKeyBytes(key);
    this.#fernet = engine('the synchronous `Fernet` class').create(raw);
  }

  /** Encrypts `data` (UTF-8 for a string) into a Fernet token. */
  encrypt(data: string | Uint8Array, options?: FernetEncryptOptions): string {
    return this.#fernet.encrypt(data, options);
  }

  /**
   * Decrypts a Fernet token (a string, or its ASCII bytes) and returns the plaintext bytes.
   *
   * @throws {FernetTokenError} when the token is malformed, was made with another key or was tampered with
   * (`signature`), or fails the optional TTL checks.
   */
  decrypt(token: string | Uint8Array, options?: FernetDecryptOptions): NodeBuffer {
    return this.#fernet.decrypt(token, options);
  }
}
