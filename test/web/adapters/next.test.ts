/**
 * `authnzerver/next` beyond the shared scenarios (which run its route-handler wrapper through test/web/apps.ts):
 * the proxy with a real `NextRequest` and `NextResponse.next()`, what it forwards to the render (read from the
 * response the way Next's server reads it: `x-middleware-override-headers` and `x-middleware-request-*`), the
 * sealed state and the attacks on it, the cache policy, the client IP without a socket, and the options.
 */
import { NextRequest } from 'next/server.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { generateFernetKey } from '../../../src/crypto/fernet.js';
import { WebFernet } from '../../../src/crypto/fernet-web.js';
import {
  createNextAuth,
  forwardCookies,
  requireUser,
  STATE_HEADER,
  type NextAuthOptions,
} from '../../../src/web/adapters/next.js';
import type { WebAuthOptions } from '../../../src/web/index.js';
import { APP, PASSWORD, setup, type WebSetup } from '../helpers.js';

let env: WebSetup | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** A test server, a web core on it, and its Next.js side with a clock the test moves. */
async function start(
  options: Partial<NextAuthOptions> = {},
  web: Partial<Omit<WebAuthOptions, 'client'>> = {},
) {
  env = await setup(web);
  const clock = { ms: Date.now() };
  const stateSecret = generateFernetKey();
  const next = createNextAuth(env.auth, { stateSecret, now: () => clock.ms, ...options });
  return { env, next, clock, stateSecret };
}

/** The request headers Next's server gives the render after the proxy's `NextResponse.next({ request })`. */
function forwarded(response: Response): Headers {
  const names = response.headers.get('x-middleware-override-headers');
  expect(names, 'the proxy let the request through').not.toBeNull();
  const headers = new Headers();
  for (const name of (names as string).split(',')) {
    const value = response.headers.get(`x-middleware-request-${name}`);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`${APP}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
  });
}

/** Logs a user in through a route handler; gives the cookie header that carries the session. */
async function logIn(
  s: WebSetup,
  next: ReturnType<typeof createNextAuth>,
  email = 'ada@example.com',
): Promise<string> {
  if (s.server.authnzerver.findUser(email) === undefined) {
    s.server.authnzerver.addUser({ email, password: PASSWORD });
  }
  const handler = next.withAuth(async (_r, { auth }) => {
    const result = await auth.login(email, PASSWORD);
    return Response.json({ ok: result.ok });
  });
  const response = await handler(
    request('/login', { method: 'POST', headers: { origin: APP } }),
    {},
  );
  const cookie = response.headers.getSetCookie().at(-1);
  expect(cookie).toBeDefined();
  return (cookie as string).split(';')[0] as string;
}

describe('authnzerver/next: the proxy hands the render a sealed state', () => {
  it('forwards the session it read, sealed, and the render reads it back', async () => {
    const { env: s, next } = await start();
    const cookie = await logIn(s, next);
    const response = await next.proxy(request('/account', { headers: { cookie } }));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    const headers = forwarded(response);
    expect(headers.get(STATE_HEADER)).toMatch(/^gAAAAA/);
    // The state is sealed: neither the email nor the session token is readable in the header.
    expect(headers.get(STATE_HEADER)).not.toContain('ada');
    const state = await next.readState(headers);
    expect(state.session.kind).toBe('user');
    expect(state.session.kind === 'user' && state.session.email).toBe('ada@example.com');
    expect(state.user?.via).toBe('session');
    expect(state.origin).toBe(APP);
    expect(Object.isFrozen(state)).toBe(true);
  });

  it('ATTACK: a state header a client sends is dropped by the proxy, whatever it holds', async () => {
    const { env: s, next } = await start();
    // The attacker got hold of a real sealed header of Ada's (e.g. a page that echoed request headers) ...
    const adaCookie = await logIn(s, next);
    const adas = forwarded(await next.proxy(request('/', { headers: { cookie: adaCookie } })));
    const stolen = adas.get(STATE_HEADER) as string;
    // ... and sends it with no cookie, with its own session, and as a made-up value.
    const eveCookie = await logIn(s, next, 'eve@example.com');
    for (const cookie of [undefined, eveCookie]) {
      for (const value of [stolen, 'gAAAAAforged', '{"s":{"kind":"user"}}']) {
        const response = await next.proxy(
          request('/account', {
            headers: { [STATE_HEADER]: value, ...(cookie === undefined ? {} : { cookie }) },
          }),
        );
        const headers = forwarded(response);
        expect(headers.get(STATE_HEADER)).not.toBe(value);
        const state = await next.readState(headers);
        if (cookie === undefined) expect(state.session.kind).toBe('none');
        else expect(state.session.kind === 'user' && state.session.email).toBe('eve@example.com');
      }
    }
  });

  it('ATTACK: without the proxy, getAuth refuses a header that is forged, replayed, expired or foreign', async () => {
    const { env: s, next, clock, stateSecret } = await start();
    const adaCookie = await logIn(s, next);
    const headers = forwarded(await next.proxy(request('/', { headers: { cookie: adaCookie } })));
    const sealed = headers.get(STATE_HEADER) as string;
    const refused = /refused the auth state header/;

    // No header at all: the proxy did not run.
    await expect(next.readState(new Headers())).rejects.toThrow(/the proxy did not run/);
    // Made up, or sealed under another key (a well-formed state that claims a superuser).
    const claim = JSON.stringify({
      ver: 1,
      ip: '1.2.3.4',
      origin: APP,
      cn: 'azsession',
      b: 'x'.repeat(43),
      s: { kind: 'user', userId: 1, role: 'superuser', email: 'admin@example.com' },
      u: { userId: 1, role: 'superuser', via: 'session', email: 'admin@example.com' },
    });
    const foreign = await new WebFernet(generateFernetKey()).encrypt(claim);
    for (const value of ['garbage', foreign, sealed.slice(0, -4) + 'AAAA']) {
      await expect(next.readState(new Headers({ [STATE_HEADER]: value }))).rejects.toThrow(refused);
    }
    // Ada's real header, replayed without her cookie, or with another session's cookie.
    const eveCookie = await logIn(s, next, 'eve@example.com');
    for (const cookie of [undefined, eveCookie, 'azsession=forged']) {
      const replay = new Headers({ [STATE_HEADER]: sealed });
      if (cookie !== undefined) replay.set('cookie', cookie);
      await expect(next.readState(replay)).rejects.toThrow(refused);
    }
    // With an API key added (the binding covers Authorization too).
    const withKey = new Headers(headers);
    withKey.set('authorization', 'Bearer something');
    await expect(next.readState(withKey)).rejects.toThrow(refused);
    // With her cookie, it opens; a minute later it has expired.
    await expect(next.readState(headers)).resolves.toMatchObject({ session: { kind: 'user' } });
    clock.ms += 61_000;
    await expect(next.readState(headers)).rejects.toThrow(refused);
    // Another app's proxy (another state secret) cannot feed this one.
    const other = createNextAuth(s.auth, { stateSecret: generateFernetKey() });
    const fresh = forwarded(await other.proxy(request('/', { headers: { cookie: adaCookie } })));
    await expect(next.readState(fresh)).rejects.toThrow(refused);
    expect(stateSecret).not.toBe('');
  });

  it('forwards the cookies it sets, so the render sees the session the browser will have', async () => {
    const { next } = await start({ anonymous: true });
    const response = await next.proxy(request('/', { headers: { cookie: 'theme=dark' } }));
    const set = response.headers.getSetCookie();
    expect(set).toHaveLength(1);
    const made = (set[0] as string).split(';')[0] as string;
    const headers = forwarded(response);
    expect(headers.get('cookie')).toBe(`theme=dark; ${made}`);
    expect((await next.readState(headers)).session.kind).toBe('anonymous');
    // A route handler behind the proxy reads the forwarded cookie: the same session, no second one.
    let seen = '';
    const handler = next.withAuth((_r, { auth }) => {
      seen = auth.session.kind;
      return new Response('ok');
    });
    const after = await handler(new NextRequest(`${APP}/api`, { headers }), {});
    expect(seen).toBe('anonymous');
    expect(after.headers.getSetCookie()).toEqual([]);
  });

  it('forwards the clearing of a refused cookie: the render sees no session cookie', async () => {
    const { next } = await start({}, { cookie: { signingSecret: 'k'.repeat(32) } });
    const response = await next.proxy(
      request('/', { headers: { cookie: 'a=1; azsession=forged.sig; b=2' } }),
    );
    expect(response.headers.getSetCookie().join()).toMatch(/azsession=;.*Max-Age=0/i);
    const headers = forwarded(response);
    expect(headers.get('cookie')).toBe('a=1; b=2');
    expect((await next.readState(headers)).session.kind).toBe('none');
  });

  it('answers a refusal itself: a cross-origin POST with a cookie is 403, never cached', async () => {
    const { env: s, next } = await start();
    const cookie = await logIn(s, next);
    const response = await next.proxy(
      request('/account', {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.test' },
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('x-middleware-next')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('authnzerver/next: caching', () => {
  it('the proxy and route handlers follow the caching rule: Vary: Cookie, private, no-store when personal', async () => {
    const { env: s, next } = await start();
    const cookie = await logIn(s, next);
    const proxied = await next.proxy(request('/account', { headers: { cookie } }));
    expect(proxied.headers.get('vary')).toContain('Cookie');
    expect(proxied.headers.get('cache-control')).toBe('private, no-store');
    // A visitor's page through the proxy varies on Cookie, and keeps the caching Next gives it.
    const visitor = await next.proxy(request('/'));
    expect(visitor.headers.get('vary')).toContain('Cookie');
    expect(visitor.headers.get('cache-control')).toBeNull();
    const handler = next.withAuth(() => new Response('mine', { headers: { vary: 'Accept' } }), {
      guard: requireUser(),
    });
    for (const headers of [{ cookie }, {}]) {
      const response = await handler(request('/api/me', { headers }), {});
      expect(response.headers.get('vary')).toMatch(/Cookie/);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    }
    const ok = await handler(request('/api/me', { headers: { cookie } }), {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get('vary')).toBe('Accept, Cookie, Authorization');
    // A Response whose headers are immutable (Response.redirect) is copied, not lost.
    const redirect = next.withAuth(() => Response.redirect(`${APP}/login`, 303));
    const moved = await redirect(request('/x', { headers: { cookie } }), {});
    expect(moved.status).toBe(303);
    expect(moved.headers.get('cache-control')).toBe('private, no-store');
    // A refusal by the app's own failure handler is private too.
    const custom = createNextAuth(s.auth, {
      stateSecret: generateFernetKey(),
      onFailure: () => new Response('no', { status: 403 }),
    });
    const refused = await custom.proxy(
      request('/x', { method: 'POST', headers: { cookie, origin: 'https://evil.test' } }),
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get('cache-control')).toBe('private, no-store');
    expect(refused.headers.get('vary')).toBe('Cookie');
  });
});

describe('authnzerver/next: forwardCookies', () => {
  it('replaces, adds and removes cookies as the browser will', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(forwardCookies('a=1; s=old; b=2', ['s=new; Path=/; HttpOnly'], now)).toBe(
      'a=1; b=2; s=new',
    );
    expect(forwardCookies(null, ['s=v'], now)).toBe('s=v');
    expect(forwardCookies('a=1; s=old', ['s=; Max-Age=0'], now)).toBe('a=1');
    expect(forwardCookies('s=old', ['s=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], now)).toBe('');
    expect(forwardCookies('a=1', [], now)).toBe('a=1');
  });
});

describe('authnzerver/next: the client IP (Next exposes no socket)', () => {
  const ipOf = async (
    options: Partial<NextAuthOptions>,
    web: Partial<Omit<WebAuthOptions, 'client'>>,
    xff: string | undefined,
  ): Promise<string> => {
    const { next } = await start(options, web);
    const response = await next.proxy(
      request('/', { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }),
    );
    const ip = (await next.readState(forwarded(response))).clientIp;
    await env?.close();
    env = undefined;
    return ip;
  };

  it('is unknown (0.0.0.0) by default, and X-Forwarded-For is not believed', async () => {
    expect(await ipOf({}, {}, '6.6.6.6')).toBe('0.0.0.0');
    expect(await ipOf({}, { trustProxy: 1 }, '6.6.6.6')).toBe('0.0.0.0');
  });

  it("'forwarded': the last hop is the peer, and trustProxy walks the hops before it", async () => {
    expect(await ipOf({ remoteAddress: 'forwarded' }, {}, '6.6.6.6, 203.0.113.9')).toBe(
      '203.0.113.9',
    );
    expect(
      await ipOf(
        { remoteAddress: 'forwarded' },
        { trustProxy: ['10.0.0.0/8'] },
        '198.51.100.7, 10.1.2.3',
      ),
    ).toBe('198.51.100.7');
    expect(await ipOf({ remoteAddress: 'forwarded' }, {}, undefined)).toBe('0.0.0.0');
  });

  it('a function names the peer from the headers', async () => {
    expect(
      await ipOf({ remoteAddress: (h) => h.get('x-real-ip') ?? undefined }, {}, undefined),
    ).toBe('0.0.0.0');
    const { next } = await start({ remoteAddress: (h) => h.get('x-real-ip') ?? undefined });
    const response = await next.proxy(request('/', { headers: { 'x-real-ip': '192.0.2.5' } }));
    expect((await next.readState(forwarded(response))).clientIp).toBe('192.0.2.5');
  });
});

describe('authnzerver/next: options', () => {
  it('refuses unknown keys (did you mean), a missing or malformed stateSecret, without showing it', async () => {
    const { env: s } = await start();
    const make = (options: unknown) => () => createNextAuth(s.auth, options as NextAuthOptions);
    expect(make({ stateSecret: generateFernetKey(), anonymus: true })).toThrow(/anonymous/);
    expect(make({})).toThrow(ConfigError);
    expect(make({})).toThrow(/stateSecret is required/);
    try {
      make({ stateSecret: 'not-a-fernet-key-but-a-secret-value' })();
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).option).toBe('stateSecret');
      expect((error as Error).message).not.toContain('not-a-fernet-key');
    }
    const next = createNextAuth(s.auth, { stateSecret: generateFernetKey() });
    expect(() => next.withAuth(() => new Response(), { gaurd: requireUser() } as never)).toThrow(
      /guard/,
    );
  });
});
