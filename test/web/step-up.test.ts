/**
 * Step-up and account deletion through each adapter on the in-memory authnzerver: the `requireRecentAuth` guard
 * refuses until the password is confirmed, and again once the confirmation is older than allowed (on the
 * injected clock); guessing the password of a held session ends it; deleting the account needs a recent
 * confirmation and the password, and then every session of the user is gone.
 */
import { describe, expect, it } from 'vitest';
import { createWebAuth } from '../../src/web/index.js';
import * as ex from '../../src/web/adapters/express.js';
import * as fa from '../../src/web/adapters/fastify.js';
import * as ho from '../../src/web/adapters/hono.js';
import { FRAMEWORKS } from './apps.js';
import { codeOf, expectLogin, post, sessionOf } from './account-helpers.js';
import { context } from './contexts.js';
import { adapterHarness, APP, Jar, PASSWORD, setup } from './helpers.js';

describe.each(FRAMEWORKS)('%s adapter: step-up and account deletion', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('the guard needs a recent confirmation, which lapses on the clock', async () => {
    let now = Date.now();
    const { env, d, jar } = await h.start({ now: () => now });
    expect((await post(d, jar, '/sensitive', {})).status).toBe(401);
    await h.logIn(d, jar, env);
    const before = await post(d, jar, '/sensitive', {});
    expect(before.status).toBe(403);
    expect(before.text).toMatch(/reauthenticate|confirm your password/i);
    const wrong = await post(d, jar, '/confirm', { password: 'not it at all' });
    expect(codeOf(wrong)).toBe('rejected');
    expect((await post(d, jar, '/sensitive', {})).status).toBe(403);
    expect((await post(d, jar, '/confirm', { password: PASSWORD })).status).toBe(200);
    const stored = env.server.authnzerver.listSessions().find((s) => s.user_id !== 2);
    expect((stored?.extra_info_json as Record<string, unknown>)['az_confirmed']).toBe(
      Math.floor(now / 1000),
    );
    expect((await post(d, jar, '/sensitive', {})).status).toBe(200);
    now += 301_000;
    expect((await post(d, jar, '/sensitive', {})).status).toBe(403);
  });

  it('five wrong passwords in a row end the session', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    for (let i = 1; i < 5; i++) {
      const reply = await post(d, jar, '/confirm', { password: `guess number ${i}` });
      expect(reply.status).toBe(400);
    }
    const fifth = await post(d, jar, '/confirm', { password: 'guess number 5' });
    expect(fifth.status).toBe(401);
    expect(jar.value).toBeUndefined();
    expect(await sessionOf(d, jar)).toBe('none');
  });

  it('deletion needs a recent confirmation and the password; then every session is gone', async () => {
    let now = Date.now();
    const { env, d, jar } = await h.start({ now: () => now });
    await h.logIn(d, jar, env);
    const other = new Jar(jar.name);
    await h.logIn(d, other, env);
    const early = await post(d, jar, '/account/delete', { password: PASSWORD });
    expect(early.status).toBe(403);
    expect(codeOf(early)).toBe('reauthenticate');
    expect(env.count('user-delete')).toBe(0);
    expect((await post(d, jar, '/confirm', { password: PASSWORD })).status).toBe(200);
    const wrong = await post(d, jar, '/account/delete', { password: 'not my password' });
    expect(codeOf(wrong)).toBe('rejected');
    expect(env.server.authnzerver.findUser('ada@example.com')).toBeDefined();
    for (const body of [{}, { password: 5 }, { password: 'x'.repeat(300) }]) {
      expect(codeOf(await post(d, jar, '/account/delete', body))).toBe('invalid-input');
    }
    now += 301_000;
    expect(codeOf(await post(d, jar, '/account/delete', { password: PASSWORD }))).toBe(
      'reauthenticate',
    );
    now -= 301_000;
    const deleted = await post(d, jar, '/account/delete', { password: PASSWORD });
    expect(deleted.status).toBe(200);
    expect(jar.value).toBeUndefined();
    expect(env.server.authnzerver.findUser('ada@example.com')).toBeUndefined();
    expect(await sessionOf(d, other)).toBe('none');
    await expectLogin(d, 'ada@example.com', PASSWORD, 401);
    expect(env.count('user-delete')).toBe(2);
  });
});

describe('requireRecentAuth', () => {
  it('refuses a bad age at once, in the core and in each adapter', async () => {
    const env = await setup();
    try {
      const ctx = await context(env.auth);
      for (const bad of [0, -1, Number.NaN, '60' as unknown as number]) {
        expect(() => ctx.requireRecentAuth(bad)).toThrow(/maxAgeSeconds/);
        expect(() => ex.requireRecentAuth(bad)).toThrow(/maxAgeSeconds/);
        expect(() => fa.requireRecentAuth(bad)).toThrow(/maxAgeSeconds/);
        expect(() => ho.requireRecentAuth(bad)).toThrow(/maxAgeSeconds/);
      }
    } finally {
      await env.close();
    }
  });

  it('refuses an API key: a key cannot confirm a password', async () => {
    const env = await setup();
    try {
      env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const auth = createWebAuth({
        client: env.client,
        origin: APP,
        apiKeys: { secret: env.keys.apiKeys },
      });
      const session = await context(auth, { method: 'POST', headers: { origin: APP } });
      expect((await session.login('ada@example.com', PASSWORD)).ok).toBe(true);
      const cookie = (session.setCookies.at(-1) as string).split(';')[0] as string;
      const ctx = await context(auth, { method: 'POST', headers: { origin: APP, cookie } });
      const issued = await ctx.issueApiKey();
      expect(issued.ok).toBe(true);
      const keyed = await context(auth, {
        url: `${APP}/api/data`,
        headers: { authorization: `Bearer ${issued.ok ? issued.value.token : ''}` },
      });
      expect(keyed.requireRecentAuth(300)?.code).toBe('forbidden');
    } finally {
      await env.close();
    }
  });
});
