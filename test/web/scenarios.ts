/**
 * The shared scenario suite for any adapter or recipe: `runAdapterScenarios(name, makeDriver)` runs, through the
 * framework's real request machinery, the scenarios every way of mounting the web core must pass: the session
 * cookie's flags, log-in replacing the session (no fixation), log-out, the CSRF refusal of a cross-site POST,
 * failing closed when the auth server fails or is down, Bearer API keys, guards (401/403), the caching headers of
 * session-dependent answers, and the client IP from the socket (X-Forwarded-For only through `trustProxy`).
 * The app it drives mounts `ROUTES` (apps.ts); `guardCheck` gives the check of a route's guard for frameworks
 * whose recipe takes a check rather than named guards. It stands apart from test/web/adapters/*.test.ts, which
 * run over `FRAMEWORKS`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { createTestServer } from '../../src/testing/index.js';
import { createWebAuth, type AuthContext, type AuthFailure } from '../../src/web/index.js';
import type { Guard } from './apps.js';
import {
  adapterHarness,
  APP,
  APP_HTTPS,
  Jar,
  readResponse,
  type Driver,
  type MakeDriver,
} from './helpers.js';

const SAME = { origin: APP };
const EVIL = 'http://evil.test';

/** The check of a route's guard, on the request's context. */
export function guardCheck(
  g: Guard,
): (auth: AuthContext) => AuthFailure | null | Promise<AuthFailure | null> {
  switch (g.kind) {
    case 'user':
      return (a) => a.requireUser();
    case 'apikey':
      return (a) => a.requireApiKey();
    case 'role':
      return (a) => a.requireRole(...g.roles);
    case 'access':
      return (a) => a.requireAccess(g.query);
    case 'limit':
      return (a) => a.limitRequests();
    case 'recent':
      return (a) => a.requireRecentAuth(g.maxAge);
  }
}

/** Reads a Node request's body as JSON (an empty or non-JSON body is `{}`). */
export async function readJsonBody(
  req: AsyncIterable<Uint8Array> & { headers: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!String(req.headers['content-type']).startsWith('application/json') || text === '') return {};
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * A {@link Driver} over a Node server: it listens on a free loopback port, and each request goes through a real
 * socket with fetch (bodies as JSON, redirects not followed).
 */
export async function listeningDriver(
  server: Server,
  onClose?: () => Promise<void>,
): Promise<Driver> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    async send(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers,
        redirect: 'manual',
        ...(body === undefined ? {} : { body }),
      });
      return readResponse(response);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await onClose?.();
    },
  };
}

/** Whether an answer carries the caching rule of a session-dependent answer. */
function expectPrivate(reply: { headers: Headers }, what: string): void {
  const vary = (reply.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());
  expect(vary, `${what}: Vary`).toContain('cookie');
  expect(reply.headers.get('cache-control'), `${what}: Cache-Control`).toBe('private, no-store');
}

/** Runs the shared scenarios on one framework's app (see the module's comment). */
export function runAdapterScenarios(name: string, makeDriver: MakeDriver): void {
  describe(`${name}: the shared adapter scenarios (cookies, fixation, CSRF)`, () => {
    const h = adapterHarness(makeDriver);

    it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, no Domain; __Host- and Secure on https', async () => {
      const { env, d, jar } = await h.start();
      const cookie = jar.take(await d.send('GET', '/login'));
      expect(cookie).toMatchObject({
        name: 'azsession',
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
      });
      expect(cookie?.domain).toBeUndefined();
      expect(cookie?.secure).toBeUndefined();
      expect(cookie?.maxAge).toBeGreaterThan(0);
      const https = createWebAuth({ client: env.client, origin: APP_HTTPS });
      const secure = await h.swap(https);
      const prefixed = new Jar(https.cookieName(true));
      const hostCookie = prefixed.take(await secure.send('GET', '/login'));
      expect(hostCookie).toMatchObject({ name: '__Host-azsession', secure: true, path: '/' });
      expect(hostCookie?.domain).toBeUndefined();
    });

    it('log-in replaces the session (no fixation); log-out ends it and clears the cookie', async () => {
      const { env, d, jar } = await h.start();
      jar.take(await d.send('GET', '/login'));
      const before = jar.value as string;
      await h.logIn(d, jar, env);
      expect(jar.value).not.toBe(before);
      const me = await d.send('GET', '/whoami', { headers: jar.header() });
      expect(me.json()).toMatchObject({ session: 'user', via: 'session' });
      const old = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${before}` } });
      expect(old.json()['session']).toBe('none');
      expect(old.cookies.find((c) => c.name === 'azsession')?.maxAge).toBe(0);

      const token = jar.value as string;
      const out = await d.send('POST', '/logout', { headers: { ...jar.header(), ...SAME } });
      expect(out.status).toBe(200);
      expect(out.cookies.find((c) => c.name === 'azsession')).toMatchObject({
        value: '',
        maxAge: 0,
      });
      const after = await d.send('GET', '/whoami', { headers: { cookie: `azsession=${token}` } });
      expect(after.json()['session']).toBe('none');
    });

    it('refuses a cross-site POST with the session cookie (403 csrf) before the handler runs', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      for (const headers of [{ origin: EVIL }, { referer: `${EVIL}/page` }, {}]) {
        const refused = await d.send('POST', '/logout', {
          headers: { ...jar.header(), ...headers, accept: 'application/json' },
        });
        expect(refused.status).toBe(403);
        expect(refused.json()['error']).toBe('csrf');
        expect(refused.cookies).toHaveLength(0);
      }
      // The handler never ran: the session is alive.
      expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
        'user',
      );
      const same = await d.send('POST', '/whoami', { headers: { ...jar.header(), ...SAME } });
      expect(same.status).toBe(200);
    });

    it('marks session-dependent answers Vary: Cookie and Cache-Control: private, no-store', async () => {
      const { env, d, jar } = await h.start();
      const login = await h.logIn(d, jar, env);
      expectPrivate(login, 'the log-in answer');
      expectPrivate(await d.send('GET', '/whoami', { headers: jar.header() }), 'a page of a user');
      expectPrivate(await d.send('GET', '/api/data', { headers: jar.header() }), 'a guarded page');
      const out = await d.send('POST', '/logout', { headers: { ...jar.header(), ...SAME } });
      expectPrivate(out, 'the log-out answer');
    });
  });

  describe(`${name}: the shared adapter scenarios (faults, API keys, guards, client IP)`, () => {
    const h = adapterHarness(makeDriver);

    it('fails closed when the auth server fails: 503, or 429 with Retry-After; never let in, cookie kept', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
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
        expect(reply.status, fault.kind).toBe(status);
        if (status === 429) expect(reply.headers.get('retry-after')).toBe('180');
        expect(reply.text).not.toContain('"session"');
        expect(reply.cookies).toHaveLength(0);
      }
      expect(env.server.pendingFaults()).toBe(0);
      expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(200);
    });

    it('fails closed when the auth server is down (503, cookie kept), and the user is back when it answers', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const dead = await createTestServer();
      const deadUrl = dead.url;
      await dead.close();
      const client = new Authnzerver({ url: deadUrl, secret: env.server.secret, retry: false });
      const down = await h.swap(createWebAuth({ client, origin: APP }));
      try {
        const reply = await down.send('GET', '/api/data', { headers: jar.header() });
        expect(reply.status).toBe(503);
        expect(reply.cookies).toHaveLength(0);
        const logout = await down.send('POST', '/logout', {
          headers: { ...jar.header(), ...SAME },
        });
        expect(logout.status).toBe(503);
        expect(logout.cookies).toHaveLength(0);
      } finally {
        await client.close();
      }
      const back = await h.swap(env.auth);
      expect(
        (await back.send('GET', '/api/data', { headers: jar.header() })).json()['session'],
      ).toBe('user');
    });

    it('API keys: issued to a user, accepted as Bearer (CSRF-exempt), refused when forged (RFC 6750)', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const issued = await d.send('POST', '/keys', {
        headers: { ...jar.header(), ...SAME },
        body: {},
      });
      expect(issued.status).toBe(200);
      const { token } = issued.json<{ value: { token: string } }>().value;
      const bearer = { authorization: `Bearer ${token}` };
      const get = await d.send('GET', '/api/data', { headers: bearer });
      expect(get.status).toBe(200);
      expect(get.json()).toMatchObject({ via: 'apikey', session: 'none' });
      expect(
        (await d.send('POST', '/api/data', { headers: { ...bearer, origin: EVIL } })).status,
      ).toBe(200);
      expect((await d.send('GET', '/api/key-only', { headers: bearer })).status).toBe(200);
      const cookieOnly = await d.send('GET', '/api/key-only', { headers: jar.header() });
      expect(cookieOnly.status).toBe(401);
      expect(cookieOnly.headers.get('www-authenticate')).toBe('Bearer');
      const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
      const calls = env.count('apikey-verify');
      const forged = await d.send('GET', '/api/data', {
        headers: { authorization: `Bearer ${flipped}` },
      });
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(forged.text).not.toContain(flipped);
      expect(env.count('apikey-verify')).toBe(calls);
    });

    it('guards: 401 without a user, 403 for a role or access the user lacks, JSON to JSON clients', async () => {
      const { env, d, jar } = await h.start();
      const none = await d.send('GET', '/api/data');
      expect(none.status).toBe(401);
      expect(none.text).not.toContain('"session"');
      expectPrivate(none, 'a refusal');
      jar.take(await d.send('GET', '/login'));
      expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(401);
      await h.logIn(d, jar, env);
      expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(200);
      const admin = await d.send('GET', '/admin', {
        headers: { ...jar.header(), accept: 'application/json' },
      });
      expect(admin.status).toBe(403);
      expect(admin.json()['error']).toBe('forbidden');
      const text = await d.send('GET', '/admin', {
        headers: { ...jar.header(), accept: 'text/html' },
      });
      expect(text.status).toBe(403);
      expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
      expect((await d.send('GET', '/others-private', { headers: jar.header() })).status).toBe(403);
      expect((await d.send('GET', '/public', { headers: jar.header() })).status).toBe(200);
      const root = new Jar(jar.name);
      await h.logIn(d, root, env, 'root@example.com', 'superuser');
      expect((await d.send('GET', '/admin', { headers: root.header() })).status).toBe(200);
    });

    it('the client IP is the socket peer; X-Forwarded-For counts only through trustProxy', async () => {
      const forwarded = { 'x-forwarded-for': '203.0.113.9' };
      const { env, d } = await h.start();
      expect((await d.send('GET', '/whoami', { headers: forwarded })).json()['clientIp']).toBe(
        '127.0.0.1',
      );
      const proxied = await h.swap(
        createWebAuth({ client: env.client, origin: APP, trustProxy: ['127.0.0.1'] }),
      );
      expect(
        (await proxied.send('GET', '/whoami', { headers: forwarded })).json()['clientIp'],
      ).toBe('203.0.113.9');
    });
  });
}
