/**
 * `redisStore()` on a real Redis (Debian's redis-server), through both clients users bring (node-redis and
 * ioredis): atomic increments from several connections; then two app instances (two Express servers, each with
 * its own authnzerver client and Redis connection) sharing one Redis, under concurrent load: together they allow
 * what one instance would, where two memory stores allow twice as much; and Redis killed and restarted under
 * load: every answer comes back (nothing thrown, nothing hung), as 503 with `whenDown: 'closed'` or unchecked with
 * `whenDown: 'open'`, and the limit holds again once Redis is back.
 */
import { Redis as IoRedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWebAuth,
  memoryMailer,
  memoryStore,
  redisStore,
  type AuthStore,
  type WebAuth,
} from '../../src/web/index.js';
import { Authnzerver } from '../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { redisForTests, startRedis, type RunningRedis } from '../helpers/redis.js';
import { expressDriver } from './apps.js';
import { APP, PASSWORD, type Driver } from './helpers.js';

const redis = redisForTests('test/web/redis-store.test.ts');

/** The limit of the test's role: counts below it pass (authnzerver's limits are exclusive upper bounds). */
const LIMIT = 40;

/** A connected client of each kind, closed by the returned function. */
async function clients(url: string) {
  // Neither client queues commands while disconnected (as docs/web.md advises): a queued increment would still
  // count once Redis is back, after the store's deadline already answered its request.
  const nodeRedis = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 100 },
  });
  nodeRedis.on('error', () => {
    // reconnecting: the store's deadline answers the requests meanwhile
  });
  await nodeRedis.connect();
  const ioredis = new IoRedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  ioredis.on('error', () => {
    // reconnecting, as above
  });
  if (ioredis.status !== 'ready') await new Promise((resolve) => ioredis.once('ready', resolve));
  return {
    kinds: [
      ['node-redis', nodeRedis],
      ['ioredis', ioredis],
    ] as const,
    close(): Promise<void> {
      nodeRedis.destroy();
      ioredis.disconnect();
      return Promise.resolve();
    },
  };
}

/** Waits until the store's connection is back (after a restart of Redis): a probe increment succeeds. */
async function reconnected(store: AuthStore): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await store.increment('probe', 1000);
      return;
    } catch (error) {
      if (attempt >= 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.skipIf(!redis.found)('redisStore on a real Redis', () => {
  let server: RunningRedis;
  let connections: Awaited<ReturnType<typeof clients>>;

  beforeAll(async () => {
    if (!redis.found) return;
    server = await startRedis(redis.path);
    connections = await clients(server.url);
  }, 90_000);

  afterAll(async () => {
    await connections.close();
    await server.close();
  });

  it('increments atomically from both clients at once, and sets the time to live once', async () => {
    const stores = connections.kinds.map(([, client]) =>
      redisStore({ client, whenDown: 'closed', prefix: 'atomic:' }),
    );
    const values = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (stores[i % 2] as AuthStore).increment('k', 60_000)),
    );
    expect(values.map((v) => v.value).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    for (const v of values) {
      expect(v.ttlMs).toBeGreaterThan(0);
      expect(v.ttlMs).toBeLessThanOrEqual(60_000);
    }
  });

  it('gets, sets with a time to live, and deletes, from either client', async () => {
    for (const [name, client] of connections.kinds) {
      const store = redisStore({ client, whenDown: 'closed', prefix: `kv-${name}:` });
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'v1', 60_000);
      expect(await store.get('k')).toBe('v1');
      await store.increment('n', 60_000);
      expect(await store.get('n')).toBe('1');
      await store.delete('k');
      await store.delete('absent');
      expect(await store.get('k')).toBeUndefined();
      await store.set('short', 'x', 30);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await store.get('short')).toBeUndefined();
    }
  });

  it('keeps apps apart by prefix', async () => {
    const [, client] = connections.kinds[0];
    const a = redisStore({ client, whenDown: 'closed', prefix: 'app-a:' });
    const b = redisStore({ client, whenDown: 'closed', prefix: 'app-b:' });
    await a.increment('same', 60_000);
    expect((await a.increment('same', 60_000)).value).toBe(2);
    expect((await b.increment('same', 60_000)).value).toBe(1);
  });

  describe('two app instances on one Redis', () => {
    let az: AuthnzerverTestServer;
    const open: { close(): Promise<void> }[] = [];

    beforeAll(async () => {
      az = await createTestServer({
        rateLimits: false,
        loginBackoff: false,
        handlers: {
          userCheckLimit: ({ value_to_check }) => ({
            success: Number(value_to_check) < LIMIT,
            messages: [],
          }),
        },
      });
      az.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    });

    afterAll(async () => {
      for (const item of open.splice(0)) await item.close();
      await az.close();
    });

    /** An app instance: its own client and web core on the store, on an Express server. */
    async function instance(store: AuthStore, warnings: string[] = []): Promise<Driver> {
      const client = new Authnzerver({ url: az.url, secret: az.secret, retry: false });
      const auth: WebAuth = createWebAuth({
        client,
        origin: APP,
        mailer: memoryMailer(),
        store,
        logger: { warn: (message: string) => warnings.push(message) },
      });
      const driver = await expressDriver(auth);
      open.push(driver, { close: () => client.close() });
      return driver;
    }

    /** Logs in on `d` and gives the cookie header (valid on every instance: the session is the server's). */
    async function logIn(d: Driver): Promise<Record<string, string>> {
      const reply = await d.send('POST', '/login', {
        headers: { origin: APP },
        body: { email: 'ada@example.com', password: PASSWORD },
      });
      expect(reply.status).toBe(200);
      const cookie = reply.cookies.find((c) => c.name === 'azsession');
      return { cookie: `azsession=${cookie?.value ?? ''}` };
    }

    /** `count` GETs of /limited, `concurrency` at a time, alternating between the instances: the statuses. */
    async function load(
      drivers: readonly Driver[],
      headers: Record<string, string>,
      count: number,
      concurrency = 10,
      during?: (sent: number) => Promise<void>,
    ): Promise<number[]> {
      const statuses: number[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const i = next++;
          if (during !== undefined) await during(i);
          const reply = await (drivers[i % drivers.length] as Driver).send('GET', '/limited', {
            headers,
          });
          statuses.push(reply.status);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return statuses;
    }

    const tally = (statuses: number[]) =>
      statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

    it('together they allow what one instance would; two memory stores allow twice as much', async () => {
      for (const [kind, client] of connections.kinds) {
        const prefix = `fleet-${kind}:`;
        const a = await instance(
          redisStore({ client, whenDown: 'closed', prefix, timeoutMs: 10_000 }),
        );
        const b = await instance(
          redisStore({ client, whenDown: 'closed', prefix, timeoutMs: 10_000 }),
        );
        const headers = await logIn(a);
        expect(tally(await load([a, b], headers, 3 * LIMIT))).toEqual({
          200: LIMIT - 1,
          429: 2 * LIMIT + 1,
        });
      }
      const a = await instance(memoryStore());
      const b = await instance(memoryStore());
      const headers = await logIn(b);
      // Each instance counts alone: 2 × (LIMIT - 1) pass.
      expect(tally(await load([a, b], headers, 3 * LIMIT))).toEqual({
        200: 2 * (LIMIT - 1),
        429: LIMIT + 2,
      });
    });

    it("Redis killed under load: 503 with 'closed', unchecked with 'open', never a throw or a hang; then back", async () => {
      for (const whenDown of ['closed', 'open'] as const) {
        for (const [kind, client] of connections.kinds) {
          const warnings: string[] = [];
          const prefix = `down-${whenDown}-${kind}:`;
          // A generous deadline: these clients fail at once while disconnected, and a loaded machine must not
          // turn a slow answer into a refusal.
          const storeA = redisStore({ client, whenDown, prefix, timeoutMs: 10_000 });
          const storeB = redisStore({ client, whenDown, prefix, timeoutMs: 10_000 });
          const a = await instance(storeA, warnings);
          const b = await instance(storeB, warnings);
          const headers = await logIn(a);
          // Redis dies after the 10th request is sent, while 10 are in flight.
          const statuses = await load([a, b], headers, 30, 10, async (i) => {
            if (i === 10) await server.kill();
          });
          expect(statuses).toHaveLength(30);
          if (whenDown === 'closed' && kind === 'node-redis') {
            // A client left as it comes (it queues commands while disconnected) would hang the request: the
            // store's deadline answers it.
            const queueing = createClient({
              url: server.url,
              socket: { reconnectStrategy: () => 100 },
            });
            queueing.on('error', () => {
              // reconnecting
            });
            void queueing.connect().catch(() => undefined);
            const late = redisStore({ client: queueing, whenDown, timeoutMs: 300 });
            await expect(late.increment('k', 1000)).rejects.toThrow(
              'redis did not answer within 300 ms',
            );
            queueing.destroy();
          }
          const t = tally(statuses);
          const down = whenDown === 'closed' ? 503 : 200;
          expect(Object.keys(t).map(Number).sort()).toEqual(
            whenDown === 'closed' ? [200, 503] : [200],
          );
          expect(t[down]).toBeGreaterThanOrEqual(whenDown === 'closed' ? 10 : 30);
          expect(warnings.join('\n')).toContain(`whenDown: ${whenDown}`);
          expect(warnings.join('\n')).not.toContain('azsession=');

          await server.restart();
          // Redis comes back empty (no persistence): once each connection is back, the count starts again.
          for (const store of [storeA, storeB]) await reconnected(store);
          expect(tally(await load([a, b], headers, 2 * LIMIT))).toEqual({
            200: LIMIT - 1,
            429: LIMIT + 1,
          });
        }
      }
    }, 120_000);
  });
});
