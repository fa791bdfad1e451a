import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
let pool: Buffer | undefined;
let offset = POOL_SIZE;

/**
 * `size` cryptographically random bytes, copied out of a pool that is refilled from the CSPRNG every 4 KiB,
 * because one `randomFillSync` per IV and per request id costs more than the rest of the envelope. The bytes
 * handed out are never reused.
 */
export function randomBytesFromPool(size: number): Buffer {
  if (size > POOL_SIZE) return randomFillSync(Buffer.allocUnsafe(size));
  if (pool === undefined || offset + size > POOL_SIZE) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    offset = 0;
  }
  const out = Buffer.allocUnsafe(size);
  pool.copy(out, 0, offset, offset + size);
  // Wipe what was handed out, so the pool never holds a copy of an IV or id that is in use.
  pool.fill(0, offset, offset + size);
  offset += size;
  return out;
}

/** A default request id, as the Python client makes it (`secrets.token_urlsafe(8)`): 8 random bytes in url-safe base64. */
export function newReqid(): string {
  return randomBytesFromPool(8).toString('base64url');
}
