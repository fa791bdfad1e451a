/**
 * The adapters against `createTestServer`, each through its framework's own test tool (Express: a listening
 * server and fetch; Fastify: `inject`; Hono: `app.request()`), with the same scenarios: the guards and the per-role limit, API keys issued and presented (RFC 6750 answers), and sign-up with its verification link.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../apps.js';
import { adapterHarness, APP, Jar, PASSWORD } from '../helpers.js';

const SAME = { origin: APP };
const EVIL = 'http://evil.test';

describe.each(FRAMEWORKS)('%s adapter: guards, API keys and sign-up', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('guards: requireUser, requireRole, requireAccess and the per-role limit', async () => {
    const { env, d, jar } = await h.start();
    expect((await d.send('GET', '/api/data')).status).toBe(401);
    jar.take(await d.send('GET', '/login'));
    expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(401); // anonymous
    await h.logIn(d, jar, env);
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
    await h.logIn(d, admin, env, 'root@example.com', 'superuser');
    expect((await d.send('GET', '/admin', { headers: admin.header() })).status).toBe(200);
    expect((await d.send('GET', '/others-private', { headers: admin.header() })).status).toBe(200);
  });

  it('the per-role limit answers 429 with Retry-After when user-check-limit says no', async () => {
    const { env, d, jar } = await h.start(
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
    await h.logIn(d, jar, env);
    const reply = await d.send('GET', '/limited', { headers: jar.header() });
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(reply.text).not.toContain('user is over limit');
  });

  it('API keys: issued to a user, accepted as Bearer (CSRF-exempt), refused on audience, subject, forgery and revocation (RFC 6750)', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
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
});

describe.each(FRAMEWORKS)('%s adapter: guards, API keys and sign-up (2)', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('sign-up mails a verification link; the link verifies the email; a tampered link is refused', async () => {
    const { env, d, jar } = await h.start();
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
    await h.logIn(d, jar, env, email);
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'user',
    );
  });
});
