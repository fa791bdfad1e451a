import { Authnzerver, COMMUNICATION_MESSAGES } from 'authnzerver';
import { createTestServer, type AuthnzerverTestServer } from 'authnzerver/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * A user's test, as a user would write it: only the package's public exports, by package name (they resolve to
 * the built dist/ through the package's self-reference; `npm test` builds first). The app under test is a small
 * account service on top of the client; the test server stands in for authnzerver.
 */

/** The app under test: what a web app's account pages do with authnzerver. */
function accountService(client: Authnzerver) {
  const inOneHour = (): string =>
    new Date(Date.now() + 3_600_000).toISOString().replace('Z', '000');
  const userAgent = 'Mozilla/5.0 (app under test)';
  return {
    /** A visitor arrives: an anonymous session. */
    async startVisit(ip: string): Promise<string> {
      const result = await client.sessionNew({
        ip_address: ip,
        user_agent: userAgent,
        user_id: null,
        expires: inOneHour(),
        extra_info_json: null,
        client_ipaddr: ip,
      });
      if (!result.success) throw new Error(`auth server: ${result.failure}`);
      return result.response.session_token;
    },

    async signUp(ip: string, fullName: string, email: string, password: string) {
      const result = await client.userNew({
        full_name: fullName,
        email,
        password,
        client_ipaddr: ip,
      });
      return { ok: result.success, failure: result.failure, messages: result.messages };
    },

    async confirmEmail(ip: string, email: string): Promise<boolean> {
      return (await client.userSetEmailverified({ email, client_ipaddr: ip })).success;
    },

    /** Logs in and returns the new session's token, or the messages to show. */
    async logIn(ip: string, visit: string, email: string, password: string) {
      const login = await client.userLogin({
        session_token: visit,
        email,
        password,
        client_ipaddr: ip,
      });
      if (!login.success) return { ok: false as const, messages: login.messages };
      const session = await client.sessionNew({
        ip_address: ip,
        user_agent: userAgent,
        user_id: login.response.user_id,
        expires: inOneHour(),
        extra_info_json: { via: 'password' },
        client_ipaddr: ip,
      });
      if (!session.success) return { ok: false as const, messages: session.messages };
      return {
        ok: true as const,
        token: session.response.session_token,
        userId: login.response.user_id,
        role: login.response.user_role,
      };
    },

    async whoAmI(ip: string, token: string): Promise<string | null> {
      const result = await client.sessionExists({ session_token: token, client_ipaddr: ip });
      return result.success ? result.response.session_info.email : null;
    },

    async logOut(ip: string, token: string, userId: number): Promise<boolean> {
      return (await client.userLogout({ session_token: token, user_id: userId, client_ipaddr: ip }))
        .success;
    },

    async mayView(ip: string, userId: number, role: string, ownerId: number): Promise<boolean> {
      const result = await client.userCheckAccess({
        user_id: userId,
        user_role: role,
        action: 'view',
        target_name: 'dataset',
        target_owner: ownerId,
        target_visibility: 'private',
        target_sharedwith: '',
        client_ipaddr: ip,
      });
      return result.success;
    },
  };
}

describe('an app tested against the test server', () => {
  let server: AuthnzerverTestServer;
  let client: Authnzerver;
  let app: ReturnType<typeof accountService>;
  const ip = '198.51.100.23';

  beforeAll(async () => {
    server = await createTestServer({ loginBackoff: { scale: 0 } });
    client = new Authnzerver({ url: server.url, secret: server.secret });
    app = accountService(client);
  });
  // No test meets another's rate-limit counts or faults, and a fault a test queued must have been met.
  afterEach(() => {
    server.resetLimits();
    const left = server.pendingFaults();
    server.clearFaults();
    expect(left, 'faults queued by the test that no request met').toBe(0);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('signs a user up, confirms the email, logs in, shows who is logged in and logs out', async () => {
    const signup = await app.signUp(
      ip,
      'Ada Lovelace',
      'ada@example.com',
      'Analytical-Engine-1843',
    );
    expect(signup).toEqual({
      ok: true,
      failure: null,
      messages: ['User account created. Please verify your email address to log in.'],
    });
    // Before the email is confirmed, the log-in is refused with the message an end user sees.
    const early = await app.logIn(
      ip,
      await app.startVisit(ip),
      'ada@example.com',
      'Analytical-Engine-1843',
    );
    expect(early).toEqual({
      ok: false,
      messages: ["Sorry, that user ID and password combination didn't work."],
    });

    expect(await app.confirmEmail(ip, 'ada@example.com')).toBe(true);
    const login = await app.logIn(
      ip,
      await app.startVisit(ip),
      'ada@example.com',
      'Analytical-Engine-1843',
    );
    if (!login.ok) throw new Error(login.messages.join(' '));
    expect(login.role).toBe('authenticated');
    expect(await app.whoAmI(ip, login.token)).toBe('ada@example.com');
    expect(await app.mayView(ip, login.userId, login.role, login.userId)).toBe(true);
    expect(await app.mayView(ip, login.userId, login.role, 1)).toBe(false);
    expect(await app.logOut(ip, login.token, login.userId)).toBe(true);
    expect(await app.whoAmI(ip, login.token)).toBeNull();

    // Every request the app made carried the visitor's address, as the server requires.
    expect(server.received.length).toBeGreaterThan(8);
    for (const request of server.received) expect(request.clientIpaddr).toBe(ip);
  });

  it('refuses a weak password with the server’s own explanation', async () => {
    const signup = await app.signUp(ip, 'Weak Pass', 'weak@example.com', 'password');
    expect(signup.ok).toBe(false);
    expect(signup.messages).toEqual([
      'Your password is too short. It must have at least 12 characters.',
      'Your password is on the list of the most common passwords and is vulnerable to guessing.',
    ]);
  });

  it('logs in a user seeded directly into the in-memory server', async () => {
    const user = server.authnzerver.addUser({
      email: 'grace@example.com',
      password: 'Compiler-Pioneer-1952',
      role: 'staff',
    });
    const login = await app.logIn(
      ip,
      await app.startVisit(ip),
      'grace@example.com',
      'Compiler-Pioneer-1952',
    );
    expect(login.ok && [login.userId, login.role]).toEqual([user.user_id, 'staff']);
    expect(
      server.authnzerver.listSessions().filter((s) => s.user_id === user.user_id),
    ).toHaveLength(1);
  });

  it('shows the generic messages when the auth server fails', async () => {
    const visit = await app.startVisit(ip);
    server.fault({ kind: 'status', status: 500 });
    const login = await app.logIn(ip, visit, 'ada@example.com', 'Analytical-Engine-1843');
    expect(login).toEqual({ ok: false, messages: COMMUNICATION_MESSAGES });
  });

  it('gets rate-limited like on the real server when one address signs up too often', async () => {
    const failures: (string | null)[] = [];
    for (let i = 0; i < 6; i++)
      failures.push(
        (await app.signUp('198.51.100.99', 'Spam Bot', `bot${i}@example.com`, 'x')).failure,
      );
    expect(failures).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rate-limited',
    ]);
  });
});

describe('an app tested with a scripted reply', () => {
  it('shows the lock-out message an end user would see', async () => {
    const locked =
      'Your user account has been locked after repeated login failures. Try again in an hour or contact the server admins.';
    const server = await createTestServer({
      loginBackoff: false,
      handlers: { userLogin: () => ({ success: false, user_id: null, messages: [locked] }) },
    });
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    try {
      const app = accountService(client);
      const login = await app.logIn(
        '198.51.100.7',
        await app.startVisit('198.51.100.7'),
        'x@example.com',
        'y',
      );
      expect(login).toEqual({ ok: false, messages: [locked] });
      expect(server.received.at(-1)?.body).toMatchObject({ email: 'x@example.com' });
    } finally {
      await client.close();
      await server.close();
    }
  });
});
