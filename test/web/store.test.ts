/**
 * `src/web/store.ts` and the options of `src/web/redis-store.ts`, without Redis: the memory store on an injected
 * clock (counts, time left, expiry, pruning), the `store` option of `createWebAuth`, `limitRequests` on a store
 * that fails (each `whenDown`), and `redisStore`'s option errors. On a real Redis: test/web/redis-store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { createWebAuth, memoryStore, redisStore, type AuthStore } from '../../src/web/index.js';
import { loggedIn } from './contexts.js';
import { setup } from './helpers.js';

describe('memoryStore', () => {
  it('counts from 1 within the time to live, then starts again; an increment does not extend it', async () => {
    let now = 1_000;
    const store = memoryStore({ now: () => now });
    expect(await store.increment('a', 60_000)).toEqual({ value: 1, ttlMs: 60_000 });
    now += 59_000;
    expect(await store.increment('a', 60_000)).toEqual({ value: 2, ttlMs: 1_000 });
    expect(await store.increment('b', 60_000)).toEqual({ value: 1, ttlMs: 60_000 });
    now += 1_000;
    expect(await store.increment('a', 60_000)).toEqual({ value: 1, ttlMs: 60_000 });
    expect(store.whenDown).toBe('closed');
  });

  it('gets, sets with a time to live, and deletes; a counter reads as its decimal string', async () => {
    let now = 0;
    const store = memoryStore({ now: () => now });
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'v1', 100);
    expect(await store.get('k')).toBe('v1');
    await store.increment('n', 100);
    await store.increment('n', 100);
    expect(await store.get('n')).toBe('2');
    now = 99;
    expect(await store.get('k')).toBe('v1');
    now = 100;
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'v2', 100);
    await store.delete('k');
    await store.delete('absent');
    expect(await store.get('k')).toBeUndefined();
    await store.set('word', 'x', 100);
    expect(await store.increment('word', 100)).toEqual({ value: 1, ttlMs: 100 });
  });

  it('drops expired keys once it holds more than maxKeys', async () => {
    let now = 0;
    const store = memoryStore({ now: () => now, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) await store.increment(key, 10);
    expect(store.size).toBe(3);
    now = 10;
    await store.increment('d', 10);
    expect(store.size).toBe(1);
  });
});

describe('limitRequests on the store', () => {
  it("counts in the app's store, with the window's seconds left as Retry-After", async () => {
    let now = Date.now();
    const store = memoryStore({ now: () => now });
    const env = await setup(
      // The log-in throttle off: the store then holds the request window only.
      { store, now: () => now, loginThrottle: false },
      {
        handlers: {
          userCheckLimit: ({ value_to_check }) => ({
            success: Number(value_to_check) <= 2,
            messages: [],
          }),
        },
      },
    );
    try {
      const ctx = await loggedIn(env);
      expect(await ctx.limitRequests('max_requests_per_minute', 60)).toBeNull();
      expect(await ctx.limitRequests('max_requests_per_minute', 60)).toBeNull();
      now += 45_000;
      expect(await ctx.limitRequests('max_requests_per_minute', 60)).toMatchObject({
        status: 429,
        retryAfter: 15,
      });
      expect(store.size).toBe(1);
    } finally {
      await env.close();
    }
  });

  it("a store that fails: 503 with whenDown 'closed', let through with a warning with 'open'", async () => {
    for (const whenDown of ['closed', 'open'] as const) {
      const warnings: string[] = [];
      const broken: AuthStore = {
        whenDown,
        increment: () => Promise.reject(new Error('down')),
        get: () => Promise.reject(new Error('down')),
        set: () => Promise.reject(new Error('down')),
        delete: () => Promise.reject(new Error('down')),
      };
      // The log-in throttle counts in the store too (login-throttle.test.ts): off here, to reach limitRequests.
      const env = await setup({
        store: broken,
        loginThrottle: false,
        logger: { warn: (m: string) => warnings.push(m) },
      });
      try {
        const ctx = await loggedIn(env);
        const refused = await ctx.limitRequests();
        if (whenDown === 'closed')
          expect(refused).toMatchObject({ status: 503, code: 'unavailable' });
        else expect(refused).toBeNull();
        expect(warnings.join('\n')).toContain(`the store failed: limitRequests`);
        expect(warnings.join('\n')).toContain(`whenDown: ${whenDown}`);
        expect(env.count('user-check-limit')).toBe(0);
      } finally {
        await env.close();
      }
    }
  });

  it('the `store` option must be a store', async () => {
    const env = await setup();
    try {
      for (const store of [
        null,
        {},
        { increment: () => null },
        { increment: () => null, whenDown: 'maybe' },
      ]) {
        expect(() =>
          createWebAuth({ client: env.client, store: store as unknown as AuthStore }),
        ).toThrow(/^store: must be a store/);
      }
      expect(() =>
        createWebAuth({ client: env.client, stor: memoryStore() } as unknown as Parameters<
          typeof createWebAuth
        >[0]),
      ).toThrow(/did you mean `store`/);
    } finally {
      await env.close();
    }
  });
});

describe('redisStore options', () => {
  const client = { sendCommand: () => Promise.resolve([1, 1000]) };

  it('needs an explicit whenDown, a client of either kind, and names a misspelt key', () => {
    expect(() => redisStore({ client } as never)).toThrow(/`whenDown` must be 'closed'/);
    expect(() => redisStore({ client: {} as never, whenDown: 'closed' })).toThrow(
      /`client` must be a node-redis client/,
    );
    expect(() => redisStore({ client, whenDown: 'open', timeout: 5 } as never)).toThrow(
      /did you mean `timeoutMs`/,
    );
    expect(() => redisStore({ client, whenDown: 'open', timeoutMs: 0 })).toThrow(ConfigError);
    expect(() => redisStore({ client, whenDown: 'open', prefix: 1 as never })).toThrow(/prefix/);
  });

  it('an answer of another shape is a failure, not a count', async () => {
    const odd = redisStore({ client: { call: () => Promise.resolve('OK') }, whenDown: 'closed' });
    await expect(odd.increment('k', 1000)).rejects.toThrow(/unexpected reply/);
  });
});
