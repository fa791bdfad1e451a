/**
 * Token rotation through every adapter on the in-memory server, on a controlled clock: past the fraction of its
 * lifetime a session gets a new token with the same expiry and data (so nothing extends it), the old token works
 * for the grace only (requests in flight), then is refused and deleted; concurrent requests share one rotation.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from './apps.js';
import { APP, Jar } from './helpers.js';
import { clockedHarness, logInWith, stored, whoami } from './lifetime-kit.js';

const HOUR = 3600;
const POLICY = { userSeconds: HOUR, idleSeconds: 40 * 60, rotation: {} } as const;

describe.each(FRAMEWORKS)('%s adapter: token rotation', (_name, makeDriver) => {
  const h = clockedHarness(makeDriver);

  it('past half the lifetime the token changes; the old one works for the grace, then is refused and deleted', async () => {
    const c = await h.start({ sessions: POLICY });
    await logInWith(c);
    const old = c.jar.value as string;
    const before = stored(c.env, old);
    c.clock.advance(29 * 60);
    expect((await whoami(c)).kind).toBe('user');
    expect(c.jar.value).toBe(old); // not yet
    c.clock.advance(60 + 1);
    const rotated = await whoami(c);
    expect(rotated.kind).toBe('user');
    const fresh = c.jar.value as string;
    expect(fresh).not.toBe(old);
    // A browser-session cookie still, and the same expiry on the server: rotation extends nothing.
    const raw = rotated.reply.headers.getSetCookie().find((v) => v.startsWith('azsession='));
    expect(raw).not.toMatch(/max-age=/i);
    expect(stored(c.env, fresh)?.expires).toBe(before?.expires);
    expect(stored(c.env, fresh)?.extra_info_json).toMatchObject({ az_remember: false });
    expect(stored(c.env, old)?.extra_info_json).toMatchObject({
      az_rotated: Math.floor(c.clock.ms / 1000),
    });

    // A request in flight with the old token, inside the 30-second grace: served, and no cookie is set.
    const inFlight = new Jar('azsession');
    inFlight.value = old;
    c.clock.advance(20);
    const late = await whoami(c, inFlight);
    expect(late.kind).toBe('user');
    expect(late.reply.cookies).toHaveLength(0);

    c.clock.advance(11);
    expect((await whoami(c, inFlight)).kind).toBe('none');
    expect(stored(c.env, old)).toBeUndefined();
    expect((await whoami(c)).kind).toBe('user');
    expect(c.jar.value).toBe(fresh); // the new token is not rotated again before its session ends
    c.clock.advance(29 * 60);
    expect((await whoami(c)).kind).toBe('user');
    c.clock.advance(60);
    expect((await whoami(c)).kind).toBe('none'); // the absolute lifetime, one hour after log-in
  });

  it('the process deletes a rotated-out token after its grace even if it never comes back', async () => {
    const c = await h.start({ sessions: POLICY });
    await logInWith(c, { remember: true });
    const old = c.jar.value as string;
    c.clock.advance(15 * 24 * HOUR + 1); // half the remembered 30 days
    expect((await whoami(c)).kind).toBe('none'); // idle for longer than 7 days: refused, not rotated
    await logInWith(c, { remember: true });
    const second = c.jar.value as string;
    const expires = stored(c.env, second)?.expires;
    for (let day = 0; day < 15; day++) {
      c.clock.advance(24 * HOUR);
      expect((await whoami(c)).kind).toBe('user');
    }
    const third = c.jar.value as string;
    expect(third).not.toBe(second);
    expect(stored(c.env, third)?.expires).toBe(expires);
    expect(stored(c.env, second)).toBeDefined(); // in its grace
    c.clock.advance(31);
    expect((await whoami(c)).kind).toBe('user'); // the new token's request deletes the old one
    expect(stored(c.env, second)).toBeUndefined();
    expect(stored(c.env, old)).toBeUndefined();
  });

  it('concurrent requests past the threshold share one rotation and one new session', async () => {
    const c = await h.start({ sessions: POLICY });
    await logInWith(c);
    c.clock.advance(31 * 60);
    const made = c.env.count('session-new');
    const replies = await Promise.all(
      [0, 1, 2].map(() => c.d.send('GET', '/whoami', { headers: c.jar.header() })),
    );
    expect(replies.map((r) => r.json()['session'])).toEqual(['user', 'user', 'user']);
    expect(c.env.count('session-new')).toBe(made + 1);
    const tokens = new Set(
      replies.flatMap((r) => r.cookies.filter((k) => k.name === 'azsession').map((k) => k.value)),
    );
    expect(tokens.size).toBe(1);
  });

  it('rotation off (the default): the token never changes', async () => {
    const c = await h.start({ sessions: { userSeconds: HOUR, idleSeconds: 40 * 60 } });
    await logInWith(c);
    const token = c.jar.value;
    for (let i = 0; i < 5; i++) {
      c.clock.advance(11 * 60);
      expect((await whoami(c)).kind).toBe('user');
    }
    expect(c.jar.value).toBe(token);
    expect(c.env.count('session-new')).toBe(1 + 1); // the log-in's anonymous session, then the user's
  });

  it('keeps the session data across a rotation', async () => {
    const c = await h.start({ sessions: POLICY });
    await logInWith(c);
    const set = await c.d.send('POST', '/session/data', {
      headers: { ...c.jar.header(), origin: APP },
      body: { patch: { theme: 'dark' } },
    });
    expect(set.status).toBe(200);
    const token = c.jar.value;
    c.clock.advance(31 * 60);
    await whoami(c);
    expect(c.jar.value).not.toBe(token);
    const data = await c.d.send('GET', '/session/data', { headers: c.jar.header() });
    expect(data.json()['data']).toEqual({ theme: 'dark' });
  });
});
