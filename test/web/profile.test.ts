/**
 * Profile edits, email change, resending verification and the password check, through each adapter on the
 * in-memory authnzerver: the name changes at once; a new address needs step-up and changes only when its link
 * is opened, once, and a sign-up link does not open as one; a resend answers alike for every address and mails
 * only a sign-up still waiting; the password check gives the server's policy words.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from './apps.js';
import { codeOf, expectLogin, mailedToken, post, SAME, seal, visible } from './account-helpers.js';
import { adapterHarness, PASSWORD } from './helpers.js';

describe.each(FRAMEWORKS)('%s adapter: profile and verification', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('changes the name at once; bad input changes nothing', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const named = await post(d, jar, '/profile', { fullName: 'Ada Lovelace' });
    expect(named.status).toBe(200);
    expect(named.json()['value']).toEqual({ fullName: 'Ada Lovelace', pendingEmail: null });
    expect(env.server.authnzerver.findUser('ada@example.com')?.full_name).toBe('Ada Lovelace');
    for (const body of [{}, { fullName: 3 }, { fullName: 'x'.repeat(300) }, { email: ['a'] }]) {
      const reply = await post(d, jar, '/profile', body);
      expect(reply.status).toBe(400);
      expect(reply.json()['message']).toMatch(/fullName|email/);
    }
    expect(env.count('user-edit')).toBe(1);
  });

  it('a new address needs step-up, and applies once when its link is opened', async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const early = await post(d, jar, '/profile', { email: 'ada@new.example' });
    expect(codeOf(early)).toBe('reauthenticate');
    expect(env.mailer.outbox).toHaveLength(0);
    expect((await post(d, jar, '/confirm', { password: PASSWORD })).status).toBe(200);
    const asked = await post(d, jar, '/profile', { email: 'Ada@New.example' });
    expect(asked.json()['value']).toEqual({ fullName: 'ada', pendingEmail: 'ada@new.example' });
    // Nothing changes until the new address's owner opens the link.
    expect(env.server.authnzerver.findUser('ada@example.com')).toBeDefined();
    const token = await mailedToken(env, 'ada@new.example', 'change-email');
    // A sign-up verification link does not open as an email change, nor a change link as a sign-up one.
    const forged = await seal(env.keys.email, { ema: 'ada@new.example', ver: 1 });
    expect(codeOf(await d.send('GET', `/confirm-email?token=${forged}`))).toBe('invalid-token');
    expect(codeOf(await d.send('GET', `/verify-email?token=${token}`))).toBe('invalid-token');
    const applied = await d.send('GET', `/confirm-email?token=${token}`);
    expect(applied.status).toBe(200);
    expect(env.server.authnzerver.findUser('ada@new.example')).toMatchObject({
      email_verified: true,
      is_active: true,
    });
    const again = await d.send('GET', `/confirm-email?token=${token}`);
    expect(codeOf(again)).toBe('invalid-token');
    await expectLogin(d, 'ada@new.example', PASSWORD, 200);
    await expectLogin(d, 'ada@example.com', PASSWORD, 401);
  });

  it('resending verification answers alike and mails only a sign-up still waiting', async () => {
    const { env, d } = await h.start();
    const store = env.server.authnzerver;
    store.addUser({ email: 'done@example.com', password: PASSWORD });
    store.addUser({ email: 'pending@example.com', password: PASSWORD, verified: false });
    store.addUser({ email: 'locked@example.com', password: PASSWORD });
    store.lockOut('locked@example.com', 3600);
    const seen = new Set<string>();
    for (const email of ['nobody', 'done', 'pending', 'locked'].map((n) => `${n}@example.com`)) {
      seen.add(visible(await d.send('POST', '/resend', { headers: SAME, body: { email } })));
    }
    expect(seen.size).toBe(1);
    const token = await mailedToken(env, 'pending@example.com', 'verify-email');
    expect(env.mailer.outbox.map((m) => m.to)).toEqual(['pending@example.com']);
    expect((await d.send('GET', `/verify-email?token=${token}`)).status).toBe(200);
    expect(store.findUser('pending@example.com')?.email_verified).toBe(true);
    const bad = await d.send('POST', '/resend', { headers: SAME, body: { email: 7 } });
    expect(codeOf(bad)).toBe('invalid-input');
  });

  it('the password check gives the server policy verdict and words', async () => {
    const { env, d } = await h.start();
    const weak = await d.send('POST', '/password-check', {
      headers: SAME,
      body: { password: 'abc', email: 'ada@example.com', fullName: 'Ada' },
    });
    expect(weak.status).toBe(200);
    expect(weak.json()['value']).toBe(false);
    expect((weak.json()['messages'] as string[]).length).toBeGreaterThan(0);
    const strong = await d.send('POST', '/password-check', {
      headers: SAME,
      body: { password: PASSWORD, email: 'ada@example.com', fullName: 'Ada' },
    });
    expect(strong.json()['value']).toBe(true);
    const before = env.server.received.length;
    for (const body of [{}, { password: 1 }, { password: PASSWORD, email: 5 }]) {
      const reply = await d.send('POST', '/password-check', { headers: SAME, body });
      expect(codeOf(reply)).toBe('invalid-input');
    }
    expect(env.server.received.length).toBe(before);
  });
});
