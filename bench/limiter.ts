/**
 * The `limiter` section of `npm run bench` (issue 24): the web layer's request limiter on the Redis store against
 * the memory store, in one run. Debian's redis-server runs on a free loopback port (test/helpers/redis.ts), and the
 * Redis store goes over each client users bring: node-redis, and ioredis with and without its auto-pipelining.
 * Two measures, each at concurrency 1 and 32, the stores by turns in each repetition:
 *
 * - the store's count alone (`store.increment`, what `limitRequests` adds per request on top of the server's
 *   check): calls per second and latency;
 * - the whole `limitRequests()` of a logged-in request (the count, then `user-check-limit` on the test server in a
 *   process of its own): calls per second, and the ratio to the memory store.
 */
import { join } from 'node:path';
import { Redis as IoRedis } from 'ioredis';
import { createClient } from 'redis';
import { Authnzerver } from 'authnzerver';
import { createWebAuth, memoryStore, redisStore, type AuthStore } from 'authnzerver/web';
import { findRedis, startRedis } from '../test/helpers/redis.js';
import {
  BENCH_IP,
  ROOT,
  fmt,
  fmtRatio,
  fmtSpread,
  measure,
  printTable,
  startChild,
  summarize,
  type BenchOptions,
  type SectionResult,
  type Summary,
} from './lib.js';
import { userSession } from './web.js';

const STORES = [
  'memoryStore()',
  'redisStore(), node-redis',
  'redisStore(), ioredis',
  'redisStore(), ioredis, auto-pipelining',
] as const;
type StoreName = (typeof STORES)[number];
const CONCURRENCIES = [1, 32] as const;

/** A call of one store at a concurrency. */
type Call = () => Promise<void>;

/** One store's figures at one concurrency: calls per second, latency, and the ratio to the memory store. */
interface Figures {
  readonly perSecond: Summary;
  readonly vsMemory: Summary;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Runs the stores' calls by turns, `reps` times, and gives each one's figures (ratios within a repetition). */
async function byTurns(
  calls: Record<StoreName, Call>,
  reps: number,
  requests: number,
  concurrency: number,
): Promise<Record<StoreName, Figures>> {
  const runs: Record<StoreName, { perSecond: number; p50Ms: number; p99Ms: number }>[] = [];
  for (const name of STORES) await measure(calls[name], Math.min(requests, 500), concurrency);
  for (let rep = 0; rep < reps; rep++) {
    const row: Partial<Record<StoreName, { perSecond: number; p50Ms: number; p99Ms: number }>> = {};
    for (let i = 0; i < STORES.length; i++) {
      const name = STORES[(i + rep) % STORES.length] as StoreName;
      const run = await measure(calls[name], requests, concurrency);
      row[name] = { perSecond: run.requests / run.seconds, p50Ms: run.p50Ms, p99Ms: run.p99Ms };
    }
    runs.push(row as Record<StoreName, { perSecond: number; p50Ms: number; p99Ms: number }>);
  }
  return Object.fromEntries(
    STORES.map((name) => [
      name,
      {
        perSecond: summarize(runs.map((r) => r[name].perSecond)),
        vsMemory: summarize(runs.map((r) => r[name].perSecond / r['memoryStore()'].perSecond)),
        p50Ms: summarize(runs.map((r) => r[name].p50Ms)).median,
        p99Ms: summarize(runs.map((r) => r[name].p99Ms)).median,
      },
    ]),
  ) as Record<StoreName, Figures>;
}

/** Prints one measure's table: a row per store and concurrency. */
function printFigures(
  log: (line: string) => void,
  title: string,
  figures: Record<number, Record<StoreName, Figures>>,
  unit: 'µs' | 'ms',
): void {
  const scale = unit === 'µs' ? 1000 : 1;
  const digits = unit === 'µs' ? 1 : 2;
  printTable(
    log,
    title,
    ['store', 'concurrency', 'calls/s', 'vs memory', `p50 ${unit}`, `p99 ${unit}`],
    CONCURRENCIES.flatMap((concurrency) =>
      STORES.map((name) => {
        const f = (figures[concurrency] as Record<StoreName, Figures>)[name];
        return [
          name,
          String(concurrency),
          fmtSpread(f.perSecond, 0),
          fmtRatio(f.vsMemory.median),
          fmt(f.p50Ms * scale, digits),
          fmt(f.p99Ms * scale, digits),
        ];
      }),
    ),
  );
}

/** Runs the section; without redis-server it records why and measures nothing. */
export async function benchLimiter({ quick, reps, log }: BenchOptions): Promise<SectionResult> {
  const lookup = findRedis();
  if (!lookup.found) {
    log(`\nLimiter: not run: ${lookup.reason}`);
    return { results: { limiter: { error: lookup.reason } }, goals: [] };
  }
  const redis = await startRedis(lookup.path);
  const nodeRedis = createClient({ url: redis.url, disableOfflineQueue: true });
  await nodeRedis.connect();
  const ioredis = new IoRedis(redis.url, { enableOfflineQueue: false });
  // ioredis sends each command on its own unless auto-pipelining is on; node-redis pipelines a tick's commands.
  const ioredisPipelined = new IoRedis(redis.url, {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
  });
  for (const io of [ioredis, ioredisPipelined]) {
    if (io.status !== 'ready') await new Promise((resolve) => io.once('ready', resolve));
  }
  const { child, ready } = await startChild<{ url: string; secret: string }>(
    ['--import', 'tsx', join(ROOT, 'bench/test-server.ts')],
    {},
  );
  const client = new Authnzerver({ url: ready.url, secret: ready.secret });
  try {
    const stores: Record<StoreName, AuthStore> = {
      'memoryStore()': memoryStore(),
      'redisStore(), node-redis': redisStore({
        client: nodeRedis,
        whenDown: 'closed',
        prefix: 'bench-node:',
      }),
      'redisStore(), ioredis': redisStore({
        client: ioredis,
        whenDown: 'closed',
        prefix: 'bench-io:',
      }),
      'redisStore(), ioredis, auto-pipelining': redisStore({
        client: ioredisPipelined,
        whenDown: 'closed',
        prefix: 'bench-iop:',
      }),
    };
    const increments = Object.fromEntries(
      STORES.map((name) => [
        name,
        async () => {
          await stores[name].increment('limit:4:60', 60_000);
        },
      ]),
    ) as Record<StoreName, Call>;
    // limitRequests of one logged-in request per store: the count, then user-check-limit on the server.
    const cookie = `azsession=${await userSession(client)}`;
    const request = new Request('http://app.test/account', { headers: { cookie } });
    const limits = {} as Record<StoreName, Call>;
    for (const name of STORES) {
      const auth = createWebAuth({ client, origin: 'http://app.test', store: stores[name] });
      const authenticated = await auth.authenticate(request, { remoteAddress: BENCH_IP });
      if (!authenticated.ok) throw new Error(`bench limiter: ${authenticated.failure.code}`);
      const { context } = authenticated;
      limits[name] = async () => {
        // max_requests: the test server's authenticated role allows 500,000, more than a run counts.
        const refused = await context.limitRequests('max_requests', 3600);
        if (refused !== null) throw new Error(`bench limiter: ${refused.code}`);
      };
    }
    const incrementFigures: Record<number, Record<StoreName, Figures>> = {};
    const limitFigures: Record<number, Record<StoreName, Figures>> = {};
    for (const concurrency of CONCURRENCIES) {
      incrementFigures[concurrency] = await byTurns(
        increments,
        reps,
        quick ? 2000 : 10_000,
        concurrency,
      );
      limitFigures[concurrency] = await byTurns(limits, reps, quick ? 500 : 2000, concurrency);
    }
    printFigures(
      log,
      `Limiter: the store's count alone (store.increment), ${reps} repetitions per store, by turns (median, min–max)`,
      incrementFigures,
      'µs',
    );
    printFigures(
      log,
      `Limiter: limitRequests() of a logged-in request (the count, then user-check-limit on the test server), ${reps} repetitions per store, by turns`,
      limitFigures,
      'ms',
    );
    return {
      results: { limiter: { increment: incrementFigures, limitRequests: limitFigures } },
      goals: [],
    };
  } finally {
    await client.close();
    child.kill('SIGTERM');
    nodeRedis.destroy();
    ioredis.disconnect();
    ioredisPipelined.disconnect();
    await redis.close();
  }
}
