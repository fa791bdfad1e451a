/**
 * Forgotten and reset passwords through each adapter on the in-memory authnzerver, attack by attack: a link works
 * once, only under its own key and flow, only within its lifetime, never for a locked or unverified account; the
 * reset ends every session of the user (the server's reset ends none); the request answers alike for every
 * address and mails only active accounts; bad input is refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from './apps.js';
import {
  codeOf,
  expectLogin,
  mailedToken,
  post,
  SAME,
  seal,
  sessionOf,
  visible,
} from './account-helpers.js';
import { adapterHarness, Jar, PASSWORD, type Driver, type WebSetup } from './helpers.js';

const NEW_PASSWORD = 'a brand new passphrase for 2026';

/** Asks for a reset link for an address and gives back its token (undefined when no link was mailed). */
async function askReset(d: Driver, env: WebSetup, email: string): Promise<string | undefined> {
  const reply = await d.send('POST', '/forgot', { headers: SAME, body: { email } });
  expect(reply.status).toBe(200);
  return mailedToken(env, email, 'password-reset');
}

/** Sends a reset with a token and a password. */
function reset(d: Driver, token: unknown, password: unknown = NEW_PASSWORD) {
  return d.send('POST', '/reset', { headers: SAME, body: { token, password } });
}

describe.each(FRAMEWORKS)('%s adapter: password reset', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('resets once, then every session of the user is logged out, in every browser', async () => {
    const { env, d, jar } = await h.start();
    const email = 'ada@example.com';
    await h.logIn(d, jar, env, email);
    const second = new Jar(jar.name);
    await h.logIn(d, second, env, email);
    const token = await askReset(d, env, email);
    expect(token).toBeDefined();
    const done = await reset(d, token);
    expect(done.status).toBe(200);
    expect(await sessionOf(d, jar)).toBe('none');
    expect(await sessionOf(d, second)).toBe('none');
    expect(env.server.authnzerver.listSessions().filter((s) => s.user_id !== 2)).toHaveLength(0);
    await expectLogin(d, email, PASSWORD, 401);
    await expectLogin(d, email, NEW_PASSWORD, 200);
    // The same link again does nothing: not even with another password.
    const again = await reset(d, token, 'yet another passphrase 2027!');
    expect(again.status).toBe(400);
    expect(codeOf(again)).toBe('invalid-token');
    await expectLogin(d, email, NEW_PASSWORD, 200);
    expect(env.count('user-resetpass-nosession')).toBe(1);
  });

  it('answers alike for unknown, known, locked and unverified addresses; only the active one gets mail', async () => {
    const { env, d } = await h.start();
    const store = env.server.authnzerver;
    store.addUser({ email: 'known@example.com', password: PASSWORD });
    store.addUser({ email: 'locked@example.com', password: PASSWORD });
    store.lockOut('locked@example.com', 3600);
    store.addUser({ email: 'pending@example.com', password: PASSWORD, verified: false });
    const addresses = [
      'unknown@example.com',
      'known@example.com',
      'locked@example.com',
      'pending@example.com',
    ];
    const seen = new Set<string>();
    for (const email of addresses) {
      seen.add(visible(await d.send('POST', '/forgot', { headers: SAME, body: { email } })));
    }
    expect(seen.size).toBe(1);
    await env.auth.settled();
    expect(env.mailer.outbox.map((m) => m.to)).toEqual(['known@example.com']);
    expect(env.mailer.outbox[0]?.purpose).toBe('password-reset');
  });

  it('refuses a verification token, a token under another key, a tampered one and a reset-shaped forgery', async () => {
    const { env, d } = await h.start();
    const signed = await d.send('POST', '/signup', {
      headers: SAME,
      body: { fullName: 'Grace Hopper', email: 'grace@example.com', password: PASSWORD },
    });
    expect(signed.status).toBe(200);
    const verification = await mailedToken(env, 'grace@example.com', 'verify-email');
    expect(codeOf(await reset(d, verification))).toBe('invalid-token');
    const user = env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const shaped = { prs: 'ada@example.com', uid: user.user_id, pep: 0, ver: 1 };
    for (const key of [env.keys.email, env.keys.apiKeys]) {
      expect(codeOf(await reset(d, await seal(key, shaped)))).toBe('invalid-token');
    }
    const token = (await askReset(d, env, 'ada@example.com')) as string;
    const tampered = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`;
    expect(codeOf(await reset(d, tampered))).toBe('invalid-token');
    // A token bound to another user of the same address (a re-created account) is dead too.
    const other = await seal(env.keys.reset, { ...shaped, uid: user.user_id + 50 });
    expect(codeOf(await reset(d, other))).toBe('invalid-token');
    expect(env.count('user-resetpass-nosession')).toBe(0);
    await expectLogin(d, 'ada@example.com', PASSWORD, 200);
    // The real link still works.
    expect((await reset(d, token)).status).toBe(200);
  });
});

describe.each(FRAMEWORKS)('%s adapter: password reset limits', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('refuses an expired link (on the injected clock), and nothing changes', async () => {
    let now = Date.now();
    const { env, d } = await h.start({ now: () => now });
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const token = await askReset(d, env, 'ada@example.com');
    now += 1801_000;
    const late = await reset(d, token);
    expect(late.status).toBe(400);
    expect(codeOf(late)).toBe('invalid-token');
    expect(env.count('user-lookup-email')).toBe(1);
    now -= 1801_000;
    await expectLogin(d, 'ada@example.com', PASSWORD, 200);
  });

  it('never lifts a lock, nor verifies an unverified address, even with a well-sealed token', async () => {
    const { env, d } = await h.start();
    const store = env.server.authnzerver;
    store.addUser({ email: 'ada@example.com', password: PASSWORD });
    const token = await askReset(d, env, 'ada@example.com');
    store.lockOut('ada@example.com', 3600);
    const locked = store.findUser('ada@example.com');
    expect(codeOf(await reset(d, token))).toBe('invalid-token');
    expect(store.findUser('ada@example.com')).toEqual(locked);
    const pending = store.addUser({
      email: 'pending@example.com',
      password: PASSWORD,
      verified: false,
    });
    const forged = await seal(env.keys.reset, {
      prs: 'pending@example.com',
      uid: pending.user_id,
      pep: 0,
      ver: 1,
    });
    expect(codeOf(await reset(d, forged))).toBe('invalid-token');
    expect(store.findUser('pending@example.com')).toEqual(pending);
    expect(env.count('user-resetpass-nosession')).toBe(0);
  });

  it('passes the server policy messages back, and the link stays usable', async () => {
    const { env, d } = await h.start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const token = await askReset(d, env, 'ada@example.com');
    const weak = await reset(d, token, 'abc');
    expect(weak.status).toBe(400);
    expect(codeOf(weak)).toBe('rejected');
    expect((weak.json()['messages'] as string[]).length).toBeGreaterThan(0);
    expect((await reset(d, token)).status).toBe(200);
  });

  it('refuses bad input with a clear error, sends nothing to the server and mails nothing', async () => {
    const { env, d, jar } = await h.start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const token = (await askReset(d, env, 'ada@example.com')) as string;
    const before = env.server.received.length;
    const mails = env.mailer.outbox.length;
    for (const body of [{}, { email: 42 }, { email: ' ' }, { email: `${'a'.repeat(300)}@x.io` }]) {
      const reply = await post(d, jar, '/forgot', body);
      expect(reply.status).toBe(400);
      expect(codeOf(reply)).toBe('invalid-input');
      expect(reply.json()['message']).toMatch(/email/);
    }
    for (const body of [
      { password: NEW_PASSWORD },
      { token: 7, password: NEW_PASSWORD },
      { token },
      { token, password: ['x'] },
      { token, password: 'p'.repeat(257) },
    ]) {
      const reply = await post(d, jar, '/reset', body);
      expect(reply.status).toBe(400);
      expect(reply.json()['message']).toMatch(/token|password/i);
    }
    expect(codeOf(await reset(d, 'x'.repeat(5000)))).toBe('invalid-token');
    // A cross-site form is refused before anything else.
    const cross = await d.send('POST', '/forgot', {
      headers: { origin: 'http://evil.test' },
      body: { email: 'ada@example.com' },
    });
    expect(cross.status).toBe(403);
    await env.auth.settled();
    expect(env.server.received.length).toBe(before);
    expect(env.mailer.outbox.length).toBe(mails);
  });
});
