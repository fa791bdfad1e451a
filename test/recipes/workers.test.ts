/**
 * The Workers recipe (examples/recipes/workers/) in workerd (Miniflare): two Workers, `a` and `b`, each its own
 * isolate, run the recipe's Worker (test/recipes/workers-probe.ts adds `/probe/…` routes that call the stores
 * from inside the runtime) and share one Durable Object namespace and one KV namespace. They talk to the test
 * server on loopback. What it proves:
 * - the Durable Object's increment is atomic: 100 concurrent increments from both isolates get 1..100, each once
 *   (the same check sees the lost counts of a read-then-write counter on KV);
 * - a counter expires at its time to live and an increment does not extend it; the alarm deletes expired keys;
 * - get, set and delete on the Durable Object and on KV, a value set for less than KV's 60-second minimum read
 *   as gone on time;
 * - `limitRequests` through the recipe's Worker, with requests spread over both isolates at once, allows exactly
 *   the configured count and answers the rest 429 with Retry-After.
 * In Node, with a namespace whose object fails: `durableObjectStore`'s option errors, and every failure (an
 * error, a 500, an odd reply, no answer within `timeoutMs`) rejects, for the layer's `whenDown` to decide.
 * Time is the runtime's own (Miniflare cannot move workerd's clock): expiry is waited for as a condition, with
 * short times to live, never asserted on a duration.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  durableObjectStore,
  type DurableObjectNamespace,
} from '../../examples/recipes/workers/store.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { bundleFor } from '../platform/bundle.js';
import { RUNTIME_LIMIT_MS } from '../helpers/runtimes.js';

const APP = 'https://app.test';
const PASSWORD = 'correct horse battery staple 42';
/** The role's limit, as the test server's `user-check-limit` applies it: at most this many per window. */
const LIMIT = 5;

let server: AuthnzerverTestServer;
let mf: Miniflare;

/** A request as the test sends it, and the answer as it reads it (Miniflare's own fetch types). */
interface Init {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}
interface Reply {
  readonly status: number;
  readonly headers: { get(name: string): string | null; getSetCookie(): string[] };
  json(): Promise<unknown>;
}
type Send = (path: string, init?: Init) => Promise<Reply>;

/** Sends a request to Worker `a` or `b`. */
let fetchers: { readonly a: Send; readonly b: Send };

beforeAll(async () => {
  server = await createTestServer({
    rateLimits: false,
    loginBackoff: false,
    handlers: {
      userCheckLimit: ({ value_to_check }) => ({
        success: Number(value_to_check) <= LIMIT,
        messages: [],
      }),
    },
  });
  const bundle = await bundleFor({
    contents:
      "export * from './test/recipes/workers-probe.ts';\nexport { default } from './test/recipes/workers-probe.ts';",
    conditions: ['workerd', 'worker', 'browser'],
    webOnly: true,
  });
  const common = {
    modules: true,
    script: bundle.code,
    compatibilityDate: '2025-06-01',
    bindings: {
      AUTHNZERVER_URL: server.url,
      AUTHNZERVER_SECRET: server.secret,
      APP_ORIGIN: APP,
      COOKIE_SECRET: 'a cookie signing secret of 32 bytes or more',
    },
    kvNamespaces: { AUTH_KV: 'auth-kv' },
  };
  mf = new Miniflare({
    workers: [
      {
        ...common,
        name: 'a',
        // SQLite-backed, as `new_sqlite_classes` makes them (the storage API is the same).
        durableObjects: {
          AUTH_STORE: { className: 'AuthStoreObject', useSQLite: true },
          PROBED_STORE: { className: 'ProbedStoreObject', useSQLite: true },
        },
      },
      {
        ...common,
        name: 'b',
        durableObjects: {
          AUTH_STORE: { className: 'AuthStoreObject', scriptName: 'a', useSQLite: true },
          PROBED_STORE: { className: 'ProbedStoreObject', scriptName: 'a', useSQLite: true },
        },
      },
    ],
  });
  const b = (await mf.getWorker('b')) as unknown as {
    fetch(url: string, init?: Init): Promise<Reply>;
  };
  fetchers = {
    a: (path, init) => mf.dispatchFetch(`${APP}${path}`, init),
    b: (path, init) => b.fetch(`${APP}${path}`, init),
  };
}, RUNTIME_LIMIT_MS);

afterAll(async () => {
  await mf.dispose();
  await server.close();
});

/** Calls a probe on Worker `a` or `b` and reads its JSON. */
async function probe<T>(
  worker: 'a' | 'b',
  name: string,
  params: Record<string, string | number>,
): Promise<T> {
  const query = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const response = await fetchers[worker](`/probe/${name}?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** Polls `check` until it is true; the test's own time limit bounds the wait. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** `n` increments of `key` at once, alternating between the two isolates; the values they got. */
async function concurrentIncrements(name: string, key: string, n: number): Promise<number[]> {
  const replies = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      probe<{ value: number }>(i % 2 === 0 ? 'a' : 'b', name, { key, ttlMs: 600_000 }),
    ),
  );
  return replies.map((r) => r.value).sort((x, y) => x - y);
}

const ONE_TO_100 = Array.from({ length: 100 }, (_, i) => i + 1);

describe('the Workers recipe in workerd', () => {
  it(
    "the Durable Object's increment is atomic across isolates: 100 at once get 1..100, each once",
    async () => {
      expect(await concurrentIncrements('increment', 'atomic', 100)).toEqual(ONE_TO_100);
      expect(await probe('a', 'get', { key: 'atomic' })).toEqual({ value: '100' });
      // The same check on a counter that reads, adds 1 and writes back (on KV) sees counts lost.
      const naive = await concurrentIncrements('kv/increment', 'naive', 100);
      expect(naive).not.toEqual(ONE_TO_100);
      expect(new Set(naive).size).toBeLessThan(100);
    },
    RUNTIME_LIMIT_MS,
  );

  it(
    'a counter lives its time to live from its first increment, then starts again at 1',
    async () => {
      const first = await probe<{ value: number; ttlMs: number }>('a', 'increment', {
        key: 'window',
        ttlMs: 600_000,
      });
      const second = await probe<{ value: number; ttlMs: number }>('b', 'increment', {
        key: 'window',
        ttlMs: 600_000,
      });
      expect(first).toMatchObject({ value: 1 });
      expect(first.ttlMs).toBeGreaterThan(0);
      expect(first.ttlMs).toBeLessThanOrEqual(600_000);
      // Not extended by the second increment.
      expect(second.value).toBe(2);
      expect(second.ttlMs).toBeLessThanOrEqual(first.ttlMs);

      // `/keys` lists what the object holds: a live key is there.
      const long = { key: 'long', ttlMs: 600_000, store: 'probed' };
      await probe('a', 'increment', long);
      expect(await probe('b', 'keys', long)).toEqual(['long']);

      const short = { key: 'short', ttlMs: 200, store: 'probed' };
      expect(await probe('a', 'increment', short)).toMatchObject({ value: 1 });
      await until(
        async () => (await probe<{ value: string | null }>('b', 'get', short)).value === null,
      );
      expect(await probe('a', 'increment', short)).toMatchObject({ value: 1 });
      // The alarm deletes the expired key: the object's storage ends up empty.
      await until(async () => (await probe<string[]>('a', 'keys', short)).length === 0);
    },
    RUNTIME_LIMIT_MS,
  );

  it(
    'gets, sets and deletes on the Durable Object; a counter reads as its decimal string',
    async () => {
      expect(await probe('a', 'get', { key: 'value' })).toEqual({ value: null });
      await probe('a', 'set', { key: 'value', value: 'v1', ttlMs: 600_000 });
      expect(await probe('b', 'get', { key: 'value' })).toEqual({ value: 'v1' });
      await probe('b', 'set', { key: 'value', value: 'v2', ttlMs: 600_000 });
      expect(await probe('a', 'get', { key: 'value' })).toEqual({ value: 'v2' });
      await probe('a', 'delete', { key: 'value' });
      await probe('a', 'delete', { key: 'absent' });
      expect(await probe('b', 'get', { key: 'value' })).toEqual({ value: null });
      await probe('a', 'set', { key: 'word', value: 'x', ttlMs: 600_000 });
      expect(await probe('a', 'increment', { key: 'word', ttlMs: 600_000 })).toMatchObject({
        value: 1,
      });
      expect(await probe('b', 'get', { key: 'word' })).toEqual({ value: '1' });
    },
    RUNTIME_LIMIT_MS,
  );

  it(
    "KV: get, set and delete; a value set for less than KV's 60 s minimum reads as gone on time",
    async () => {
      expect(await probe('a', 'kv/get', { key: 'kv' })).toEqual({ value: null });
      await probe('a', 'kv/set', { key: 'kv', value: 'v', ttlMs: 600_000 });
      expect(await probe('a', 'kv/get', { key: 'kv' })).toEqual({ value: 'v' });
      await probe('a', 'kv/delete', { key: 'kv' });
      expect(await probe('a', 'kv/get', { key: 'kv' })).toEqual({ value: null });
      // KV refuses an expirationTtl under 60 s: the store asks for 60 and reads the real expiry from metadata.
      await probe('a', 'kv/set', { key: 'kv-short', value: 'v', ttlMs: 200 });
      await until(
        async () =>
          (await probe<{ value: string | null }>('a', 'kv/get', { key: 'kv-short' })).value ===
          null,
      );
    },
    RUNTIME_LIMIT_MS,
  );

  it(
    'limitRequests through the Worker: requests at once over both isolates, exactly the limit let through, then 429',
    async () => {
      const email = 'worker-limit@example.com';
      server.authnzerver.addUser({ email, password: PASSWORD });
      const login = await fetchers.a('/login', {
        method: 'POST',
        headers: { origin: APP, 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = (
        login.headers.getSetCookie().find((v) => v.startsWith('__Host-azsession=')) ?? ''
      ).split(';')[0] as string;
      expect(cookie).not.toBe('');
      const replies = await Promise.all(
        Array.from({ length: LIMIT * 3 }, (_, i) =>
          fetchers[i % 2 === 0 ? 'a' : 'b']('/api/limited', {
            headers: { cookie, accept: 'application/json' },
          }),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([
        ...Array<number>(LIMIT).fill(200),
        ...Array<number>(LIMIT * 2).fill(429),
      ]);
      for (const reply of replies.filter((r) => r.status === 429)) {
        const retryAfter = Number(reply.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(reply.headers.get('cache-control')).toContain('no-store');
      }
      const next = await fetchers.b('/api/limited', { headers: { cookie } });
      expect(next.status).toBe(429);
      const anonymous = await fetchers.a('/api/limited');
      expect(anonymous.status).toBe(401);
    },
    RUNTIME_LIMIT_MS,
  );
});

/** A namespace whose every object answers with `answer`; `names` records the objects' names. */
function namespaceAnswering(
  answer: () => Promise<Response>,
  names: string[] = [],
): DurableObjectNamespace {
  return {
    idFromName: (name) => {
      names.push(name);
      return { toString: () => name };
    },
    get: () => ({ fetch: answer }),
  };
}

describe('durableObjectStore in Node: options and failures', () => {
  const ok = namespaceAnswering(() => Promise.resolve(Response.json({})));

  it('an option error names the option, and nothing is sent', () => {
    const names: string[] = [];
    const namespace = namespaceAnswering(() => Promise.resolve(Response.json({})), names);
    expect(() => durableObjectStore(namespace, {} as never)).toThrow("`whenDown` must be 'closed'");
    expect(() => durableObjectStore(namespace, { whendown: 'closed' } as never)).toThrow(
      'unknown option `whendown` (did you mean `whenDown`?)',
    );
    expect(() =>
      durableObjectStore(namespace, { whenDown: 'closed', timeout: 5 } as never),
    ).toThrow('unknown option `timeout` (the options are whenDown, prefix, timeoutMs)');
    expect(() => durableObjectStore(namespace, { whenDown: 'closed', timeoutMs: 0 })).toThrow(
      '`timeoutMs` must be a number > 0',
    );
    expect(() => durableObjectStore(namespace, { whenDown: 'open', prefix: 1 } as never)).toThrow(
      '`prefix` must be a string',
    );
    expect(names).toEqual([]);
    expect(durableObjectStore(ok, { whenDown: 'open' }).whenDown).toBe('open');
  });

  it('one object per key, named with the prefix', async () => {
    const names: string[] = [];
    const store = durableObjectStore(
      namespaceAnswering(() => Promise.resolve(Response.json({ value: 'v' })), names),
      { whenDown: 'closed', prefix: 'app1:' },
    );
    expect(await store.get('k1')).toBe('v');
    await store.delete('k2');
    expect(names).toEqual(['app1:k1', 'app1:k2']);
  });

  it("every failure rejects, for the layer's whenDown: an error, a 500, an odd reply, no answer in time", async () => {
    const failing = [
      [() => Promise.reject(new Error('Durable Object reset')), 'Durable Object reset'],
      [() => Promise.resolve(new Response('boom', { status: 500 })), 'answered 500'],
      [() => Promise.resolve(Response.json({ value: '1' })), 'unexpected reply'],
      [() => new Promise<Response>(() => undefined), 'did not answer within 20 ms'],
    ] as const;
    for (const [answer, message] of failing) {
      const store = durableObjectStore(namespaceAnswering(answer), {
        whenDown: 'closed',
        timeoutMs: 20,
      });
      await expect(store.increment('k', 1000)).rejects.toThrow(message);
    }
  });
});
