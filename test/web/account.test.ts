/**
 * Changing the password and logging out everywhere, through each adapter on the in-memory authnzerver: the
 * server ends the other sessions on a change and this one goes on with a new token (the old one is dead); log-out
 * everywhere ends all sessions of the user, or all but this one; bad input and cross-site forms change nothing.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from './apps.js';
import { codeOf, expectLogin, post, sessionOf } from './account-helpers.js';
import { adapterHarness, Jar, PASSWORD } from './helpers.js';

const NEXT = 'my next passphrase is longer 88';

describe.each(FRAMEWORKS)(
  '%s adapter: change password and log out everywhere',
  (_name, makeDriver) => {
    const h = adapterHarness(makeDriver);

    it('a change ends the other sessions; this one stays, with a new token', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const other = new Jar(jar.name);
      await h.logIn(d, other, env);
      const oldToken = jar.value;
      const changed = await post(d, jar, '/password', { current: PASSWORD, next: NEXT });
      expect(changed.status).toBe(200);
      expect(changed.json()['value']).toMatchObject({ session: 'user' });
      expect(jar.value).toBeDefined();
      expect(jar.value).not.toBe(oldToken);
      expect(await sessionOf(d, jar)).toBe('user');
      expect(await sessionOf(d, other)).toBe('none');
      // The token from before the change is dead, even if someone copied it.
      const stale = new Jar(jar.name);
      stale.value = oldToken;
      expect(await sessionOf(d, stale)).toBe('none');
      await expectLogin(d, 'ada@example.com', PASSWORD, 401);
      await expectLogin(d, 'ada@example.com', NEXT, 200);
    });

    it('a wrong current password or a weak new one changes nothing, with the server messages', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const other = new Jar(jar.name);
      await h.logIn(d, other, env);
      const wrong = await post(d, jar, '/password', { current: 'not my password', next: NEXT });
      expect(wrong.status).toBe(400);
      expect(codeOf(wrong)).toBe('rejected');
      expect((wrong.json()['messages'] as string[]).length).toBeGreaterThan(0);
      const weak = await post(d, jar, '/password', { current: PASSWORD, next: 'abc' });
      expect(codeOf(weak)).toBe('rejected');
      expect(await sessionOf(d, other)).toBe('user');
      await expectLogin(d, 'ada@example.com', PASSWORD, 200);
    });

    it('refuses bad input and cross-site forms before anything is sent; needs a session', async () => {
      const { env, d, jar } = await h.start();
      const anonymous = await post(d, jar, '/password', { current: PASSWORD, next: NEXT });
      expect(anonymous.status).toBe(401);
      await h.logIn(d, jar, env);
      const before = env.server.received.length;
      for (const body of [
        {},
        { current: PASSWORD },
        { current: 1, next: NEXT },
        { current: PASSWORD, next: 'x'.repeat(300) },
      ]) {
        const reply = await post(d, jar, '/password', body);
        expect(reply.status).toBe(400);
        expect(reply.json()['message']).toMatch(/currentPassword|newPassword/);
      }
      const cross = await d.send('POST', '/password', {
        headers: { ...jar.header(), origin: 'http://evil.test' },
        body: { current: PASSWORD, next: NEXT },
      });
      expect(cross.status).toBe(403);
      const notBool = await post(d, jar, '/logout-everywhere', { keepCurrent: 'yes' });
      expect(notBool.status).toBe(400);
      expect(notBool.json()['message']).toMatch(/keepCurrent/);
      // Only the session look-ups of the requests themselves reached the server.
      expect(env.server.received.slice(before).every((r) => r.type === 'session-exists')).toBe(
        true,
      );
    });

    it('log out everywhere with keepCurrent ends the other sessions only', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const other = new Jar(jar.name);
      await h.logIn(d, other, env);
      const third = new Jar(jar.name);
      await h.logIn(d, third, env);
      const kept = await post(d, jar, '/logout-everywhere', { keepCurrent: true });
      expect(kept.status).toBe(200);
      expect(await sessionOf(d, jar)).toBe('user');
      expect(await sessionOf(d, other)).toBe('none');
      expect(await sessionOf(d, third)).toBe('none');
    });

    it('log out everywhere ends every session, this one too, and clears its cookie', async () => {
      const { env, d, jar } = await h.start();
      await h.logIn(d, jar, env);
      const other = new Jar(jar.name);
      await h.logIn(d, other, env);
      env.server.authnzerver.addUser({ email: 'grace@example.com', password: PASSWORD });
      const grace = new Jar(jar.name);
      await h.logIn(d, grace, env, 'grace@example.com');
      const all = await post(d, jar, '/logout-everywhere', {});
      expect(all.status).toBe(200);
      expect(jar.value).toBeUndefined();
      expect(await sessionOf(d, other)).toBe('none');
      // Another user's session is not touched.
      expect(await sessionOf(d, grace)).toBe('user');
    });
  },
);
