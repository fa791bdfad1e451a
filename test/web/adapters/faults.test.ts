/**
 * The adapters against `createTestServer`, each through its framework's own test tool (Express: a listening
 * server and fetch; Fastify: `inject`; Hono: `app.request()`), with the same scenarios: the auth server failing (HTTP errors, a hang past the deadline, a server that is down): 503 or 429, never logged in, the cookie kept; and the session cache.
 */
import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../../src/index.js';
import { createTestServer } from '../../../src/testing/index.js';
import { createWebAuth } from '../../../src/web/index.js';
import { FRAMEWORKS } from '../apps.js';
import { adapterHarness, APP, PASSWORD, type Driver, type Jar } from '../helpers.js';

const SAME = { origin: APP };

describe.each(FRAMEWORKS)('%s adapter: failing closed, and the cache', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  /**
   * Runs `check` on a second app whose web core calls through `client` (closed after it), then checks that the
   * first app still knows the user: the second app's failures kept the session.
   */
  async function withClient(
    client: Authnzerver,
    check: (other: Driver) => Promise<void>,
    d: Driver,
    jar: Jar,
  ): Promise<void> {
    const other = await makeDriver(createWebAuth({ client, origin: APP }));
    try {
      await check(other);
    } finally {
      await other.close();
      await client.close();
    }
    expect((await d.send('GET', '/api/data', { headers: jar.header() })).json()['session']).toBe(
      'user',
    );
  }

  it("fails closed: 500 → 503, 429 → 429 with Retry-After, reset → 503, the server's database down → 503; never logged in, cookie kept", async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const cases = [
      { fault: { kind: 'status', status: 500 } as const, status: 503 },
      {
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '180' } } as const,
        status: 429,
      },
      { fault: { kind: 'reset', when: 'before-body' } as const, status: 503 },
      // session-exists answers "DB error ..." during a PostgreSQL restart: not "no such session".
      { fault: { kind: 'database-error' } as const, status: 503 },
    ];
    for (const { fault, status } of cases) {
      env.server.fault(fault);
      const reply = await d.send('GET', '/api/data', { headers: jar.header() });
      expect(reply.status).toBe(status);
      if (status === 429) expect(reply.headers.get('retry-after')).toBe('180');
      expect(reply.text).not.toContain('"session":"user"');
      expect(reply.cookies).toHaveLength(0);
      const back = await d.send('GET', '/api/data', { headers: jar.header() });
      expect(back.status).toBe(200);
      expect(back.json()['session']).toBe('user');
    }
    expect(env.server.pendingFaults()).toBe(0);
  });

  it('fails closed when the auth server hangs past the deadline: 503, cookie kept', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const slowClient = new Authnzerver({
      url: env.server.url,
      secret: env.server.secret,
      retry: false,
      timeouts: { request: 300 },
    });
    await withClient(
      slowClient,
      async (slow) => {
        env.server.fault({ kind: 'hang' });
        const reply = await slow.send('GET', '/api/data', { headers: jar.header() });
        expect(reply.status).toBe(503);
        expect(reply.cookies).toHaveLength(0);
      },
      d,
      jar,
    );
  });

  it('fails closed when the auth server is down, keeps the cookie, and the user is back when it returns', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    // A second web core whose client points at a port where nothing listens.
    const dead = await createTestServer();
    const deadUrl = dead.url;
    await dead.close();
    const deadClient = new Authnzerver({ url: deadUrl, secret: env.server.secret, retry: false });
    await withClient(
      deadClient,
      async (down) => {
        const reply = await down.send('GET', '/api/data', { headers: jar.header() });
        expect(reply.status).toBe(503);
        expect(reply.cookies).toHaveLength(0);
        const logout = await down.send('POST', '/logout', {
          headers: { ...jar.header(), ...SAME },
        });
        expect(logout.status).toBe(503);
        expect(logout.cookies).toHaveLength(0);
      },
      d,
      jar,
    );
  });
});

describe.each(FRAMEWORKS)('%s adapter: failing closed, and the cache (2)', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('cache: concurrent checks of one token make one server call; log-in and log-out clear entries at once', async () => {
    const { env, d, jar } = await h.start({ cache: { ttlMs: 60_000 } });
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    jar.take(await d.send('GET', '/login'));
    const anonymous = jar.value as string;
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'anonymous',
    );
    await h.logIn(d, jar, env);
    // Log-in cleared the cached pre-log-in token at once.
    const stale = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${anonymous}` } });
    expect(stale.json()['session']).toBe('none');
    env.auth.clearCache();
    const before = env.count('session-exists');
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => d.send('GET', '/whoami', { headers: jar.header() })),
    );
    for (const r of replies) expect(r.json()['session']).toBe('user');
    expect(env.count('session-exists')).toBe(before + 1);
    await d.send('GET', '/whoami', { headers: jar.header() });
    expect(env.count('session-exists')).toBe(before + 1);

    const token = jar.value as string;
    expect(
      (await d.send('POST', '/logout', { headers: { ...jar.header(), ...SAME } })).status,
    ).toBe(200);
    const after = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${token}` } });
    expect(after.json()['session']).toBe('none');
  });
});
