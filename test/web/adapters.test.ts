/**
 * The adapters against `createTestServer`, each through its framework's own test tool (Express: a listening
 * server and fetch; Fastify: `inject`; Hono: `app.request()`), with the same scenarios: cookie flags, log-in
 * without fixation, log-out, CSRF, the client IP and X-Forwarded-For, signed cookies, failing closed under the
 * server's faults, the session cache, guards, API keys, sign-up and email verification.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { createTestServer } from '../../src/testing/index.js';
import * as ho from '../../src/web/adapters/hono.js';
import { createWebAuth, type WebAuth, type WebAuthOptions } from '../../src/web/index.js';
import { FRAMEWORKS, type AppOptions } from './apps.js';
import { APP, APP_HTTPS, Jar, PASSWORD, setup, type Driver, type WebSetup } from './helpers.js';

const SAME = { origin: APP };
const EVIL = 'http://evil.test';

describe.each(FRAMEWORKS)('%s adapter', (_name, makeDriver) => {
  let env: WebSetup | undefined;
  let driver: Driver | undefined;
  afterEach(async () => {
    await driver?.close();
    await env?.close();
    env = undefined;
    driver = undefined;
  });

  async function start(
    options: Partial<Omit<WebAuthOptions, 'client'>> = {},
    app: AppOptions = {},
    serverOptions: Parameters<typeof setup>[1] = {},
  ): Promise<{ env: WebSetup; d: Driver; jar: Jar }> {
    env = await setup(options, serverOptions);
    driver = await makeDriver(env.auth, app);
    const secure = (options.origin ?? APP).toString().startsWith('https:');
    return { env, d: driver, jar: new Jar(env.auth.cookieName(secure)) };
  }

  /** Adds a verified user and logs in through the app; the jar then holds the user's cookie. */
  async function logIn(
    d: Driver,
    jar: Jar,
    s: WebSetup,
    email = 'ada@example.com',
    role?: 'superuser',
  ) {
    if (s.server.authnzerver.findUser(email) === undefined) {
      s.server.authnzerver.addUser({ email, password: PASSWORD, ...(role ? { role } : {}) });
    }
    jar.take(await d.send('GET', '/login', { headers: jar.header() }));
    const reply = await d.send('POST', '/login', {
      headers: { ...jar.header(), ...SAME },
      body: { email, password: PASSWORD },
    });
    expect(reply.status).toBe(200);
    jar.take(reply);
    return reply;
  }

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

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, without Domain, with the session lifetime', async () => {
    const { d, jar } = await start();
    const reply = await d.send('GET', '/login');
    const cookie = jar.take(reply);
    expect(cookie).toBeDefined();
    expect(cookie?.name).toBe('azsession');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('lax');
    expect(cookie?.path).toBe('/');
    expect(cookie?.domain).toBeUndefined();
    expect(cookie?.secure).toBeUndefined(); // plain http origin
    expect(cookie?.maxAge).toBeGreaterThan(86_400 - 60);
    expect(cookie?.maxAge).toBeLessThanOrEqual(86_400);
    expect(cookie?.expires).toBeInstanceOf(Date);
  });

  it('on an https origin, the cookie is __Host- prefixed and Secure; an unprefixed cookie is not read', async () => {
    const { env, d, jar } = await start({ origin: APP_HTTPS });
    const cookie = jar.take(await d.send('GET', '/login'));
    expect(cookie?.name).toBe('__Host-azsession');
    expect(cookie?.secure).toBe(true);
    expect(cookie?.path).toBe('/');
    expect(cookie?.domain).toBeUndefined();
    const before = env.count('session-exists');
    const tossed = await d.send('GET', '/whoami', {
      headers: { cookie: `azsession=${jar.value}` },
    });
    expect(tossed.json()['session']).toBe('none');
    expect(env.count('session-exists')).toBe(before);
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'anonymous',
    );
  });

  it('makes no session without a cookie unless asked; with `anonymous` it makes one on the first visit', async () => {
    const { env, d } = await start();
    const reply = await d.send('GET', '/whoami');
    expect(reply.json()['session']).toBe('none');
    expect(reply.cookies).toHaveLength(0);
    expect(env.server.received).toHaveLength(0);

    await driver?.close();
    driver = await makeDriver(env.auth, { anonymous: true });
    const first = await driver.send('GET', '/whoami');
    expect(first.json()['session']).toBe('anonymous');
    expect(first.cookies.map((c) => c.name)).toEqual(['azsession']);
  });

  it('log-in replaces the session: the pre-log-in token is dead afterwards (no fixation)', async () => {
    const { env, d, jar } = await start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    jar.take(await d.send('GET', '/login'));
    const before = jar.value as string;
    const reply = await d.send('POST', '/login', {
      headers: { ...jar.header(), ...SAME },
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(reply.status).toBe(200);
    jar.take(reply);
    expect(jar.value).toBeDefined();
    expect(jar.value).not.toBe(before);
    const me = await d.send('GET', '/whoami', { headers: jar.header() });
    expect(me.json()).toMatchObject({ session: 'user', role: 'authenticated', via: 'session' });

    const old = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${before}` } });
    expect(old.json()['session']).toBe('none');
    expect(old.cookies.find((c) => c.name === 'azsession')?.maxAge).toBe(0);
    expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(before);
  });

  it('a refused log-in shows the server messages, never the failure reason, and starts a fresh anonymous session', async () => {
    const { env, d, jar } = await start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    jar.take(await d.send('GET', '/login'));
    const before = jar.value as string;
    const reply = await d.send('POST', '/login', {
      headers: { ...jar.header(), ...SAME },
      body: { email: 'ada@example.com', password: 'wrong password 1234' },
    });
    expect(reply.status).toBe(401);
    const body = reply.json<{ messages: string[]; code: string }>();
    expect(body.code).toBe('login-refused');
    const sent = env.server.received.filter((r) => r.type === 'user-login');
    expect(sent).toHaveLength(1);
    expect(body.messages.length).toBeGreaterThan(0);
    expect(reply.text).not.toContain("password doesn't match");
    jar.take(reply);
    expect(jar.value).toBeDefined();
    expect(jar.value).not.toBe(before);
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'anonymous',
    );
    expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(before);
  });

  it('log-out deletes the session and clears the cookie; the old cookie then has no session', async () => {
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
    const token = jar.value as string;
    const reply = await d.send('POST', '/logout', { headers: { ...jar.header(), ...SAME } });
    expect(reply.status).toBe(200);
    const cleared = reply.cookies.find((c) => c.name === 'azsession');
    expect(cleared?.maxAge).toBe(0);
    expect(cleared?.value).toBe('');
    const old = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${token}` } });
    expect(old.json()['session']).toBe('none');
    expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(token);
  });

  it('CSRF: refuses cookie requests with unsafe methods from other origins, allows safe ones and same-origin ones', async () => {
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
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
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
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
    const { env, d, jar } = await start({ trustProxy: ['loopback'] });
    await logIn(d, jar, env);
    const reply = await d.send('GET', '/whoami', {
      headers: { ...jar.header(), 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    expect(reply.json()['clientIp']).toBe('203.0.113.7');
    expect(env.server.received.at(-1)?.clientIpaddr).toBe('203.0.113.7');

    const hop = createWebAuth({ client: env.client, origin: APP, trustProxy: 1 });
    await driver?.close();
    driver = await makeDriver(hop);
    const hopped = await driver.send('GET', '/whoami', {
      headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    expect(hopped.json()['clientIp']).toBe('203.0.113.7');
  });

  it('signed cookies: a forged, altered or unsigned cookie is refused without a server call', async () => {
    const secret = 'a signing secret that is long enough, 32+ bytes';
    const { env, d, jar } = await start({ cookie: { signingSecret: secret } });
    await logIn(d, jar, env);
    const signed = jar.value as string;
    expect(signed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const [token, mac] = signed.split('.') as [string, string];
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'user',
    );

    const before = env.count('session-exists');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const forged of [
      token,
      `${flip(token)}.${mac}`,
      `${token}.${flip(mac)}`,
      `${token}.`,
      'x'.repeat(60),
    ]) {
      const reply = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${forged}` } });
      expect(reply.json()['session']).toBe('none');
      expect(reply.cookies.find((c) => c.name === 'azsession')?.maxAge).toBe(0);
    }
    expect(env.count('session-exists')).toBe(before);
  });

  it('fails closed: 500 → 503, 429 → 429 with Retry-After, reset → 503; never logged in, cookie kept', async () => {
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
    const cases = [
      { fault: { kind: 'status', status: 500 } as const, status: 503 },
      {
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '180' } } as const,
        status: 429,
      },
      { fault: { kind: 'reset', when: 'before-body' } as const, status: 503 },
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
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
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
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
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

  it('cache: concurrent checks of one token make one server call; log-in and log-out clear entries at once', async () => {
    const { env, d, jar } = await start({ cache: { ttlMs: 60_000 } });
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    jar.take(await d.send('GET', '/login'));
    const anonymous = jar.value as string;
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'anonymous',
    );
    await logIn(d, jar, env);
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

  it('guards: requireUser, requireRole, requireAccess and the per-role limit', async () => {
    const { env, d, jar } = await start();
    expect((await d.send('GET', '/api/data')).status).toBe(401);
    jar.take(await d.send('GET', '/login'));
    expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(401); // anonymous
    await logIn(d, jar, env);
    expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(200);
    expect((await d.send('GET', '/admin', { headers: jar.header() })).status).toBe(403);
    expect((await d.send('GET', '/others-private', { headers: jar.header() })).status).toBe(403);
    expect((await d.send('GET', '/public', { headers: jar.header() })).status).toBe(200);
    expect((await d.send('GET', '/limited', { headers: jar.header() })).status).toBe(200);
    const limits = env.server.received.filter((r) => r.type === 'user-check-limit');
    expect(limits.at(-1)?.body).toMatchObject({
      limit_name: 'max_requests_per_minute',
      value_to_check: 1,
    });

    const admin = new Jar(jar.name);
    await logIn(d, admin, env, 'root@example.com', 'superuser');
    expect((await d.send('GET', '/admin', { headers: admin.header() })).status).toBe(200);
    expect((await d.send('GET', '/others-private', { headers: admin.header() })).status).toBe(200);
  });

  it('the per-role limit answers 429 with Retry-After when user-check-limit says no', async () => {
    const { env, d, jar } = await start(
      {},
      {},
      {
        handlers: {
          userCheckLimit: () => ({
            success: false,
            failure_reason: 'user is over limit',
            messages: ['Over the limit.'],
          }),
        },
      },
    );
    await logIn(d, jar, env);
    const reply = await d.send('GET', '/limited', { headers: jar.header() });
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(reply.text).not.toContain('user is over limit');
  });

  it('API keys: issued to a user, accepted as Bearer (CSRF-exempt), refused on audience, subject, forgery and revocation (RFC 6750)', async () => {
    const { env, d, jar } = await start();
    await logIn(d, jar, env);
    const issued = await d.send('POST', '/keys', {
      headers: { ...jar.header(), ...SAME },
      body: {},
    });
    expect(issued.status).toBe(200);
    const { token, subject } = issued.json<{ value: { token: string; subject: string } }>().value;
    expect(subject).toBe('/api/');
    const bearer = { authorization: `Bearer ${token}` };

    const get = await d.send('GET', '/api/data', { headers: bearer });
    expect(get.status).toBe(200);
    expect(get.json()).toMatchObject({ via: 'apikey', role: 'authenticated', session: 'none' });
    expect(env.count('apikey-verify')).toBe(1);
    const post = await d.send('POST', '/api/data', { headers: { ...bearer, origin: EVIL } });
    expect(post.status).toBe(200);
    // The auth server failing: 503, never let in.
    env.server.fault({ kind: 'status', status: 500 });
    expect((await d.send('GET', '/api/data', { headers: bearer })).status).toBe(503);

    // Subject: the key is for /api/ only; a valid key out of its scope is 403 insufficient_scope.
    const other = await d.send('GET', '/other/data', { headers: bearer });
    expect(other.status).toBe(403);
    expect(other.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
    expect(other.text).not.toContain(token);
    // Audience: a key issued for another audience.
    const foreign = await d.send('POST', '/keys', {
      headers: { ...jar.header(), ...SAME },
      body: { audience: 'https://other.test' },
    });
    const foreignToken = foreign.json<{ value: { token: string } }>().value.token;
    const wrongAudience = await d.send('GET', '/api/data', {
      headers: { authorization: `Bearer ${foreignToken}` },
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    // Forged and altered keys: refused without a server call.
    const calls = env.count('apikey-verify');
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    for (const forged of ['not-a-key', flipped, `${token}x`]) {
      const refused = await d.send('GET', '/api/data', {
        headers: { authorization: `Bearer ${forged}` },
      });
      expect(refused.status, forged === flipped ? 'flipped' : forged).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
    expect(env.count('apikey-verify')).toBe(calls);

    const revoked = await d.send('POST', '/keys/revoke', {
      headers: { ...jar.header(), ...SAME },
      body: { token },
    });
    expect(revoked.status).toBe(200);
    const gone = await d.send('GET', '/api/data', { headers: bearer });
    expect(gone.status).toBe(401);
    expect(gone.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('sign-up mails a verification link; the link verifies the email; a tampered link is refused', async () => {
    const { env, d, jar } = await start();
    jar.take(await d.send('GET', '/login'));
    const email = 'grace@example.com';
    const signup = await d.send('POST', '/signup', {
      headers: { ...jar.header(), ...SAME },
      body: { fullName: 'Grace Hopper', email, password: PASSWORD },
    });
    expect(signup.status).toBe(200);
    expect(signup.json<{ messages: string[] }>().messages.length).toBeGreaterThan(0);
    const mail = env.mailer.lastTo(email);
    expect(mail?.link).toMatch(/^http:\/\/app\.test\/verify-email\?token=/);
    const link = new URL(mail?.link as string);
    const tokenParam = link.searchParams.get('token') as string;
    const tampered =
      tokenParam.slice(0, 30) + (tokenParam[30] === 'A' ? 'B' : 'A') + tokenParam.slice(31);
    const bad = await d.send('GET', `/verify-email?token=${encodeURIComponent(tampered)}`);
    expect(bad.status).toBe(400);
    expect(env.count('user-set-emailverified')).toBe(0);
    const good = await d.send('GET', `${link.pathname}${link.search}`);
    expect(good.status).toBe(200);
    expect(good.json()['value']).toBe(email);
    expect(env.server.authnzerver.findUser(email)?.email_verified).toBe(true);
    await logIn(d, jar, env, email);
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'user',
    );
  });
});

describe('core on web-standard Request/Response', () => {
  it('works with a plain Request: origin from the URL, cookies collected and applied to a Response', async () => {
    const env = await setup();
    try {
      const auth: WebAuth = createWebAuth({ client: env.client });
      const first = await auth.authenticate(
        new Request('https://site.test/login'),
        { remoteAddress: '::1' },
        { createAnonymous: true },
      );
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      expect(first.context.origin).toBe('https://site.test');
      expect(first.context.clientIp).toBe('::1');
      const response = first.context.apply(new Response('ok'));
      const set = response.headers.getSetCookie();
      expect(set).toHaveLength(1);
      expect(set[0]).toMatch(
        /^__Host-azsession=[^;]+; Max-Age=\d+; Path=\/; Expires=.+; HttpOnly; Secure; SameSite=Lax$/,
      );
      const cookie = (set[0] as string).split(';')[0] as string;
      const csrf = await auth.authenticate(
        new Request('https://site.test/x', {
          method: 'POST',
          headers: { cookie, origin: 'https://evil.test' },
        }),
        { remoteAddress: '::1' },
      );
      expect(csrf.ok).toBe(false);
      if (csrf.ok) return;
      expect(csrf.failure.status).toBe(403);
      const sameSite = await auth.authenticate(
        new Request('https://site.test/x', {
          method: 'POST',
          headers: { cookie, origin: 'https://site.test' },
        }),
        { remoteAddress: '::1' },
      );
      expect(sameSite.ok && sameSite.context.session.kind).toBe('anonymous');
      const failed = auth.failureResponse({
        status: 429,
        code: 'rate-limited',
        message: 'm',
        messages: [],
        retryAfter: 7,
      });
      expect(failed.status).toBe(429);
      expect(failed.headers.get('retry-after')).toBe('7');
    } finally {
      await env.close();
    }
  });
});

describe('hono adapter: handlers that return their own Response', () => {
  it('still send the session cookies (a plain Response, and Response.redirect with immutable headers)', async () => {
    const env = await setup();
    try {
      env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const app = new Hono<ho.AuthEnv>();
      app.use(ho.authnzerver(env.auth));
      app.get('/login', async (c) => {
        await c.get('auth').ensureSession();
        return new Response('form');
      });
      app.post('/login', async (c) => {
        const r = await c.get('auth').login('ada@example.com', PASSWORD);
        return r.ok
          ? Response.redirect(`${APP}/account`, 303)
          : new Response('no', { status: 401 });
      });
      const ip = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
      const form = await app.request(`${APP}/login`, {}, ip);
      const anon = form.headers.getSetCookie();
      expect(anon).toHaveLength(1);
      const cookie = (anon[0] as string).split(';')[0] as string;
      const login = await app.request(
        `${APP}/login`,
        { method: 'POST', headers: { cookie, origin: APP } },
        ip,
      );
      expect(login.status).toBe(303);
      const set = login.headers.getSetCookie();
      expect(set).toHaveLength(1);
      expect(set[0]).toMatch(
        /^azsession=(?!;)[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
      );
      expect(set[0]?.split(';')[0]).not.toBe(cookie);
    } finally {
      await env.close();
    }
  });
});
