/**
 * The web core's cryptography, all on WebCrypto (`crypto.subtle`): HMAC-SHA256 signing of cookie values, and
 * sealing with Fernet (`WebFernet`) under the app's own keys (API keys, email verification tokens). One place,
 * so the rest of the core never touches a key.
 */
import { optionError } from './option-keys.js';
import { decodeBase64, encodeBase64Url } from '../crypto/fernet-format.js';
import { WebFernet } from '../crypto/fernet-web.js';

const encoder = new TextEncoder();

/** WebCrypto's key type, named from the global `crypto` (no DOM lib needed). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

function toBytes(secret: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret);
}

/** Signs and checks values with HMAC-SHA256; the first secret signs, every secret verifies (rotation). */
export interface Signer {
  /** `value.signature`, the signature in url-safe base64 without padding. */
  sign(value: string): Promise<string>;
  /** The value inside a signed text, or null when the signature does not match any secret. */
  unsign(signed: string): Promise<string | null>;
}

const MAC_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** Minimum secret length for cookie signing, in bytes. */
export const MIN_SIGNING_BYTES = 32;

/**
 * Makes a {@link Signer} from one or more secrets.
 *
 * @throws {ConfigError} when a secret is shorter than {@link MIN_SIGNING_BYTES} bytes (the secret is not shown).
 */
export function hmacSigner(secrets: readonly (string | Uint8Array)[]): Signer {
  if (secrets.length === 0) throw optionError('cookie.signingSecret', 'give at least one secret');
  const raw = secrets.map((s, i) => {
    const bytes = toBytes(s);
    if (bytes.length < MIN_SIGNING_BYTES) {
      throw optionError(
        `cookie.signingSecret${secrets.length > 1 ? `[${i}]` : ''}`,
        `must be at least ${MIN_SIGNING_BYTES} bytes`,
      );
    }
    return bytes;
  });
  let keys: Promise<CryptoKey[]> | undefined;
  const getKeys = (): Promise<CryptoKey[]> =>
    (keys ??= Promise.all(
      raw.map((bytes) =>
        crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
          'verify',
        ]),
      ),
    ));
  return {
    async sign(value) {
      const [key] = await getKeys();
      const mac = await crypto.subtle.sign('HMAC', key as CryptoKey, encoder.encode(value));
      return `${value}.${encodeBase64Url(new Uint8Array(mac))}`;
    },
    async unsign(signed) {
      const dot = signed.lastIndexOf('.');
      if (dot <= 0) return null;
      const value = signed.slice(0, dot);
      const text = signed.slice(dot + 1);
      // 32 bytes are 43 characters of unpadded url-safe base64; anything else is not our signature.
      if (!MAC_TEXT.test(text)) return null;
      const mac = new Uint8Array(decodeBase64(text));
      if (encodeBase64Url(mac) !== text) return null; // only the canonical spelling of a signature
      const data = encoder.encode(value);
      for (const key of await getKeys()) {
        if (await crypto.subtle.verify('HMAC', key, mac, data)) return value;
      }
      return null;
    },
  };
}

/** Seals text under a Fernet key and opens it again, with an optional lifetime. */
export interface Sealer {
  seal(text: string, nowMs: number): Promise<string>;
  /** The text, or null when the token is forged, made with another key, malformed or older than `ttlSeconds`. */
  open(token: string, nowMs: number, ttlSeconds?: number): Promise<string | null>;
}

/**
 * Makes a {@link Sealer} from a Fernet key.
 *
 * @throws {ConfigError} naming `option` when the key is malformed (the key is not shown).
 */
export function fernetSealer(key: string, option: string): Sealer {
  let fernet: WebFernet;
  try {
    fernet = new WebFernet(key);
  } catch {
    throw optionError(
      option,
      `not a Fernet key (44 characters of url-safe base64; make one with npx authnzerver keygen)`,
    );
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    seal(text, nowMs) {
      return fernet.encrypt(text, { now: Math.floor(nowMs / 1000) });
    },
    async open(token, nowMs, ttlSeconds) {
      try {
        const bytes = await fernet.decrypt(token, {
          now: Math.floor(nowMs / 1000),
          ...(ttlSeconds === undefined ? {} : { ttl: ttlSeconds }),
        });
        return decoder.decode(bytes);
      } catch {
        return null;
      }
    },
  };
}

/**
 * Opens a sealed JSON token of one flow: its payload when it opens under `sealer` within `ttlSeconds`, is an
 * object with `ver: 1` and has each of `fields` with its type; null for anything else (forged, foreign, expired,
 * malformed, or another flow's token, whose fields differ).
 */
export async function openPayload<T>(
  sealer: Sealer,
  token: string,
  nowMs: number,
  ttlSeconds: number,
  fields: Readonly<Record<string, 'string' | 'number'>>,
): Promise<T | null> {
  const text = await sealer.open(token, nowMs, ttlSeconds);
  if (text === null) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (p['ver'] !== 1) return null;
  for (const [name, type] of Object.entries(fields)) if (typeof p[name] !== type) return null;
  return payload as T;
}

/**
 * The SHA-256 of a text, in lower-case hex: how a session token is named in the messages between app instances.
 * A token is 32 or more random bytes, so its hash cannot be turned back into it, and the hash opens nothing.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
