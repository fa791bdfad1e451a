/**
 * Session-cache invalidation across app instances, on the memory store (whose messages reach every listener in
 * the process): `SessionCache`'s drops by token hash and by user, an answer in flight during an invalidation
 * never kept, and no serving while the channel is down; then two `createWebAuth` instances on one store, where a
 * log-out, a log-out everywhere and a password change in A drop the sessions B had cached. The messages carry a
 * hash or a user id, never a token. A store without messages keeps the cache per process, with a warning.
 * The same across two real HTTP servers on a real Redis: test/web/invalidation-redis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../generated/types.js';
import { resolveCacheSettings, SessionCache } from '../../src/web/cache.js';
import { Authnzerver } from '../../src/index.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { sha256Hex } from '../../src/web/crypto.js';
import type { CallResult } from '../../src/web/failure.js';
import {
  createWebAuth,
  memoryMailer,
  memoryStore,
  type AuthStore,
  type CacheEvent,
  type WebAuth,
} from '../../src/web/index.js';
import { anonymousPost, context } from './contexts.js';
import { APP, PASSWORD, setup, type WebSetup } from './helpers.js';

const NOW = Date.UTC(2030, 0, 1);

function row(userId: number): CallResult<SessionInfo> {
  return {
    ok: true,
    value: { user_id: userId, expires: '2099-01-01T00:00:00.000000' } as SessionInfo,
    messages: [],
  };
}

/** A fetch that counts its calls. */
function counted(answer: () => CallResult<SessionInfo>) {
  const fetch = () => {
    fetch.calls += 1;
    return Promise.resolve(answer());
  };
  fetch.calls = 0;
  return fetch;
}

describe('SessionCache invalidations', () => {
  it('drops the entry whose token hash is named, and every entry of a user named, and nothing else', async () => {
    const cache = new SessionCache(resolveCacheSettings({}));
    const fetches = new Map<string, ReturnType<typeof counted>>();
    const look = async (token: string, user: number) => {
      const fetch = fetches.get(token) ?? counted(() => row(user));
      fetches.set(token, fetch);
      await cache.lookup(token, NOW, fetch);
      return fetch.calls;
    };
    for (const [token, user] of [
      ['a1', 7],
      ['a2', 7],
      ['b1', 8],
    ] as const) {
      expect(await look(token, user)).toBe(1);
      expect(await look(token, user)).toBe(1); // kept
    }
    expect(cache.dropSession(await sha256Hex('a1'))).toBe(1);
    expect(cache.dropSession(await sha256Hex('unknown'))).toBe(0);
    expect(await look('a1', 7)).toBe(2);
    expect(await look('a2', 7)).toBe(1);
    expect(cache.dropUser(7)).toBe(2);
    expect(await look('a1', 7)).toBe(3);
    expect(await look('a2', 7)).toBe(2);
    expect(await look('b1', 8)).toBe(1);
    expect(cache.size).toBe(3);
  });

  it('never keeps an answer that was in flight when its session or its user was invalidated', async () => {
    for (const invalidate of [
      async (cache: SessionCache) => cache.dropSession(await sha256Hex('t')),
      (cache: SessionCache) => Promise.resolve(cache.dropUser(7)),
    ]) {
      const cache = new SessionCache(resolveCacheSettings({}));
      let release: (value: CallResult<SessionInfo>) => void = () => undefined;
      const slow = () =>
        new Promise<CallResult<SessionInfo>>((resolve) => {
          release = resolve;
        });
      const first = cache.lookup('t', NOW, slow);
      await invalidate(cache);
      release(row(7)); // answered before the session ended, arriving after the invalidation
      expect((await first).ok).toBe(true);
      const fetch = counted(() => row(7));
      await cache.lookup('t', NOW, fetch);
      expect(fetch.calls).toBe(1);
      expect(cache.size).toBe(1); // the fresh answer is kept
    }
  });

  it('serves and keeps nothing while distrusted, and starts empty when trusted again', async () => {
    const cache = new SessionCache(resolveCacheSettings({}));
    const fetch = counted(() => row(7));
    await cache.lookup('t', NOW, fetch);
    cache.distrust();
    await cache.lookup('t', NOW, fetch);
    await cache.lookup('t', NOW, fetch);
    expect(fetch.calls).toBe(3);
    expect(cache.size).toBe(0);
    cache.trust();
    await cache.lookup('t', NOW, fetch);
    await cache.lookup('t', NOW, fetch);
    expect(fetch.calls).toBe(4);
  });
});

/** Instance A (the setup's web core) and B, a second web core on the same server, client and store. */
async function twoInstances(store: AuthStore, warnings: string[] = []) {
  const events: CacheEvent[] = [];
  const env: WebSetup = await setup({ store, cache: { ttlMs: 600_000 } });
  const b: WebAuth = createWebAuth({
    client: env.client,
    origin: APP,
    mailer: memoryMailer(),
    store,
    cache: { ttlMs: 600_000, onEvent: (event) => events.push(event) },
    logger: { warn: (message) => warnings.push(message) },
  });
  env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
  /** Logs in on A and gives the cookie header. */
  const logIn = async (): Promise<string> => {
    const { ctx } = await anonymousPost(env.auth);
    const login = await ctx.login('ada@example.com', PASSWORD);
    if (!login.ok) throw new Error(`log-in refused: ${login.failure.code}`);
    return ctx.setCookies.at(-1)?.split(';')[0] as string;
  };
  /** B's view of a cookie, and how many session-exists calls that took. */
  const onB = async (cookie: string) => {
    const before = env.count('session-exists');
    const ctx = await context(b, { headers: { cookie } });
    return { kind: ctx.session.kind, calls: env.count('session-exists') - before };
  };
  return { env, b, events, logIn, onB };
}

/** A memory store whose messages are recorded. */
function recorded() {
  const store = memoryStore();
  const sent: string[] = [];
  const publish = store.publish.bind(store);
  const wrapped: AuthStore = {
    whenDown: store.whenDown,
    increment: (key, ttl) => store.increment(key, ttl),
    get: (key) => store.get(key),
    set: (key, value, ttl) => store.set(key, value, ttl),
    delete: (key) => store.delete(key),
    publish: (channel, message) => {
      sent.push(message);
      return publish(channel, message);
    },
    subscribe: (channel, listener) => store.subscribe(channel, listener),
  };
  return { store: wrapped, sent };
}

describe('two app instances on one memory store', () => {
  it("a log-out in A drops B's cached session at once; the message is the token's hash", async () => {
    const { store, sent } = recorded();
    const { env, events, logIn, onB } = await twoInstances(store);
    try {
      const cookie = await logIn();
      expect(await onB(cookie)).toEqual({ kind: 'user', calls: 1 });
      expect(await onB(cookie)).toEqual({ kind: 'user', calls: 0 }); // served from B's cache
      sent.length = 0;
      const a = await context(env.auth, { method: 'POST', headers: { origin: APP, cookie } });
      expect((await a.logout()).ok).toBe(true);
      expect(events).toContainEqual({ type: 'invalidated', scope: 'session', dropped: 1 });
      expect(await onB(cookie)).toEqual({ kind: 'none', calls: 1 });
      const token = cookie.split('=')[1] as string;
      expect(sent).toContain(`s:${await sha256Hex(token)}`);
      for (const message of sent) {
        expect(message).toMatch(/^(s:[0-9a-f]{64}|u:\d+)$/);
        expect(message).not.toContain(token);
      }
    } finally {
      await env.close();
    }
  });

  it("log-out everywhere and a password change in A drop the user's other sessions from B's cache", async () => {
    const { store, sent } = recorded();
    const { env, events, logIn, onB } = await twoInstances(store);
    try {
      for (const act of ['logoutEverywhere', 'changePassword'] as const) {
        const mine = await logIn();
        const other = await logIn();
        expect((await onB(other)).kind).toBe('user');
        expect(await onB(other)).toEqual({ kind: 'user', calls: 0 });
        events.length = 0;
        sent.length = 0;
        const a = await context(env.auth, {
          method: 'POST',
          headers: { origin: APP, cookie: mine },
        });
        const result =
          act === 'logoutEverywhere'
            ? await a.logoutEverywhere({ keepCurrent: true })
            : await a.changePassword(PASSWORD, 'my next passphrase is longer 88'); // the last act
        expect(result.ok ? act : [act, result.failure]).toBe(act);
        expect(sent).toContain(`u:${a.user?.userId ?? -1}`);
        expect(events).toContainEqual({ type: 'invalidated', scope: 'user', dropped: 1 });
        expect(await onB(other)).toEqual({ kind: 'none', calls: 1 });
      }
    } finally {
      await env.close();
    }
  });

  it('a store without messages keeps the cache per process, bounded by its TTL, and says so', async () => {
    const plain = memoryStore();
    const store: AuthStore = {
      whenDown: 'closed',
      increment: (key, ttl) => plain.increment(key, ttl),
      get: (key) => plain.get(key),
      set: (key, value, ttl) => plain.set(key, value, ttl),
      delete: (key) => plain.delete(key),
    };
    const warnings: string[] = [];
    const { env, events, logIn, onB } = await twoInstances(store, warnings);
    try {
      expect(warnings.join('\n')).toMatch(/carries no messages.*cache\.ttlMs \(600000 ms\)/);
      const cookie = await logIn();
      await onB(cookie);
      const a = await context(env.auth, { method: 'POST', headers: { origin: APP, cookie } });
      expect((await a.logout()).ok).toBe(true);
      expect(events).toEqual([]);
      expect(await onB(cookie)).toEqual({ kind: 'user', calls: 0 }); // until B's TTL
    } finally {
      await env.close();
    }
  });

  it('refuses a store with publish() but no subscribe()', () => {
    const plain = memoryStore();
    expect(() =>
      createWebAuth({
        client: new Authnzerver({ url: 'http://127.0.0.1:9', secret: generateFernetKey() }),
        store: { ...plain, subscribe: undefined } as unknown as AuthStore,
      }),
    ).toThrow(/store: has one of publish\(\) and subscribe\(\)/);
  });
});
