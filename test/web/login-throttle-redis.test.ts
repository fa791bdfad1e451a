/**
 * The failed-log-in throttle across app instances on a real Redis (Debian's redis-server): two Express servers,
 * one on a node-redis client and one on ioredis, each with its own authnzerver client, behind a proxy that tells
 * the client's address (`trustProxy: 1`). Under concurrent failed log-ins split between them, exactly as many
 * reach the auth server as one instance alone lets through, per email address and per client address, where two
 * memory stores let twice as many through; a success on one instance resets the address's count on the other;
 * and with Redis killed, a log-in is answered 503 (`whenDown: 'closed'`), never thrown or hung. The same on the
 * memory store, one instance: test/web/login-throttle.test.ts.
 */
import { Redis as IoRedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { THROTTLED_MESSAGE } from '../../src/web/login-throttle.js';
import {
  createWebAuth,
  memoryMailer,
  memoryStore,
  redisStore,
  type AuthStore,
} from '../../src/web/index.js';
import { redisForTests, startRedis, type RunningRedis } from '../helpers/redis.js';
import { expressDriver } from './apps.js';
import { APP, PASSWORD, type Driver, type Reply } from './helpers.js';

const redis = redisForTests('test/web/login-throttle-redis.test.ts');

const ADA = 'ada@example.com';

describe.skipIf(!redis.found)(
  'the failed-log-in throttle on a real Redis, two app instances',
  () => {
    let server: RunningRedis;
    let az: AuthnzerverTestServer;
    let nodeRedis: ReturnType<typeof createClient>;
    let ioredis: IoRedis;
    const open: { close(): Promise<void> }[] = [];
    let prefixes = 0;

    beforeAll(async () => {
      if (!redis.found) return;
      server = await startRedis(redis.path);
      // Neither client queues commands while disconnected (docs/web.md): the store's deadline answers instead.
      nodeRedis = createClient({
        url: server.url,
        disableOfflineQueue: true,
        socket: { reconnectStrategy: () => 100 },
      });
      nodeRedis.on('error', () => {
        // reconnecting: the store's deadline answers the requests meanwhile
      });
      await nodeRedis.connect();
      ioredis = new IoRedis(server.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => 100,
      });
      ioredis.on('error', () => {
        // reconnecting, as above
      });
      if (ioredis.status !== 'ready')
        await new Promise((resolve) => ioredis.once('ready', resolve));
      az = await createTestServer({ rateLimits: false, loginBackoff: false });
      az.authnzerver.addUser({ email: ADA, password: PASSWORD });
    }, 90_000);

    afterAll(async () => {
      for (const item of open.splice(0)) await item.close();
      nodeRedis.destroy();
      ioredis.disconnect();
      await az.close();
      await server.close();
    });

    /** An app instance on the store: its own authnzerver client and web core, on an Express server. */
    async function instance(store: AuthStore): Promise<Driver> {
      const client = new Authnzerver({ url: az.url, secret: az.secret, retry: false });
      const auth = createWebAuth({
        client,
        origin: APP,
        mailer: memoryMailer(),
        store,
        // One proxy in front: the client's address is the last one in X-Forwarded-For.
        trustProxy: 1,
      });
      const driver = await expressDriver(auth);
      open.push(driver, { close: () => client.close() });
      return driver;
    }

    /** Two instances sharing one Redis under a new prefix: A on node-redis, B on ioredis. */
    async function fleet(): Promise<[Driver, Driver]> {
      const prefix = `throttle-${++prefixes}:`;
      return [
        await instance(
          redisStore({ client: nodeRedis, whenDown: 'closed', prefix, timeoutMs: 10_000 }),
        ),
        await instance(
          redisStore({ client: ioredis, whenDown: 'closed', prefix, timeoutMs: 10_000 }),
        ),
      ];
    }

    /** A log-in form's POST from `ip`. */
    function logIn(d: Driver, email: string, password: string, ip: string): Promise<Reply> {
      return d.send('POST', '/login', {
        headers: { origin: APP, 'x-forwarded-for': ip },
        body: { email, password },
      });
    }

    const logins = (): number => az.received.filter((r) => r.type === 'user-login').length;

    const tally = (replies: readonly Reply[]) =>
      replies.reduce<Record<number, number>>(
        (t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }),
        {},
      );

    /** `count` failed log-ins at once, alternating between the instances: the replies, and the server's calls. */
    async function burst(
      drivers: readonly Driver[],
      count: number,
      emailOf: (i: number) => string,
      ipOf: (i: number) => string,
    ): Promise<{ replies: Reply[]; reached: number }> {
      const before = logins();
      const replies = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          logIn(drivers[i % drivers.length] as Driver, emailOf(i), `wrong guess ${i}`, ipOf(i)),
        ),
      );
      return { replies, reached: logins() - before };
    }

    it('per email address: 40 failures at once from 40 addresses, split between the instances; 10 reach the server, as with one', async () => {
      const many = (i: number) => `198.51.100.${i + 1}`;
      const one = await burst([await instance(memoryStore())], 40, () => ADA, many);
      expect(one.reached).toBe(10);
      expect(tally(one.replies)).toEqual({ 401: 10, 429: 30 });

      const shared = await burst(await fleet(), 40, () => ADA, many);
      expect(shared.reached).toBe(10);
      expect(tally(shared.replies)).toEqual({ 401: 10, 429: 30 });
      const refused = shared.replies.find((r) => r.status === 429) as Reply;
      expect(refused.json()).toMatchObject({ code: 'rate-limited', message: THROTTLED_MESSAGE });

      // Without the shared store, each instance counts alone: twice as many get through.
      const apart = await burst(
        [await instance(memoryStore()), await instance(memoryStore())],
        40,
        () => ADA,
        many,
      );
      expect(apart.reached).toBe(20);
    }, 60_000);

    it('per client address: one address trying 30 accounts at once across the instances; 10 reach the server', async () => {
      const shared = await burst(
        await fleet(),
        30,
        (i) => `sprayed${i}@example.com`,
        () => '203.0.113.77',
      );
      expect(shared.reached).toBe(10);
      expect(tally(shared.replies)).toEqual({ 401: 10, 429: 20 });
    }, 60_000);

    it("a success on one instance resets the address's count on the other, and only that", async () => {
      const [a, b] = await fleet();
      let n = 0;
      const next = () => `192.0.2.${++n}`;
      for (let i = 0; i < 9; i++) expect((await logIn(a, ADA, 'not it', next())).status).toBe(401);
      expect((await logIn(b, ADA, PASSWORD, next())).status).toBe(200);
      for (let i = 0; i < 10; i++) {
        expect((await logIn(i % 2 === 0 ? a : b, ADA, 'not it', next())).status).toBe(401);
      }
      expect((await logIn(a, ADA, PASSWORD, next())).status).toBe(429);
      expect((await logIn(b, ADA, PASSWORD, next())).status).toBe(429);
    }, 60_000);

    it("Redis killed: every log-in is answered 503 (whenDown: 'closed') with no server call, then counted again", async () => {
      const [a, b] = await fleet();
      await server.kill();
      try {
        const before = logins();
        const replies = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            logIn(i % 2 === 0 ? a : b, ADA, PASSWORD, `192.0.2.${i + 100}`),
          ),
        );
        expect(tally(replies)).toEqual({ 503: 10 });
        expect(logins()).toBe(before);
      } finally {
        await server.restart();
      }
      // Once both connections are back, the count starts again (Redis came back empty).
      for (const d of [a, b]) {
        for (let attempt = 0; ; attempt++) {
          const reply = await logIn(d, ADA, PASSWORD, '192.0.2.200');
          if (reply.status === 200) break;
          expect(reply.status).toBe(503);
          if (attempt >= 300) throw new Error('the store did not reconnect');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }, 120_000);
  },
);
