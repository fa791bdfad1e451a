/**
 * API keys under attack, through each adapter: refusals follow RFC 6750 (401 with `WWW-Authenticate: Bearer` and
 * `error="invalid_token"`, 403 with `error="insufficient_scope"`), keys are bound to the issuing IP by default,
 * refusals answer as JSON for API clients, and no local check can be skipped (expiry with a clock ahead of the
 * server's, dot segments in the path).
 */
import { describe, expect, it } from 'vitest';
import { createWebAuth } from '../../src/web/index.js';
import { pathInSubject } from '../../src/web/apikeys.js';
import { FRAMEWORKS } from './apps.js';
import { anonymousPost, context } from './contexts.js';
import {
  adapterHarness,
  APP,
  PASSWORD,
  setup,
  type Driver,
  type Jar,
  type WebSetup,
} from './helpers.js';

const SAME = { origin: APP };
const DAY_MS = 86_400_000;

/** Issues a key through the app for the logged-in user of `jar`; `body` goes to the /keys route. */
async function issue(d: Driver, jar: Jar, body: Record<string, unknown> = {}): Promise<string> {
  const reply = await d.send('POST', '/keys', { headers: { ...jar.header(), ...SAME }, body });
  expect(reply.status).toBe(200);
  return reply.json<{ value: { token: string } }>().value.token;
}

describe.each(FRAMEWORKS)('%s adapter: API keys (RFC 6750)', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  /** A logged-in user and a key of theirs; the app trusts loopback proxies, so a test can pick the client IP. */
  async function withKey(
    options: Parameters<typeof h.start>[0] = {},
  ): Promise<{ env: WebSetup; d: Driver; jar: Jar; key: string }> {
    const { env, d, jar } = await h.start({ trustProxy: ['loopback'], ...options });
    await h.logIn(d, jar, env);
    return { env, d, jar, key: await issue(d, jar) };
  }

  it('a route that needs a key: none, or only a cookie, is 401 with a Bearer challenge', async () => {
    const { d, jar } = await withKey();
    for (const headers of [{}, jar.header()]) {
      const reply = await d.send('GET', '/api/key-only', { headers });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    }
    // A route that takes a user by cookie or key says so too.
    const user = await d.send('GET', '/api/data');
    expect(user.status).toBe(401);
    expect(user.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('a forged, expired, revoked, foreign-audience or wrong-IP key is 401 invalid_token', async () => {
    const { env, d, jar, key } = await withKey();
    const bearer = (token: string, ip = '127.0.0.1') => ({
      authorization: `Bearer ${token}`,
      'x-forwarded-for': ip,
    });
    expect((await d.send('GET', '/api/key-only', { headers: bearer(key) })).status).toBe(200);
    const foreign = await issue(d, jar, { audience: 'https://other.test' });
    const flipped = key.slice(0, 20) + (key[20] === 'A' ? 'B' : 'A') + key.slice(21);
    const cases: [string, Record<string, string>][] = [
      ['forged', bearer(flipped)],
      ['not a key', bearer('not-a-key')],
      ['another audience', bearer(foreign)],
      ['another IP', bearer(key, '203.0.113.9')],
    ];
    for (const [what, headers] of cases) {
      const reply = await d.send('GET', '/api/key-only', { headers });
      expect(reply.status, what).toBe(401);
      expect(reply.headers.get('www-authenticate'), what).toBe('Bearer error="invalid_token"');
      expect(reply.text).not.toContain(key);
    }
    const revoked = await d.send('POST', '/keys/revoke', {
      headers: { ...jar.header(), ...SAME },
      body: { token: key },
    });
    expect(revoked.status).toBe(200);
    const gone = await d.send('GET', '/api/key-only', { headers: bearer(key) });
    expect(gone.status).toBe(401);
    expect(gone.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(env.count('apikey-verify')).toBe(2);
  });

  it('a valid key that may not do this is 403 insufficient_scope: out of its subject, role or access', async () => {
    const { d, key } = await withKey();
    const headers = { authorization: `Bearer ${key}` };
    for (const path of ['/other/data', '/api/admin', '/api/others-private']) {
      const reply = await d.send('GET', path, { headers });
      expect(reply.status, path).toBe(403);
      expect(reply.headers.get('www-authenticate'), path).toBe('Bearer error="insufficient_scope"');
    }
  });

  it('keys are bound to the issuing IP by default; per key or per app that can be turned off', async () => {
    const { env, d, jar, key } = await withKey();
    const from = (token: string, ip: string) =>
      d.send('GET', '/api/key-only', {
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
      });
    expect((await from(key, '203.0.113.9')).status).toBe(401);
    const roaming = await issue(d, jar, { bindToIp: false });
    expect((await from(roaming, '203.0.113.9')).status).toBe(200);

    const loose = createWebAuth({
      client: env.client,
      origin: APP,
      trustProxy: ['loopback'],
      apiKeys: { secret: env.keys.apiKeys, bindToIp: false },
    });
    const d2 = await h.swap(loose);
    const loginJar = jar;
    loginJar.value = undefined;
    await h.logIn(d2, loginJar, env);
    const appWide = await issue(d2, loginJar);
    const other = await d2.send('GET', '/api/key-only', {
      headers: { authorization: `Bearer ${appWide}`, 'x-forwarded-for': '198.51.100.4' },
    });
    expect(other.status).toBe(200);
    // A key issued bound stays bound, whatever the app says later.
    const stillBound = await d2.send('GET', '/api/key-only', {
      headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': '198.51.100.4' },
    });
    expect(stillBound.status).toBe(401);
  });
});

describe.each(FRAMEWORKS)('%s adapter: API keys (RFC 6750) (2)', (name, makeDriver) => {
  // SvelteKit answers a browser's refused request with its own error page (HTML, `+error.svelte`), by design:
  // only API clients get the plain-text or JSON refusal there.
  const htmlErrorPage = name === 'sveltekit';
  const h = adapterHarness(makeDriver);

  /** A logged-in user and a key of theirs; the app trusts loopback proxies, so a test can pick the client IP. */
  async function withKey(
    options: Parameters<typeof h.start>[0] = {},
  ): Promise<{ env: WebSetup; d: Driver; jar: Jar; key: string }> {
    const { env, d, jar } = await h.start({ trustProxy: ['loopback'], ...options });
    await h.logIn(d, jar, env);
    return { env, d, jar, key: await issue(d, jar) };
  }

  it('refusals answer JSON when the request accepts JSON, or by the guard or middleware option', async () => {
    const { d } = await withKey();
    const jsonAccept = await d.send('GET', '/api/key-only', {
      headers: { accept: 'application/json' },
    });
    expect(jsonAccept.status).toBe(401);
    expect(jsonAccept.headers.get('content-type')).toMatch(/^application\/json/);
    expect(jsonAccept.json()).toEqual({
      error: 'unauthenticated',
      message: 'Please log in.',
      messages: [],
    });
    const browser = await d.send('GET', '/api/key-only', {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(browser.status).toBe(401);
    if (htmlErrorPage) {
      console.log(`${name}: a browser gets the framework's error page; its text is not checked`);
      expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
    } else {
      expect(browser.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(browser.text).toBe('Please log in.');
    }
    // The guard's option: JSON whatever the request accepts.
    const forced = await d.send('GET', '/api/key-only-json', {
      headers: { accept: 'text/html' },
    });
    expect(forced.headers.get('content-type')).toMatch(/^application\/json/);
    expect(forced.json()['error']).toBe('unauthenticated');
    // A bad key from an API client.
    const bad = await d.send('GET', '/api/key-only', {
      headers: { authorization: 'Bearer not-a-key' },
    });
    expect(bad.json()).toMatchObject({ error: 'invalid-api-key' });
  });

  it("the middleware's json option answers its requests' refusals as JSON", async () => {
    const { env } = await withKey();
    const d = await h.swap(env.auth, { jsonApi: true });
    const api = await d.send('GET', '/api/key-only', { headers: { accept: 'text/html' } });
    expect(api.json()['error']).toBe('unauthenticated');
    const page = await d.send('GET', '/other/data', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    if (htmlErrorPage) {
      console.log(`${name}: a browser gets the framework's error page; its text is not checked`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    } else {
      expect(page.text).toBe('Please log in.');
    }
  });

  it('an expired key is refused here even when the auth server, whose clock is behind, would accept it', async () => {
    const skew = { ms: 0 };
    const { env, d, jar } = await h.start({
      trustProxy: ['loopback'],
      now: () => Date.now() + skew.ms,
    });
    await h.logIn(d, jar, env);
    const key = await issue(d, jar, { expiresDays: 1 });
    expect(
      (await d.send('GET', '/api/key-only', { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200);
    const verified = env.count('apikey-verify');
    skew.ms = 2 * DAY_MS; // the app's clock is two days ahead; the server's still says the key is valid
    const reply = await d.send('GET', '/api/key-only', {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(env.count('apikey-verify')).toBe(verified);
  });
});

describe('API-key subjects and dot segments', () => {
  it('a path is inside a subject only without dot segments or encoded slashes', () => {
    const inside = ['/api/', '/api/data', '/api/a/b', '/api/..data', '/api/.well'];
    const outside = [
      '/api',
      '/apix/data',
      '/api/../admin',
      '/api/./data',
      '/api/%2e%2e/admin',
      '/api/%2E%2e/admin',
      '/api/.%2e/admin',
      '/api/a%2f..%2fadmin',
      '/api/a%5C..%5Cadmin',
      '/api/a\\..\\admin',
      '/admin',
    ];
    for (const path of inside) expect(pathInSubject('/api/', path), path).toBe(true);
    for (const path of outside) expect(pathInSubject('/api/', path), path).toBe(false);
    expect(pathInSubject('/api', '/api')).toBe(true);
    expect(pathInSubject('api/', '/api/x')).toBe(false);
  });

  it('a key for /api/ is refused on /api/../admin as the request line says it, before any server call', async () => {
    const env = await setup({ trustProxy: ['loopback'] });
    try {
      env.server.authnzerver.addUser({ email: 'ada@example.com', password: 'x'.repeat(20) });
      const login = await env.auth.authenticate(
        new Request(`${APP}/login`, { method: 'POST', headers: SAME }),
        { remoteAddress: '127.0.0.1' },
      );
      if (!login.ok) throw new Error('refused');
      const done = await login.context.login('ada@example.com', 'x'.repeat(20));
      expect(done.ok).toBe(true);
      const issued = await login.context.issueApiKey();
      if (!issued.ok) throw new Error('no key');
      const before = env.count('apikey-verify');
      for (const path of ['/api/../admin', '/api/%2e%2e/admin']) {
        // Not a `Request`: its URL parser would remove the dot segments before the core saw them.
        const raw = {
          method: 'GET',
          url: `${APP}${path}`,
          headers: new Headers({ authorization: `Bearer ${issued.value.token}` }),
        };
        const result = await env.auth.authenticate(raw, { remoteAddress: '127.0.0.1' });
        expect(result.ok, path).toBe(false);
        if (!result.ok) expect(result.failure.code).toBe('api-key-scope');
      }
      expect(env.count('apikey-verify')).toBe(before);
    } finally {
      await env.close();
    }
  });
});

describe('API keys and clock skew', () => {
  /** A logged-in context on a server whose clock leads ours by `aheadMs`, and a key it issued. */
  async function keyFromServerAhead(aheadMs: number) {
    const env = await setup({}, { now: () => Date.now() + aheadMs });
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const { ctx } = await anonymousPost(env.auth);
    const login = await ctx.login('ada@example.com', PASSWORD);
    if (!login.ok) throw new Error('no log-in');
    const userCookie = (ctx.setCookies.at(-1) as string).split(';')[0] as string;
    const user = await context(env.auth, {
      method: 'POST',
      headers: { origin: APP, cookie: userCookie },
    });
    const issued = await user.issueApiKey();
    if (!issued.ok) throw new Error(`no key: ${issued.failure.code}`);
    const call = () =>
      env.auth.authenticate(
        new Request(`${APP}/api/me`, {
          headers: { authorization: `Bearer ${issued.value.token}` },
        }),
        { remoteAddress: '127.0.0.1' },
      );
    return { env, call };
  }

  it('accepts a fresh key from a server whose clock leads ours by seconds; the server still checks nbf', async () => {
    const { env, call } = await keyFromServerAhead(30_000);
    try {
      const result = await call();
      expect(result.ok && result.context.user?.via).toBe('apikey');
      expect(env.count('apikey-verify')).toBe(1);
    } finally {
      await env.close();
    }
  });

  it('refuses, without asking the server, a key not valid for minutes yet', async () => {
    const { env, call } = await keyFromServerAhead(10 * 60_000);
    try {
      const result = await call();
      expect(result.ok).toBe(false);
      expect(env.count('apikey-verify')).toBe(0);
    } finally {
      await env.close();
    }
  });
});
