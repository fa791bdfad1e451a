/**
 * Random bytes (Fernet IVs) and request ids, from the runtime's CSPRNG (`crypto.getRandomValues`, on every
 * runtime), through a pool.
 */
import { encodeBase64Url } from './fernet-format.js';

const POOL_SIZE = 4096;
let pool: Uint8Array | undefined;
let offset = POOL_SIZE;

/** Where the next `size` bytes of the pool start, refilling it when it has fewer left. */
function reserve(size: number): { readonly bytes: Uint8Array; readonly at: number } {
  if (pool === undefined || offset + size > POOL_SIZE) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    offset = 0;
  }
  const at = offset;
  offset += size;
  return { bytes: pool, at };
}

/**
 * `size` cryptographically random bytes, copied out of a pool that is refilled from the CSPRNG every 4 KiB,
 * because one call to the CSPRNG per IV and per request id costs more than the rest of the envelope. The bytes
 * handed out are never reused.
 */
export function randomBytesFromPool(size: number): Uint8Array {
  if (size > POOL_SIZE) return crypto.getRandomValues(new Uint8Array(size));
  const { bytes, at } = reserve(size);
  const out = bytes.slice(at, at + size);
  // Wipe what was handed out, so the pool never holds a copy of an IV or id that is in use.
  bytes.fill(0, at, at + size);
  return out;
}

/**
 * A default request id, as the Python client makes it (`secrets.token_urlsafe(8)`): 8 random bytes in url-safe
 * base64. Encoded straight from the pool, which is then wiped: no copy of the bytes, and no buffer of its own
 * for the garbage collector to sweep, on every call.
 */
export function newReqid(): string {
  const { bytes, at } = reserve(8);
  const id = encodeBase64Url(bytes.subarray(at, at + 8));
  bytes.fill(0, at, at + 8);
  return id;
}
