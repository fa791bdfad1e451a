/**
 * Session-cache invalidation between two app instances (two real Express servers, each with its own authnzerver
 * client, Redis connection and store) on one real Redis, through both clients users bring (node-redis and
 * ioredis; B listens on its client's duplicate(), C on a `subscriber` client of its own). Each step waits on B's cache events (`cache.onEvent`), never on a sleep: a log-out in A drops the
 * session B had cached, and B then refuses it; a log-out everywhere and a password change in A drop the user's
 * other sessions from B's cache; Redis killed: B stops serving from its cache (every request goes to the server,
 * and still answers), and once Redis is back B starts with an empty cache. Without the publish in A or the
 * subscription in B, the waits never end and the tests fail on their deadline.
 */
import { Redis as IoRedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWebAuth,
  memoryMailer,
  redisStore,
  type CacheEvent,
  type WebAuth,
} from '../../src/web/index.js';
import { Authnzerver } from '../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { redisForTests, startRedis, type RunningRedis } from '../helpers/redis.js';
import { expressDriver } from './apps.js';
import { APP, PASSWORD, type Driver } from './helpers.js';

const redis = redisForTests('test/web/invalidation-redis.test.ts');

const NEXT_PASSWORD = 'my next passphrase is longer 88';

/** A client of the kind, as docs/web.md advises (no offline queue, quick reconnects), closed by `close`. */
async function connect(kind: 'node-redis' | 'ioredis', url: string) {
  if (kind === 'node-redis') {
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: () => 100 },
    });
    client.on('error', () => {
      // reconnecting: the store's deadline answers meanwhile
    });
    await client.connect();
    return { client, close: () => client.destroy() };
  }
  const client = new IoRedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  client.on('error', () => {
    // reconnecting, as above
  });
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return { client, close: () => client.disconnect() };
}

/** The events of one instance's cache, and waits on them. */
function eventLog() {
  const events: CacheEvent[] = [];
  const waiting: { test: (e: CacheEvent) => boolean; resolve: () => void }[] = [];
  return {
    events,
    onEvent(event: CacheEvent): void {
      events.push(event);
      for (const w of [...waiting]) {
        if (w.test(event)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    /** Resolves at the next event that passes `test` (or at once, with `seen`, if one already did). */
    next(test: (e: CacheEvent) => boolean, seen = false): Promise<void> {
      if (seen && events.some(test)) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ test, resolve }));
    },
  };
}

describe.skipIf(!redis.found)(
  'session-cache invalidation across two app instances on a real Redis',
  () => {
    let server: RunningRedis;
    let az: AuthnzerverTestServer;
    /** Ada's password now (the password-change step switches it). */
    let password = PASSWORD;

    beforeAll(async () => {
      if (!redis.found) return;
      server = await startRedis(redis.path);
      az = await createTestServer({ rateLimits: false, loginBackoff: false });
      az.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    }, 90_000);

    afterAll(async () => {
      await az.close();
      await server.close();
    });

    const existsCalls = (): number => az.received.filter((r) => r.type === 'session-exists').length;

    describe.each(['node-redis', 'ioredis'] as const)('through %s', (kind) => {
      const open: (() => Promise<void> | void)[] = [];
      const warnings: string[] = [];

      /** An app instance on its own client, Redis connection and store (one prefix: one app), on Express. */
      /** With `ownSubscriber`, the store listens on a client given as `subscriber`, not on a duplicate. */
      async function instance(ownSubscriber = false) {
        const log = eventLog();
        const connection = await connect(kind, server.url);
        const subscriber = ownSubscriber ? await connect(kind, server.url) : null;
        const client = new Authnzerver({ url: az.url, secret: az.secret, retry: false });
        const auth: WebAuth = createWebAuth({
          client,
          origin: APP,
          mailer: memoryMailer(),
          store: redisStore({
            client: connection.client,
            whenDown: 'open',
            prefix: `inv-${kind}:`,
            // generous: a loaded test machine must not look like a lost channel
            timeoutMs: 5000,
            ...(subscriber === null ? {} : { subscriber: subscriber.client }),
          }),
          cache: { ttlMs: 600_000, onEvent: (event) => log.onEvent(event) },
          logger: { warn: (message: string) => warnings.push(message) },
        });
        const driver: Driver = await expressDriver(auth);
        open.push(
          () => driver.close(),
          () => auth.close(),
          () => connection.close(),
          () => subscriber?.close(),
          () => client.close(),
        );
        await log.next((e) => e.type === 'up', true);
        return { driver, log };
      }

      let a: Awaited<ReturnType<typeof instance>>;
      let b: Awaited<ReturnType<typeof instance>>;
      /** A third instance, on a subscriber client of the app's own (the `subscriber` option). */
      let c: Awaited<ReturnType<typeof instance>>;

      beforeAll(async () => {
        if (!redis.found) return;
        a = await instance();
        b = await instance();
        c = await instance(true);
      }, 60_000);

      afterAll(async () => {
        for (const close of open.splice(0)) await close();
      });

      async function logIn(): Promise<Record<string, string>> {
        const reply = await a.driver.send('POST', '/login', {
          headers: { origin: APP },
          body: {
            email: 'ada@example.com',
            password,
          },
        });
        expect(reply.status).toBe(200);
        const cookie = reply.cookies.find((c) => c.name === 'azsession');
        return { cookie: `azsession=${cookie?.value ?? ''}` };
      }

      /** B's view of a session, and how many session-exists calls it took. */
      async function onB(headers: Record<string, string>, on = b) {
        const before = existsCalls();
        const reply = await on.driver.send('GET', '/whoami', { headers });
        expect(reply.status).toBe(200);
        return { session: reply.json()['session'], calls: existsCalls() - before };
      }

      /** B has the session cached: one call, then a hit. */
      async function cachedOnB(headers: Record<string, string>, on = b): Promise<void> {
        expect((await onB(headers, on)).session).toBe('user');
        expect(await onB(headers, on)).toEqual({ session: 'user', calls: 0 });
      }

      it("a log-out in A is refused by B's cache (and C's, on its own subscriber client) once the invalidation arrives", async () => {
        const cookie = await logIn();
        await cachedOnB(cookie);
        await cachedOnB(cookie, c);
        const dropped = [b, c].map((on) =>
          on.log.next((e) => e.type === 'invalidated' && e.scope === 'session' && e.dropped === 1),
        );
        const out = await a.driver.send('POST', '/logout', { headers: { origin: APP, ...cookie } });
        expect(out.status).toBe(200);
        await Promise.all(dropped);
        expect(await onB(cookie)).toEqual({ session: 'none', calls: 1 });
        expect(await onB(cookie, c)).toEqual({ session: 'none', calls: 1 });
      });

      it("log-out everywhere and a password change in A drop the user's other sessions from B's cache", async () => {
        for (const step of ['logout-everywhere', 'password'] as const) {
          const mine = await logIn();
          const other = await logIn();
          await cachedOnB(other);
          const dropped = b.log.next(
            (e) => e.type === 'invalidated' && e.scope === 'user' && e.dropped >= 1,
          );
          const next = password === PASSWORD ? NEXT_PASSWORD : PASSWORD;
          const body = step === 'password' ? { current: password, next } : { keepCurrent: true };
          const done = await a.driver.send('POST', `/${step}`, {
            headers: { origin: APP, ...mine },
            body,
          });
          expect([step, done.status]).toEqual([step, 200]);
          if (step === 'password') password = next;
          await dropped;
          expect(await onB(other)).toEqual({ session: 'none', calls: 1 });
        }
      });

      it('with Redis killed, B stops serving from its cache, and starts afresh once Redis is back', async () => {
        const cookie = await logIn();
        await cachedOnB(cookie);
        const down = b.log.next((e) => e.type === 'down');
        await server.kill();
        await down;
        // Every request now goes to the server, and answers.
        expect(await onB(cookie)).toEqual({ session: 'user', calls: 1 });
        expect(await onB(cookie)).toEqual({ session: 'user', calls: 1 });
        expect(warnings.join('\n')).toMatch(
          /session cache is off until the store's channel is back/,
        );
        const up = b.log.next((e) => e.type === 'up');
        await server.restart();
        await up;
        // The cache starts empty (it may have missed an invalidation), then serves again.
        expect(await onB(cookie)).toEqual({ session: 'user', calls: 1 });
        expect(await onB(cookie)).toEqual({ session: 'user', calls: 0 });
        const token = (cookie['cookie'] ?? '').split('=')[1] ?? '';
        expect(token.length).toBeGreaterThan(20);
        for (const line of warnings) expect(line).not.toContain(token);
      }, 60_000);
    });
  },
);
