/**
 * The adapters against `createTestServer`, each through its framework's own test tool (Express: a listening
 * server and fetch; Fastify: `inject`; Hono: `app.request()`), with the same scenarios: the cookie's flags (plain and https), no session unless asked, log-in without fixation, a refused log-in, log-out, signed cookies.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../apps.js';
import { adapterHarness, APP, APP_HTTPS, PASSWORD } from '../helpers.js';

const SAME = { origin: APP };

describe.each(FRAMEWORKS)(
  '%s adapter: the session cookie, log-in, log-out',
  (_name, makeDriver) => {
    const h = adapterHarness(makeDriver);

    it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, without Domain, with the session lifetime', async () => {
      const { d, jar } = await h.start();
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
      const { env, d, jar } = await h.start({ origin: APP_HTTPS });
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
      const { env, d } = await h.start();
      const reply = await d.send('GET', '/whoami');
      expect(reply.json()['session']).toBe('none');
      expect(reply.cookies).toHaveLength(0);
      expect(env.server.received).toHaveLength(0);

      const withAnonymous = await h.swap(env.auth, { anonymous: true });
      const first = await withAnonymous.send('GET', '/whoami');
      expect(first.json()['session']).toBe('anonymous');
      expect(first.cookies.map((c) => c.name)).toEqual(['azsession']);
    });

    it('log-in replaces the session: the pre-log-in token is dead afterwards (no fixation)', async () => {
      const { env, d, jar } = await h.start();
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
      expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(
        before,
      );
    });
  },
);

describe.each(FRAMEWORKS)(
  '%s adapter: the session cookie, log-in, log-out (2)',
  (_name, makeDriver) => {
    const h = adapterHarness(makeDriver);

    it('a refused log-in shows the server messages, never the failure reason, and starts a fresh anonymous session', async () => {
      const { env, d, jar } = await h.start();
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
      expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(
        before,
      );
    });

    it('log-out deletes the session and clears the cookie; the old cookie then has no session', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const token = jar.value as string;
      const reply = await d.send('POST', '/logout', { headers: { ...jar.header(), ...SAME } });
      expect(reply.status).toBe(200);
      const cleared = reply.cookies.find((c) => c.name === 'azsession');
      expect(cleared?.maxAge).toBe(0);
      expect(cleared?.value).toBe('');
      const old = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${token}` } });
      expect(old.json()['session']).toBe('none');
      expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(
        token,
      );
    });

    it('signed cookies: a forged, altered or unsigned cookie is refused without a server call', async () => {
      const secret = 'a signing secret that is long enough, 32+ bytes';
      const { env, d, jar } = await h.start({ cookie: { signingSecret: secret } });
      await h.logIn(d, jar, env);
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
        const reply = await d.send('GET', '/whoami', {
          headers: { cookie: `azsession=${forged}` },
        });
        expect(reply.json()['session']).toBe('none');
        expect(reply.cookies.find((c) => c.name === 'azsession')?.maxAge).toBe(0);
      }
      expect(env.count('session-exists')).toBe(before);
    });
  },
);
