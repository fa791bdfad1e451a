import { afterEach, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import {
  createTestServer,
  type AuthnzerverTestServer,
  type CreateTestServerOptions,
} from '../../src/testing/index.js';
import { post, record } from './helpers.js';

/**
 * The failed-login back-off and lock-out of `user-login` and `user-passcheck-nosession` (PROTOCOL.md §4): the
 * n-th failure in a row for an email is answered after 1.5^(n-1) s (scaled here), a success resets the count,
 * and the failure after `lockAfter` of them locks the account until `lockSeconds` have passed.
 */

const ip = '192.0.2.77';
const expires = '2099-01-01T00:00:00.000001';
const email = 'dave@example.com';
const password = 'Juniper-Beacon-Tangle-2718';
const lockMessages = record(204).raw_response!.messages;
let clock = Date.parse('2030-01-01T00:00:00Z');
let server: AuthnzerverTestServer | undefined;
let client: Authnzerver | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** A test server with one user, and rate limiting off (these tests log in many times from one address). */
async function start(
  options: Omit<CreateTestServerOptions, 'authnzerver'>,
): Promise<{ server: AuthnzerverTestServer; client: Authnzerver }> {
  const started = await createTestServer({ now: () => clock, rateLimits: false, ...options });
  started.authnzerver.addUser({ email, password, fullName: 'Dave Tester' });
  const connected = new Authnzerver({ url: started.url, secret: started.secret, retry: false });
  server = started;
  client = connected;
  return { server: started, client: connected };
}

async function login(c: Authnzerver, pass: string) {
  const session = await c.sessionNew({
    ip_address: ip,
    user_agent: 'backoff',
    user_id: null,
    expires,
    extra_info_json: null,
    client_ipaddr: ip,
  });
  if (!session.success) throw new Error('no session');
  return c.userLogin({
    session_token: session.response.session_token,
    email,
    password: pass,
    client_ipaddr: ip,
  });
}

describe('the failed-login back-off', () => {
  it('answers the n-th failure in a row after 1.5^(n-1) seconds, times the scale', async () => {
    const { client: c } = await start({ loginBackoff: { scale: 0.05 } });
    const elapsed: number[] = [];
    for (let n = 0; n < 3; n++) {
      const started = performance.now();
      const result = await login(c, 'wrong-password');
      elapsed.push(performance.now() - started);
      expect(result.failure).toBe('rejected');
    }
    // 50 ms, 75 ms, 112.5 ms at least (timers fire no earlier than asked, give or take a millisecond).
    expect(elapsed[0]).toBeGreaterThanOrEqual(49);
    expect(elapsed[1]).toBeGreaterThanOrEqual(74);
    expect(elapsed[2]).toBeGreaterThanOrEqual(111);
  });

  it('resets the count on a success, and counts user-passcheck-nosession with user-login', async () => {
    const { server: s, client: c } = await start({ loginBackoff: { scale: 0, lockAfter: 2 } });
    expect((await login(c, 'wrong')).failure).toBe('rejected');
    expect((await login(c, 'wrong')).failure).toBe('rejected');
    expect((await login(c, password)).success).toBe(true); // resets
    expect((await login(c, 'wrong')).failure).toBe('rejected');
    const passcheck = await c.userPasscheckNosession({
      email,
      password: 'wrong',
      client_ipaddr: ip,
    });
    expect(passcheck.failureReason).toBe("user does not exist or password doesn't match");
    // The third failure in a row, counted across both types, locks the account.
    const third = await login(c, 'wrong');
    expect(third.messages).toEqual(lockMessages);
    expect(s.authnzerver.findUser(email)?.user_role).toBe('locked');
  });

  it('counts invalid parameters as failures, and without an email the server fails (HTTP 400)', async () => {
    const { server: s } = await start({ loginBackoff: { scale: 0, lockAfter: 1 } });
    const noPassword = { session_token: 'x', email, client_ipaddr: ip };
    const first = await post(s.url, s.secret, {
      request: 'user-login',
      body: noPassword,
      reqid: 1,
      client_ipaddr: ip,
    });
    expect(first.envelope?.messages).toEqual(["request 'user-login' has invalid parameters"]);
    const second = await post(s.url, s.secret, {
      request: 'user-login',
      body: noPassword,
      reqid: 2,
      client_ipaddr: ip,
    });
    expect(second.envelope?.messages).toEqual(lockMessages);
    const noEmail = { session_token: 'x', password, client_ipaddr: ip };
    const failed = await post(s.url, s.secret, {
      request: 'user-login',
      body: noEmail,
      reqid: 3,
      client_ipaddr: ip,
    });
    expect(failed.status).toBe(400);
  });

  it('turned off, neither delays nor locks', async () => {
    const { server: s, client: c } = await start({ loginBackoff: false });
    for (let n = 0; n < 12; n++)
      expect((await login(c, 'wrong')).failureReason).toBe(
        "user does not exist or password doesn't match",
      );
    expect(s.authnzerver.findUser(email)?.user_role).toBe('authenticated');
  });

  it('applies to replies of a typed handler too', async () => {
    const { client: c } = await start({
      loginBackoff: { scale: 0, lockAfter: 1 },
      handlers: {
        userLogin: () => ({
          success: false,
          user_id: null,
          failure_reason: 'no',
          messages: ['No.'],
        }),
      },
    });
    expect((await login(c, password)).messages).toEqual(['No.']);
    expect((await login(c, password)).messages).toEqual(lockMessages);
  });
});

describe('the lock-out', () => {
  it('locks the account after lockAfter failures, as records #184-#207 show, and unlocks it later', async () => {
    const { server: s, client: c } = await start({
      loginBackoff: { scale: 0, lockAfter: 10, lockSeconds: 600 },
    });
    const loggedIn = await login(c, password);
    expect(loggedIn.success).toBe(true);
    const kept = await c.sessionNew({
      ip_address: ip,
      user_agent: 'backoff',
      user_id: loggedIn.success ? loggedIn.response.user_id : 0,
      expires,
      extra_info_json: null,
      client_ipaddr: ip,
    });
    for (let n = 0; n < 10; n++) {
      const failure = await login(c, `wrong-password-${n}`);
      expect(failure.messages).toEqual([
        "Sorry, that user ID and password combination didn't work.",
      ]);
    }
    // The 11th failure locks: the reply has no failure_reason (record #204).
    const locked = await login(c, 'wrong-password-10');
    expect([
      locked.success,
      locked.failure,
      locked.failureReason,
      locked.response,
      locked.messages,
    ]).toEqual([false, 'rejected', null, { user_id: null }, lockMessages]);
    // Even the right password now gets the lock reply (record #206).
    expect((await login(c, password)).messages).toEqual(record(206).raw_response!.messages);
    const user = s.authnzerver.findUser(email)!;
    expect([user.user_role, user.is_active, user.extra_info?.previous_user_roles]).toEqual([
      'locked',
      false,
      ['locked', 'authenticated'],
    ]);
    // Locking deleted the user's sessions.
    const token = kept.success ? kept.response.session_token : '';
    expect((await c.sessionExists({ session_token: token, client_ipaddr: ip })).success).toBe(
      false,
    );

    clock += 600_000;
    const unlocked = s.authnzerver.findUser(email)!;
    expect([unlocked.user_role, unlocked.is_active]).toEqual(['authenticated', true]);
    expect((await login(c, password)).success).toBe(true);
  });
});
