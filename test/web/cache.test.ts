/**
 * `src/web/cache.ts` on its own, with a fake clock and a counted fetch: the TTL and the session's own expiry bound
 * an answer, concurrent look-ups share one call, transient failures and failed fetches are never kept, deletes win
 * over an answer in flight, the oldest entry makes room, and the options are checked.
 */
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../generated/types.js';
import { ConfigError } from '../../src/core/errors.js';
import { resolveCacheSettings, SessionCache } from '../../src/web/cache.js';
import { failure, type CallResult } from '../../src/web/failure.js';

const NOW = Date.UTC(2030, 0, 1);

/** A session row that expires at `expires`. */
function found(expires = '2099-01-01T00:00:00.000000'): CallResult<SessionInfo> {
  return { ok: true, value: { expires } as SessionInfo, messages: [] };
}
const GONE: CallResult<SessionInfo> = {
  ok: false,
  rejected: true,
  messages: [],
  failure: failure('rejected'),
};
const DOWN: CallResult<SessionInfo> = {
  ok: false,
  rejected: false,
  failure: failure('unavailable'),
};

/** A fetch that counts its calls and answers with `answer`. */
function counted(answer: () => CallResult<SessionInfo>) {
  const fetch = () => {
    fetch.calls += 1;
    return Promise.resolve(answer());
  };
  fetch.calls = 0;
  return fetch;
}

describe('SessionCache', () => {
  it('keeps an answer, found or not, for the TTL (5 s by default) and no longer', async () => {
    for (const answer of [found(), GONE]) {
      const cache = new SessionCache(resolveCacheSettings({}));
      const fetch = counted(() => answer);
      expect(await cache.lookup('t', NOW, fetch)).toBe(answer);
      expect(await cache.lookup('t', NOW + 4999, fetch)).toBe(answer);
      expect(fetch.calls).toBe(1);
      await cache.lookup('t', NOW + 5000, fetch);
      expect(fetch.calls).toBe(2);
    }
  });

  it("never keeps an answer past the session's expiry", async () => {
    const cache = new SessionCache(resolveCacheSettings({ ttlMs: 60_000 }));
    const fetch = counted(() => found(new Date(NOW + 1000).toISOString().replace('Z', '')));
    await cache.lookup('t', NOW, fetch);
    await cache.lookup('t', NOW + 999, fetch);
    expect(fetch.calls).toBe(1);
    await cache.lookup('t', NOW + 1000, fetch);
    expect(fetch.calls).toBe(2);
  });

  it('never keeps a transient failure, nor a failed fetch', async () => {
    const cache = new SessionCache(resolveCacheSettings({ ttlMs: 60_000 }));
    const down = counted(() => DOWN);
    await cache.lookup('t', NOW, down);
    await cache.lookup('t', NOW, down);
    expect(down.calls).toBe(2);
    let throws = 0;
    const broken = () => {
      throws += 1;
      return Promise.reject(new Error('boom'));
    };
    await expect(cache.lookup('u', NOW, broken)).rejects.toThrow('boom');
    await expect(cache.lookup('u', NOW, broken)).rejects.toThrow('boom');
    expect(throws).toBe(2);
  });

  it('merges concurrent look-ups of one token into one call', async () => {
    const cache = new SessionCache(resolveCacheSettings({}));
    const fetch = counted(() => found());
    const all = await Promise.all([1, 2, 3].map(() => cache.lookup('t', NOW, fetch)));
    expect(fetch.calls).toBe(1);
    expect(new Set(all).size).toBe(1);
  });

  it('forgets a token at once on delete, and does not keep an answer that was in flight then', async () => {
    const cache = new SessionCache(resolveCacheSettings({ ttlMs: 60_000 }));
    let release!: () => void;
    const slow = () =>
      new Promise<CallResult<SessionInfo>>((resolve) => (release = () => resolve(found())));
    const inFlight = cache.lookup('t', NOW, slow);
    cache.delete('t');
    release();
    await inFlight;
    const after = counted(() => GONE);
    expect(await cache.lookup('t', NOW, after)).toBe(GONE);
    expect(after.calls).toBe(1);
    // clear() does the same for every token.
    const again = cache.lookup('u', NOW, slow);
    cache.clear();
    release();
    await again;
    const fresh = counted(() => GONE);
    await cache.lookup('u', NOW, fresh);
    expect(fresh.calls).toBe(1);
  });

  it('keeps deletes of many tokens bounded, still dropping answers in flight', async () => {
    const cache = new SessionCache(resolveCacheSettings({ maxEntries: 2 }));
    let release!: () => void;
    const slow = () =>
      new Promise<CallResult<SessionInfo>>((resolve) => (release = () => resolve(found())));
    const inFlight = cache.lookup('t', NOW, slow);
    // The delete of 't' is forgotten when the record of deletes outgrows the cache; its answer is still dropped.
    for (const token of ['t', 'a', 'b']) cache.delete(token);
    release();
    await inFlight;
    const after = counted(() => GONE);
    await cache.lookup('t', NOW, after);
    expect(after.calls).toBe(1);
  });

  it('drops the oldest entry to make room', async () => {
    const cache = new SessionCache(resolveCacheSettings({ maxEntries: 2 }));
    const fetch = counted(() => found());
    for (const token of ['a', 'b', 'c']) await cache.lookup(token, NOW, fetch);
    expect(fetch.calls).toBe(3);
    await cache.lookup('c', NOW, fetch);
    await cache.lookup('b', NOW, fetch);
    expect(fetch.calls).toBe(3);
    await cache.lookup('a', NOW, fetch);
    expect(fetch.calls).toBe(4);
  });

  it('refuses a TTL or a size that is not one, naming the option', () => {
    for (const ttlMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as never]) {
      expect(() => new SessionCache(resolveCacheSettings({ ttlMs }))).toThrow(
        new ConfigError('cache.ttlMs: must be a number of milliseconds > 0', {
          option: 'cache.ttlMs',
        }),
      );
    }
    for (const maxEntries of [0, 1.5, -3]) {
      expect(() => new SessionCache(resolveCacheSettings({ maxEntries }))).toThrow(
        'cache.maxEntries: must be a whole number ≥ 1',
      );
    }
    expect(() => resolveCacheSettings({ onEvent: 'log' as never })).toThrow(
      'cache.onEvent: must be a function',
    );
    expect(resolveCacheSettings({ ttlMs: 0.5, maxEntries: 1 })).toEqual({
      ttlMs: 0.5,
      maxEntries: 1,
      onEvent: null,
    });
    expect(resolveCacheSettings({})).toEqual({ ttlMs: 5000, maxEntries: 10_000, onEvent: null });
  });
});
