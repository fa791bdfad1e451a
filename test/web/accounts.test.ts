/**
 * Sign-up and email verification under attack, through each adapter on the in-memory authnzerver: a
 * verification link works once and only for an account still waiting for it (never waking a locked, verified
 * or deleted one), and sign-up answers the same whether or not the address is registered.
 */
import { describe, expect, it } from 'vitest';
import { createWebAuth } from '../../src/web/index.js';
import { FRAMEWORKS } from './apps.js';
import {
  adapterHarness,
  APP,
  Jar,
  PASSWORD,
  type Driver,
  type Reply,
  type WebSetup,
} from './helpers.js';

const SAME = { origin: APP };

/** Signs up through the app and gives back the reply and the verification link's path and query. */
async function signUp(
  d: Driver,
  env: WebSetup,
  email: string,
  password = PASSWORD,
): Promise<{ reply: Reply; link: string | undefined }> {
  const before = env.mailer.outbox.length;
  const reply = await d.send('POST', '/signup', {
    headers: SAME,
    body: { fullName: 'Grace Hopper', email, password },
  });
  const mail = env.mailer.outbox.slice(before).find((m) => m.purpose === 'verify-email');
  const link = mail?.link === undefined ? undefined : new URL(mail.link);
  return { reply, link: link === undefined ? undefined : `${link.pathname}${link.search}` };
}

/** What a response shows, but for its cookie values and date: what an onlooker could compare. */
function visible(reply: Reply): string {
  const headers = [...reply.headers.entries()]
    .filter(([name]) => !['set-cookie', 'date', 'content-length', 'etag'].includes(name))
    .map(([name, value]) => `${name}: ${value}`)
    .sort();
  const cookies = reply.cookies.map((c) => ({ ...c, value: '<value>' }));
  return JSON.stringify({ status: reply.status, headers, cookies, body: reply.text });
}

describe.each(FRAMEWORKS)('%s adapter: sign-up and verification', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('a verification link works once: the second use does nothing', async () => {
    const { env, d } = await h.start();
    const { reply, link } = await signUp(d, env, 'grace@example.com');
    expect(reply.status).toBe(200);
    expect(link).toBeDefined();
    const first = await d.send('GET', link as string);
    expect(first.status).toBe(200);
    expect(env.count('user-set-emailverified')).toBe(1);
    const again = await d.send('GET', link as string);
    expect(again.status).toBe(400);
    expect(again.json()['code']).toBe('invalid-token');
    expect(env.count('user-set-emailverified')).toBe(1);
  });

  it('a kept link does not lift a lock-out from failed log-ins, nor an admin lock', async () => {
    const { env, d } = await h.start(
      {},
      {},
      { loginBackoff: { scale: 0, lockAfter: 2, lockSeconds: 3600 } },
    );
    const email = 'grace@example.com';
    const { link } = await signUp(d, env, email);
    expect((await d.send('GET', link as string)).status).toBe(200);
    // Locked by wrong passwords: the server locks the account after `lockAfter` failures in a row.
    for (let i = 0; i < 3; i++) {
      const wrong = await d.send('POST', '/login', {
        headers: SAME,
        body: { email, password: `wrong password number ${i}` },
      });
      expect(wrong.status).toBe(401);
    }
    const locked = env.server.authnzerver.findUser(email);
    expect(locked).toMatchObject({ user_role: 'locked', is_active: false, email_verified: true });
    const reopened = await d.send('GET', link as string);
    expect(reopened.status).toBe(400);
    expect(reopened.json()['code']).toBe('invalid-token');
    expect(env.server.authnzerver.findUser(email)).toEqual(locked);
    const login = await d.send('POST', '/login', {
      headers: SAME,
      body: { email, password: PASSWORD },
    });
    expect(login.status).toBe(401);
    expect(env.count('user-set-emailverified')).toBe(1);

    // Locked by an admin.
    const other = 'ada@example.com';
    const second = await signUp(d, env, other);
    expect((await d.send('GET', second.link as string)).status).toBe(200);
    const user = env.server.authnzerver.findUser(other);
    const lock = await env.client.internalUserLock({
      target_userid: user?.user_id as number,
      action: 'lock',
      client_ipaddr: '127.0.0.1',
    });
    expect(lock.success).toBe(true);
    const adminLocked = env.server.authnzerver.findUser(other);
    const again = await d.send('GET', second.link as string);
    expect(again.status).toBe(400);
    expect(env.server.authnzerver.findUser(other)).toEqual(adminLocked);
    expect(
      (
        await d.send('POST', '/login', {
          headers: SAME,
          body: { email: other, password: PASSWORD },
        })
      ).status,
    ).toBe(401);
  });
});

describe.each(FRAMEWORKS)('%s adapter: sign-up and verification (2)', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('verified, locked and deleted accounts get the same neutral answer, and nothing in them changes', async () => {
    const { env, d } = await h.start();
    const answers: string[] = [];
    const cases: [string, (email: string) => Promise<void>][] = [
      ['verified', async () => {}],
      [
        'locked',
        (email) => {
          env.server.authnzerver.lockOut(email, 3600);
          return Promise.resolve();
        },
      ],
      [
        'deleted',
        async (email) => {
          const user = env.server.authnzerver.findUser(email);
          await env.client.internalUserDelete({
            target_userid: user?.user_id as number,
            client_ipaddr: '127.0.0.1',
          });
        },
      ],
    ];
    for (const [state, make] of cases) {
      const email = `${state}@example.com`;
      const { link } = await signUp(d, env, email);
      expect((await d.send('GET', link as string)).status).toBe(200);
      await make(email);
      const row = env.server.authnzerver.findUser(email);
      const sessions = env.server.authnzerver.listSessions().length;
      const reply = await d.send('GET', link as string);
      answers.push(visible(reply));
      expect(env.server.authnzerver.findUser(email)).toEqual(row);
      expect(env.server.authnzerver.listSessions()).toHaveLength(sessions);
    }
    expect(new Set(answers).size).toBe(1);
    // The same answer as a link that was never valid.
    const forged = await d.send('GET', '/verify-email?token=gAAAAABforged');
    expect(visible(forged)).toBe(answers[0]);
    expect(env.count('user-set-emailverified')).toBe(3);
  });

  it('sign-up answers alike whether or not the address is registered; the owner gets a notice, not a link', async () => {
    const { env, d } = await h.start();
    const email = 'grace@example.com';
    const fresh = await signUp(d, env, email);
    expect(fresh.reply.status).toBe(200);
    expect(env.mailer.outbox.at(-1)?.purpose).toBe('verify-email');
    // Pending, then verified: both answer byte for byte as the first sign-up did.
    const pending = await signUp(d, env, email);
    expect(visible(pending.reply)).toBe(visible(fresh.reply));
    expect(pending.link).toBeUndefined();
    expect((await d.send('GET', fresh.link as string)).status).toBe(200);
    const verified = await signUp(d, env, email);
    expect(visible(verified.reply)).toBe(visible(fresh.reply));
    expect(verified.link).toBeUndefined();
    const notice = env.mailer.outbox.at(-1);
    expect(notice).toMatchObject({ to: email, purpose: 'account-exists', link: `${APP}/login` });
    expect(notice?.text).not.toMatch(/token=/);
    // The account is as it was: the password given with the second sign-up does not log in.
    const login = await d.send('POST', '/login', {
      headers: SAME,
      body: { email, password: PASSWORD },
    });
    expect(login.status).toBe(200);
  });
});

describe.each(FRAMEWORKS)('%s adapter: sign-up and verification (3)', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('with notifyExisting off, a sign-up with a registered address sends nothing, and still answers alike', async () => {
    const { env } = await h.start();
    const quiet = await h.swap(
      createWebAuth({
        client: env.client,
        origin: APP,
        emailVerification: { secret: env.keys.email, notifyExisting: false },
        mailer: env.mailer,
      }),
    );
    const email = 'grace@example.com';
    const fresh = await signUp(quiet, env, email);
    const count = env.mailer.outbox.length;
    const again = await signUp(quiet, env, email);
    expect(env.mailer.outbox).toHaveLength(count);
    expect(visible(again.reply)).toBe(visible(fresh.reply));
  });

  it('sign-up refuses a cross-site post before anything is sent (CSRF), cookie or not', async () => {
    const { env, d } = await h.start();
    for (const headers of [{ origin: 'http://evil.test' }, {}]) {
      const reply = await d.send('POST', '/signup', {
        headers,
        body: { fullName: 'Mallory', email: 'grace@example.com', password: PASSWORD },
      });
      expect(reply.status).toBe(403);
    }
    expect(env.count('user-new')).toBe(0);
    expect(env.mailer.outbox).toHaveLength(0);
  });

  it('a password the server would cut, or a name or email its columns cannot hold, is refused by name; nothing is sent', async () => {
    const { env, d } = await h.start();
    const jar = new Jar(env.auth.cookieName(false));
    const cases = [
      { field: 'password', body: { password: 'p'.repeat(257) } },
      { field: 'email', body: { email: `${'e'.repeat(281)}@example.com` } },
      { field: 'fullName', body: { fullName: 'n'.repeat(281) } },
    ];
    for (const { field, body } of cases) {
      const reply = await d.send('POST', '/signup', {
        headers: SAME,
        body: { fullName: 'Grace', email: 'grace@example.com', password: PASSWORD, ...body },
      });
      expect(reply.status).toBe(400);
      expect(reply.json()['message']).toContain(field);
      expect(reply.text).not.toContain('ppppp');
    }
    const login = await d.send('POST', '/login', {
      headers: { ...jar.header(), ...SAME },
      body: { email: 'grace@example.com', password: 'p'.repeat(300) },
    });
    expect(login.status).toBe(400);
    expect(login.json()['message']).toContain('password must be at most 256 characters');
    expect(env.server.received).toHaveLength(0);
  });
});
