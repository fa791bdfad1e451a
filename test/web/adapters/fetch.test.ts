/**
 * The web core with no adapter, on web-standard `Request` and `Response` (as a fetch handler on Bun, Deno or
 * Workers uses it), and the Hono adapter with handlers that return their own `Response`.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import * as ho from '../../../src/web/adapters/hono.js';
import { createWebAuth, type WebAuth } from '../../../src/web/index.js';
import { APP, PASSWORD, setup } from '../helpers.js';

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
      // A user session without remember-me: a browser-session cookie (no Max-Age, no Expires).
      expect(set[0]).toMatch(/^azsession=(?!;)[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(set[0]?.split(';')[0]).not.toBe(cookie);
    } finally {
      await env.close();
    }
  });
});
