/**
 * The session lifetime policy through every adapter on the in-memory server, on a controlled clock shared by the
 * web core and the server: remember-me (a persistent cookie and a long session, or a browser-session cookie and a
 * short one), the idle timeout (refused and deleted; with the cache on too), "last seen" written at most once per
 * interval, the absolute lifetime that activity does not extend, and bad log-in options refused with nothing sent.
 * Then, on contexts of their own: two processes with caches, and a touch the server fails. Token rotation is in
 * `rotation.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { createWebAuth, type WebAuth } from '../../src/web/index.js';
import { FRAMEWORKS } from './apps.js';
import { context } from './contexts.js';
import { APP, PASSWORD, setup, type WebSetup } from './helpers.js';
import { clockedHarness, logInWith, stored, whoami } from './lifetime-kit.js';

const HOUR = 3600;
const DAY = 86_400;

describe.each(FRAMEWORKS)('%s adapter: remember-me', (_name, makeDriver) => {
  const h = clockedHarness(makeDriver);

  it('remember: a persistent cookie and a 30-day session; az_remember and az_seen recorded', async () => {
    const c = await h.start();
    const cookie = c.jar.take(await logInWith(c, { remember: true }));
    expect(cookie?.maxAge).toBe(30 * DAY);
    expect(cookie?.expires?.getTime()).toBe(Math.floor(c.clock.ms / 1000) * 1000 + 30 * DAY * 1000);
    const row = stored(c.env, c.jar.value);
    expect(Date.parse(`${row?.expires ?? ''}Z`)).toBe(c.clock.ms + 30 * DAY * 1000);
    expect(row?.extra_info_json).toEqual({
      az_seen: Math.floor(c.clock.ms / 1000),
      az_remember: true,
    });
  });

  it('without remember: a browser-session cookie (no Expires, no Max-Age) and a 12-hour session', async () => {
    const c = await h.start();
    const reply = await logInWith(c);
    const raw = reply.headers.getSetCookie().find((v) => v.startsWith('azsession='));
    expect(raw).toBeDefined();
    expect(raw).not.toMatch(/expires=/i);
    expect(raw).not.toMatch(/max-age=/i);
    const row = stored(c.env, c.jar.value);
    expect(Date.parse(`${row?.expires ?? ''}Z`)).toBe(c.clock.ms + 12 * HOUR * 1000);
    expect(row?.extra_info_json).toMatchObject({ az_remember: false });
  });

  it('rememberMe: false gives the ordinary session whatever the log-in asks', async () => {
    const c = await h.start({ sessions: { rememberMe: false } });
    const reply = await logInWith(c, { remember: true });
    const raw = reply.headers.getSetCookie().find((v) => v.startsWith('azsession='));
    expect(raw).not.toMatch(/max-age=/i);
    expect(stored(c.env, c.jar.value)?.extra_info_json).toMatchObject({ az_remember: false });
  });

  it('a remember that is not a boolean is refused, naming it, and nothing is sent', async () => {
    const c = await h.start();
    c.env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    for (const options of [{ remember: 'yes' }, { remember: 1 }, 'remember']) {
      const reply = await c.d.send('POST', '/session/login', {
        headers: { origin: APP },
        body: { email: 'ada@example.com', password: PASSWORD, options },
      });
      expect(reply.status).toBe(400);
      expect(reply.json()['code']).toBe('invalid-input');
      expect(String(reply.json()['message'])).toMatch(/remember|login options/);
    }
    expect(c.env.server.received).toHaveLength(0);
  });
});

describe.each(FRAMEWORKS)('%s adapter: the idle timeout', (_name, makeDriver) => {
  const h = clockedHarness(makeDriver);

  it('an idle session that comes back after the timeout is refused, its cookie cleared, and deleted', async () => {
    const c = await h.start();
    await logInWith(c);
    const token = c.jar.value;
    c.clock.advance(30 * 60 - 1);
    expect((await whoami(c)).kind).toBe('user'); // just inside: seen again now
    c.clock.advance(30 * 60 + 1);
    const back = await whoami(c);
    expect(back.kind).toBe('none');
    expect(back.reply.cookies.find((k) => k.name === 'azsession')?.maxAge).toBe(0);
    expect(stored(c.env, token)).toBeUndefined();
    // The old cookie, sent again, finds nothing either.
    const again = await c.d.send('GET', '/whoami', { headers: { cookie: `azsession=${token}` } });
    expect(again.json()['session']).toBe('none');
  });

  it('a remembered session has the longer idle timeout (7 days), then is refused too', async () => {
    const c = await h.start();
    await logInWith(c, { remember: true });
    const token = c.jar.value;
    c.clock.advance(6 * DAY);
    expect((await whoami(c)).kind).toBe('user');
    c.clock.advance(7 * DAY + 1);
    expect((await whoami(c)).kind).toBe('none');
    expect(stored(c.env, token)).toBeUndefined();
  });

  it('last seen is written at most once per touchSeconds, never on every request', async () => {
    const c = await h.start();
    await logInWith(c);
    const edits = (): number => c.env.count('internal-session-edit');
    for (let i = 0; i < 10; i++) {
      c.clock.advance(5);
      expect((await whoami(c)).kind).toBe('user');
    }
    expect(edits()).toBe(0); // 50 s: under the 60 s interval
    c.clock.advance(11);
    await whoami(c);
    expect(edits()).toBe(1);
    expect(stored(c.env, c.jar.value)?.extra_info_json).toMatchObject({
      az_seen: Math.floor(c.clock.ms / 1000),
    });
    for (let i = 0; i < 10; i++) await whoami(c);
    expect(edits()).toBe(1);
    // A user active every 20 minutes stays logged in well past the 30-minute idle timeout.
    for (let i = 0; i < 6; i++) {
      c.clock.advance(20 * 60);
      expect((await whoami(c)).kind).toBe('user');
    }
    expect(edits()).toBe(7);
  });

  it('with the cache on, a cached answer cannot serve a session past its idle timeout', async () => {
    const c = await h.start({ cache: { ttlMs: 24 * HOUR * 1000 } });
    await logInWith(c);
    const token = c.jar.value;
    expect((await whoami(c)).kind).toBe('user');
    const looked = c.env.count('session-exists');
    expect((await whoami(c)).kind).toBe('user');
    expect(c.env.count('session-exists')).toBe(looked); // served from the cache
    c.clock.advance(31 * 60);
    expect((await whoami(c)).kind).toBe('none');
    expect(stored(c.env, token)).toBeUndefined();
  });

  it('idleSeconds: false turns the idle timeout off, and nothing is written', async () => {
    const c = await h.start({ sessions: { idleSeconds: false } });
    await logInWith(c);
    c.clock.advance(11 * HOUR);
    expect((await whoami(c)).kind).toBe('user');
    expect(c.env.count('internal-session-edit')).toBe(0);
  });
});

describe.each(FRAMEWORKS)('%s adapter: the absolute lifetime', (_name, makeDriver) => {
  const h = clockedHarness(makeDriver);

  it('an active session still ends at its expiry: touching never extends it', async () => {
    const c = await h.start({ sessions: { userSeconds: HOUR, idleSeconds: 15 * 60 } });
    await logInWith(c);
    const token = c.jar.value;
    const expires = stored(c.env, token)?.expires;
    for (let i = 0; i < 5; i++) {
      c.clock.advance(10 * 60);
      expect((await whoami(c)).kind).toBe('user');
    }
    expect(c.env.count('internal-session-edit')).toBe(5);
    expect(stored(c.env, token)?.expires).toBe(expires);
    c.clock.advance(10 * 60 + 1);
    expect((await whoami(c)).kind).toBe('none');
  });
});

/** Two web cores ("processes") with long caches on one test server, sharing a controlled clock. */
async function twoProcesses(): Promise<{
  env: WebSetup;
  other: WebAuth;
  clock: { ms: number };
  session: () => Promise<string>;
}> {
  const clock = { ms: Date.now() };
  const now = (): number => clock.ms;
  const cache = { ttlMs: DAY * 1000 };
  const env = await setup({ now, cache }, { now });
  const other = createWebAuth({ client: env.client, origin: APP, now, cache });
  env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
  const session = async (): Promise<string> => {
    const anon = await context(env.auth, { method: 'POST', headers: { origin: APP } });
    expect((await anon.login('ada@example.com', PASSWORD)).ok).toBe(true);
    return (anon.setCookies.at(-1) as string).split(';')[0]?.split('=')[1] as string;
  };
  return { env, other, clock, session };
}

describe('the lifetime policy across processes, and when the server fails', () => {
  it("a cached answer older than another process's touch is checked again before the session ends", async () => {
    const { env, other, clock, session } = await twoProcesses();
    try {
      const token = await session();
      const cookie = { headers: { cookie: `azsession=${token}` } };
      expect((await context(other, cookie)).session.kind).toBe('user'); // cached here: seen at log-in
      clock.ms += 29 * 60_000;
      expect((await context(env.auth, cookie)).session.kind).toBe('user'); // the first process touches
      expect(env.count('internal-session-edit')).toBe(1);
      clock.ms += 2 * 60_000;
      const looked = env.count('session-exists');
      // By its cache the session is idle; the server says it was seen two minutes ago.
      expect((await context(other, cookie)).session.kind).toBe('user');
      expect(env.count('session-exists')).toBe(looked + 1);
      expect(stored(env, token)).toBeDefined();
    } finally {
      await env.close();
    }
  });

  it('a session without az_seen (made before the policy) starts its idle clock at its first request', async () => {
    const { env, clock } = await twoProcesses();
    try {
      const user = env.server.authnzerver.findUser('ada@example.com');
      const made = await env.client.sessionNew({
        ip_address: '127.0.0.1',
        user_agent: '',
        user_id: user?.user_id ?? 0,
        expires: new Date(clock.ms + DAY * 1000).toISOString().replace('Z', '000'),
        extra_info_json: null,
        client_ipaddr: '127.0.0.1',
      });
      const token = (made.response as { session_token: string }).session_token;
      const cookie = { headers: { cookie: `azsession=${token}` } };
      clock.ms += 2 * HOUR * 1000;
      expect((await context(env.auth, cookie)).session.kind).toBe('user');
      expect(stored(env, token)?.extra_info_json).toEqual({ az_seen: Math.floor(clock.ms / 1000) });
      clock.ms += 31 * 60_000;
      expect((await context(env.auth, cookie)).session.kind).toBe('none');
    } finally {
      await env.close();
    }
  });

  it('a touch the server fails does not fail the request; the next request writes it', async () => {
    const { env, clock, session } = await twoProcesses();
    try {
      const token = await session();
      const cookie = { headers: { cookie: `azsession=${token}` } };
      clock.ms += 61_000;
      env.server.fault({ kind: 'status', status: 500 }); // the touch (session-exists is cached)
      expect((await context(env.auth, cookie)).session.kind).toBe('user');
      expect(env.server.pendingFaults()).toBe(0);
      expect(stored(env, token)?.extra_info_json).toMatchObject({
        az_seen: Math.floor((clock.ms - 61_000) / 1000),
      });
      expect((await context(env.auth, cookie)).session.kind).toBe('user');
      expect(stored(env, token)?.extra_info_json).toMatchObject({
        az_seen: Math.floor(clock.ms / 1000),
      });
    } finally {
      await env.close();
    }
  });
});
