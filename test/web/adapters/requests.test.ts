/**
 * The adapters against `createTestServer`, each through its framework's own test tool (Express: a listening
 * server and fetch; Fastify: `inject`; Hono: `app.request()`), with the same scenarios: the CSRF rule for unsafe methods (and log-in CSRF), the client IP from the socket, and X-Forwarded-For only through trusted proxies.
 */
import { describe, expect, it } from 'vitest';
import { createWebAuth } from '../../../src/web/index.js';
import { FRAMEWORKS } from '../apps.js';
import { adapterHarness, APP, PASSWORD } from '../helpers.js';

const SAME = { origin: APP };
const EVIL = 'http://evil.test';

describe.each(FRAMEWORKS)('%s adapter: CSRF and the client IP', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('CSRF: refuses cookie requests with unsafe methods from other origins, allows safe ones and same-origin ones', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const post = (headers: Record<string, string>) =>
      d.send('POST', '/whoami', { headers: { ...jar.header(), ...headers } });
    expect((await post({ origin: EVIL })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ referer: `${EVIL}/form` })).status).toBe(403);
    expect((await post({})).status).toBe(403); // neither Origin nor Referer
    expect((await post({ origin: EVIL, referer: `${APP}/page` })).status).toBe(403); // Origin wins
    expect((await post({ referer: `${APP}/page` })).status).toBe(200);
    const ok = await post(SAME);
    expect(ok.status).toBe(200);
    expect(ok.json()['session']).toBe('user');
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const other = await d.send(method, '/whoami', { headers: { ...jar.header(), origin: EVIL } });
      expect(other.status).toBe(403);
      const own = await d.send(method, '/whoami', { headers: { ...jar.header(), ...SAME } });
      expect(own.status).toBe(200);
    }
    const safe = await d.send('GET', '/whoami', { headers: { ...jar.header(), origin: EVIL } });
    expect(safe.status).toBe(200);
    expect(safe.json()['session']).toBe('user');
    // Log-in CSRF: a cross-origin log-in is refused even without a cookie, before any server call.
    const before = env.count('user-login');
    const login = await d.send('POST', '/login', {
      headers: { origin: EVIL },
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(403);
    expect(env.count('user-login')).toBe(before);
  });

  it('the client IP is the socket peer; a spoofed X-Forwarded-For is ignored by default', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const reply = await d.send('GET', '/whoami', {
      headers: {
        ...jar.header(),
        'x-forwarded-for': '203.0.113.7',
        'x-real-ip': '203.0.113.8',
        forwarded: 'for=203.0.113.9',
        'cf-connecting-ip': '203.0.113.10',
        'true-client-ip': '203.0.113.11',
      },
    });
    expect(reply.json()['clientIp']).toBe('127.0.0.1');
    expect(env.server.received.at(-1)?.clientIpaddr).toBe('127.0.0.1');
  });

  it('X-Forwarded-For is honoured through a trusted proxy (list or hop count)', async () => {
    const { env, d, jar } = await h.start({ trustProxy: ['loopback'] });
    await h.logIn(d, jar, env);
    const reply = await d.send('GET', '/whoami', {
      headers: { ...jar.header(), 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    expect(reply.json()['clientIp']).toBe('203.0.113.7');
    expect(env.server.received.at(-1)?.clientIpaddr).toBe('203.0.113.7');

    const hop = createWebAuth({ client: env.client, origin: APP, trustProxy: 1 });
    const hopped = await (
      await h.swap(hop)
    ).send('GET', '/whoami', {
      headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    expect(hopped.json()['clientIp']).toBe('203.0.113.7');
  });
});
