/**
 * Session data (`context.data`, `context.setData`) through every adapter on the in-memory server: a merge written
 * with one `internal-session-edit`, `null` removing a key, the SDK's `az_` keys and data over
 * `sessions.maxDataBytes` refused with nothing sent, and one session never showing another's data; then, on a
 * context of its own, values that are not JSON, and the in-memory server's merge as the real server's.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from './apps.js';
import { context } from './contexts.js';
import { APP, Jar, PASSWORD, setup, type Reply } from './helpers.js';
import { clockedHarness, logInWith, stored, type Clocked } from './lifetime-kit.js';

/** Patches the session's data through the app. */
function patch(c: Clocked, body: unknown, jar: Jar = c.jar): Promise<Reply> {
  return c.d.send('POST', '/session/data', {
    headers: { ...jar.header(), origin: APP },
    body: { patch: body },
  });
}

/** The session's data as the app reads it. */
async function read(c: Clocked, jar: Jar = c.jar): Promise<unknown> {
  return (await c.d.send('GET', '/session/data', { headers: jar.header() })).json()['data'];
}

describe.each(FRAMEWORKS)('%s adapter: session data', (_name, makeDriver) => {
  const h = clockedHarness(makeDriver);

  it('merges a patch with one internal-session-edit; null removes a key; the az_ keys stay hidden', async () => {
    const c = await h.start();
    await logInWith(c);
    expect(await read(c)).toEqual({});
    const first = await patch(c, { theme: 'dark', cart: [1, 2], prefs: { a: 1 } });
    expect(first.status).toBe(200);
    expect(first.json()['value']).toEqual({ theme: 'dark', cart: [1, 2], prefs: { a: 1 } });
    expect(c.env.count('internal-session-edit')).toBe(1);
    await patch(c, { theme: null, cart: [3] });
    expect(await read(c)).toEqual({ cart: [3], prefs: { a: 1 } });
    const edits = c.env.server.received.filter((r) => r.type === 'internal-session-edit');
    expect(edits.at(-1)?.body).toMatchObject({ update_dict: { theme: '__delete__', cart: [3] } });
    expect(stored(c.env, c.jar.value)?.extra_info_json).toMatchObject({
      az_remember: false,
      cart: [3],
    });
    // Removing keys that are not there changes nothing, and sends nothing.
    const none = await patch(c, { absent: null });
    expect(none.json()['value']).toEqual({ cart: [3], prefs: { a: 1 } });
    expect(c.env.count('internal-session-edit')).toBe(2);
  });

  it('refuses az_ keys and data over the limit, naming them, and sends nothing', async () => {
    const c = await h.start({ sessions: { maxDataBytes: 64 } });
    await logInWith(c);
    for (const body of [{ az_seen: 0 }, { AZ_remember: true }, { ok: 1, az_rotated: 1 }]) {
      const reply = await patch(c, body);
      expect(reply.status).toBe(400);
      expect(reply.json()['code']).toBe('invalid-input');
      expect(String(reply.json()['message'])).toMatch(/az_ keys are the SDK's/);
    }
    const big = await patch(c, { note: 'x'.repeat(60) });
    expect(big.status).toBe(400);
    expect(String(big.json()['message'])).toMatch(
      /over the limit of 64 \(sessions\.maxDataBytes\)/,
    );
    for (const body of [[1], 'text', null, { value: '__delete__' }]) {
      expect((await patch(c, body)).status).toBe(400);
    }
    expect(c.env.count('internal-session-edit')).toBe(0);
    expect(stored(c.env, c.jar.value)?.extra_info_json).toEqual({
      az_seen: expect.any(Number) as number,
      az_remember: false,
    });
    // Up to the limit is fine; a removal brings it back under.
    expect((await patch(c, { note: 'x'.repeat(40) })).status).toBe(200);
    expect((await patch(c, { more: 'y'.repeat(30) })).status).toBe(400);
    expect((await patch(c, { note: null, more: 'y'.repeat(30) })).status).toBe(200);
  });

  it('never shows another session its data: two users, an anonymous visitor, a new log-in', async () => {
    const c = await h.start();
    await logInWith(c, undefined, 'ada@example.com');
    const bob = new Jar('azsession');
    await logInWith({ ...c, jar: bob }, undefined, 'bob@example.com');
    await patch(c, { owner: 'ada' });
    await patch(c, { owner: 'bob', secretish: 1 }, bob);
    expect(await read(c)).toEqual({ owner: 'ada' });
    expect(await read(c, bob)).toEqual({ owner: 'bob', secretish: 1 });
    const visitor = new Jar('azsession');
    visitor.take(await c.d.send('GET', '/login'));
    expect(await read(c, visitor)).toEqual({});
    // Log-out and log-in again: a new session, with no data.
    await c.d.send('POST', '/logout', { headers: { ...c.jar.header(), origin: APP } });
    await logInWith(c, undefined, 'ada@example.com');
    expect(await read(c)).toEqual({});
    // Without a session there is nothing to write to.
    const anon = await c.d.send('POST', '/session/data', {
      headers: { origin: APP },
      body: { patch: { a: 1 } },
    });
    expect(anon.status).toBe(400);
  });

  it('an API-key request has no session data, and cannot write any', async () => {
    const c = await h.start();
    await logInWith(c);
    await patch(c, { theme: 'dark' });
    const issued = await c.d.send('POST', '/keys', {
      headers: { ...c.jar.header(), origin: APP },
      body: { subject: '/session/' },
    });
    const key = issued.json<{ value: { token: string } }>().value.token;
    const bearer = { authorization: `Bearer ${key}` };
    c.clock.advance(5); // the server takes a key only once its clock has moved past the issue time
    const read = await c.d.send('GET', '/session/data', { headers: bearer });
    expect(read.json()).toMatchObject({ userId: expect.any(Number) as number, data: {} });
    const write = await c.d.send('POST', '/session/data', {
      headers: bearer,
      body: { patch: { theme: 'light' } },
    });
    expect(write.status).toBe(400);
    expect(c.env.count('internal-session-edit')).toBe(1);
  });
});

describe('session data on a context', () => {
  it('refuses values that are not JSON, and reads a left-over delete marker as absent', async () => {
    const env = await setup({ sessions: { maxDataBytes: 1024 } });
    try {
      env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const anon = await context(env.auth, { method: 'POST', headers: { origin: APP } });
      const login = await anon.login('ada@example.com', PASSWORD);
      expect(login.ok).toBe(true);
      const token = (anon.setCookies.at(-1) as string).split(';')[0]?.split('=')[1] as string;
      const ctx = await context(env.auth, { headers: { cookie: `azsession=${token}` } });
      const bad: [unknown, RegExp][] = [
        [{ f: () => 1 }, /"f" is a function/],
        [{ n: Number.NaN }, /not finite/],
        [{ d: new Date(0) }, /not plain/],
        [{ u: undefined }, /use null to remove/],
        [{ deep: { x: [{ y: 1n }] } }, /bigint/],
        [{ '': 1 }, /must not be empty/],
      ];
      for (const [value, why] of bad) {
        const result = await ctx.setData(value);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.failure.message).toMatch(why);
      }
      expect(env.count('internal-session-edit')).toBe(0);
      // The server stores the marker for a key that is not there (as the real one does): read as absent.
      await env.client.internalSessionEdit({
        target_session_token: token,
        update_dict: { gone: '__delete__', kept: 1 },
        client_ipaddr: '127.0.0.1',
      });
      const again = await context(env.auth, { headers: { cookie: `azsession=${token}` } });
      expect(again.data).toEqual({ kept: 1 });
      expect(Object.isFrozen(again.data)).toBe(true);
    } finally {
      await env.close();
    }
  });
});

describe("the in-memory server's internal-session-edit, as the real server's", () => {
  it('merges flat keys; "__delete__" removes a key that is there and is stored for one that is not', async () => {
    const env = await setup();
    try {
      const made = await env.client.sessionNew({
        ip_address: '127.0.0.1',
        user_agent: 'test',
        user_id: null,
        expires: new Date(Date.now() + 60_000).toISOString().replace('Z', '000'),
        extra_info_json: { a: 1, b: { c: 2 } },
        client_ipaddr: '127.0.0.1',
      });
      const token = (made.response as { session_token: string }).session_token;
      const edit = (update: Record<string, unknown>) =>
        env.client.internalSessionEdit({
          target_session_token: token,
          update_dict: update,
          client_ipaddr: '127.0.0.1',
        });
      const merged = await edit({ b: { d: 3 }, e: null });
      expect(merged.success).toBe(true);
      expect(stored(env, token)?.extra_info_json).toEqual({ a: 1, b: { d: 3 }, e: null });
      await edit({ a: '__delete__', z: '__delete__' });
      expect(stored(env, token)?.extra_info_json).toEqual({
        b: { d: 3 },
        e: null,
        z: '__delete__',
      });
      const empty = await edit({});
      expect(empty.success).toBe(false);
      const unknown = await env.client.internalSessionEdit({
        target_session_token: 'no-such-token-here',
        update_dict: { a: 1 },
        client_ipaddr: '127.0.0.1',
      });
      expect(unknown.success).toBe(false);
    } finally {
      await env.close();
    }
  });
});
