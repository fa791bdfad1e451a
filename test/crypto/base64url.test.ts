/**
 * The hand-written url-safe base64 encoder (request ids, web cookie signatures) against Node's own
 * `base64url`, byte for byte, and the request ids made with it.
 */
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from '../../src/crypto/fernet-format.js';
import { newReqid } from '../../src/crypto/random.js';

describe('encodeBase64Url', () => {
  it("writes what Buffer's base64url writes, for every length and every byte value", () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(encodeBase64Url(every)).toBe(Buffer.from(every).toString('base64url'));
    for (let length = 0; length <= 64; length++) {
      for (let round = 0; round < 20; round++) {
        const bytes = crypto.getRandomValues(new Uint8Array(length));
        expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }
    }
  });

  it('reads only the view it is given, not the rest of its buffer', () => {
    const buffer = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const view = buffer.subarray(5, 13);
    expect(encodeBase64Url(view)).toBe(Buffer.from(view).toString('base64url'));
  });
});

describe('newReqid', () => {
  it('is 8 random bytes in url-safe base64, new every time', () => {
    const ids = new Set<string>();
    // More than the pool holds (4 KiB), so that it is refilled on the way.
    for (let i = 0; i < 1500; i++) {
      const id = newReqid();
      expect(id).toMatch(/^[A-Za-z0-9_-]{11}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(8);
      ids.add(id);
    }
    expect(ids.size).toBe(1500);
  });
});
