/**
 * The web layer's security decisions, each pinned through every adapter: guards fail closed when the auth server
 * does not answer, a deactivated user's live session is not a user, logging in as another user ends the first
 * user's session, a log-out racing a cached session check is not undone, no server session is made for a request
 * that does not need one, and CSRF refusals are logged (without cookies) and answered as JSON to JSON clients.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from './apps.js';
import type { AuthnzerverTestServer } from '../../src/testing/index.js';
import { adapterHarness, APP, Jar, PASSWORD } from './helpers.js';

const SAME = { origin: APP };
const EVIL = 'http://evil.test';

/** Holds the next request of one type at the server until the test releases it. */
class Gate {
  #armed = false;
  #arrived!: () => void;
  #release!: () => void;
  arrived: Promise<void> = Promise.resolve();
  #released: Promise<void> = Promise.resolve();

  /** The next request to pass will be held. */
  arm(): void {
    this.#armed = true;
    this.arrived = new Promise((resolve) => (this.#arrived = resolve));
    this.#released = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    this.#release();
  }

  /** Called by a handler: waits while armed (once), else passes at once. */
  async pass(): Promise<void> {
    if (!this.#armed) return;
    this.#armed = false;
    this.#arrived();
    await this.#released;
  }
}

describe.each(FRAMEWORKS)('%s adapter: security decisions', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('requireAccess and the limits fail closed: 503 when the auth server does not answer, never let through', async () => {
    // With the cache on, the session is not asked again, so a queued fault meets the guard's own call.
    const { env, d, jar } = await h.start({ cache: { ttlMs: 600_000 } });
    await h.logIn(d, jar, env, 'root@example.com', 'superuser');
    for (const path of ['/others-private', '/limited']) {
      expect((await d.send('GET', path, { headers: jar.header() })).status, path).toBe(200);
      for (const fault of [
        { kind: 'status', status: 500 } as const,
        { kind: 'reset', when: 'before-body' } as const,
      ]) {
        env.server.fault(fault);
        const reply = await d.send('GET', path, { headers: jar.header() });
        expect(reply.status, `${path} ${fault.kind}`).toBe(503);
        expect(reply.text).not.toContain('"session"');
        expect(env.server.pendingFaults()).toBe(0);
      }
    }
  });

  it("a deactivated user's live session is not a user", async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env);
    const user = env.server.authnzerver.findUser('ada@example.com');
    const edit = await env.client.internalUserEdit({
      target_userid: user?.user_id as number,
      update_dict: { is_active: false },
      client_ipaddr: '127.0.0.1',
    });
    expect(edit.success).toBe(true);
    // The session row is still there; the user behind it is not active.
    expect(env.server.authnzerver.listSessions().some((s) => s.user_id === user?.user_id)).toBe(
      true,
    );
    const me = await d.send('GET', '/whoami', { headers: jar.header() });
    expect(me.json()['session']).toBe('none');
    expect((await d.send('GET', '/api/data', { headers: jar.header() })).status).toBe(401);
  });

  it("logging in as another user ends the first user's session", async () => {
    const { env, d, jar } = await h.start();
    await h.logIn(d, jar, env, 'ada@example.com');
    const first = jar.value as string;
    await h.logIn(d, jar, env, 'grace@example.com');
    expect(jar.value).not.toBe(first);
    const old = await d.send('GET', '/whoami', { headers: { cookie: `${jar.name}=${first}` } });
    expect(old.json()['session']).toBe('none');
    expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(first);
    const me = await d.send('GET', '/whoami', { headers: jar.header() });
    expect(me.json()).toMatchObject({ session: 'user' });
    expect(env.server.authnzerver.findUser('grace@example.com')?.user_id).toBe(me.json()['userId']);
  });

  it('with the cache on, a session check in flight during a log-out is not kept: the old cookie stays logged out', async () => {
    const held = { exists: new Gate(), delete: new Gate() };
    const server: { current?: AuthnzerverTestServer } = {};
    const { env, d, jar } = await h.start(
      { cache: { ttlMs: 600_000 } },
      {},
      {
        handlers: {
          // The answer is read when the request arrives, and sent when the test lets it go.
          sessionExists: async (body) => {
            const answer = server.current?.authnzerver.handle('session-exists', { ...body });
            await held.exists.pass();
            return answer as never;
          },
          sessionDelete: async (body) => {
            await held.delete.pass();
            return server.current?.authnzerver.handle('session-delete', { ...body }) as never;
          },
        },
      },
    );
    server.current = env.server;
    await h.logIn(d, jar, env);
    const token = jar.value as string;
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'user',
    );
    // The log-out is under way (its cache entry dropped), and its session-delete is held at the server.
    held.delete.arm();
    const logout = d.send('POST', '/logout', { headers: { ...jar.header(), ...SAME } });
    await held.delete.arrived;
    // A request with the same cookie asks the server, which still has the session: a stale "found".
    held.exists.arm();
    const racing = d.send('GET', '/whoami', { headers: { cookie: `${jar.name}=${token}` } });
    await held.exists.arrived;
    held.delete.release();
    expect((await logout).status).toBe(200);
    held.exists.release();
    await racing;
    const after = await d.send('GET', '/whoami', { headers: { cookie: `${jar.name}=${token}` } });
    expect(after.json()['session']).toBe('none');
  });
});

describe.each(FRAMEWORKS)('%s adapter: security decisions (2)', (_name, makeDriver) => {
  const h = adapterHarness(makeDriver);

  it('makes no server session for requests that do not need one; log-in makes its own', async () => {
    const { env, d } = await h.start();
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    for (let i = 0; i < 50; i++) {
      expect((await d.send('GET', '/whoami')).json()['session']).toBe('none');
    }
    // A failed log-in without a session leaves none behind.
    const wrong = await d.send('POST', '/login', {
      headers: SAME,
      body: { email: 'ada@example.com', password: 'a wrong password 123' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.cookies).toHaveLength(0);
    expect(env.server.authnzerver.listSessions()).toHaveLength(0);
    const jar = new Jar(env.auth.cookieName(false));
    const login = await d.send('POST', '/login', {
      headers: SAME,
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    jar.take(login);
    expect(env.server.authnzerver.listSessions()).toHaveLength(1);
    expect((await d.send('GET', '/whoami', { headers: jar.header() })).json()['session']).toBe(
      'user',
    );
  });

  it('logs every CSRF refusal at warn (method, path, what was seen, the allowed origins; no cookie) and answers JSON to JSON', async () => {
    const warnings: string[] = [];
    const { env, d, jar } = await h.start({
      logger: { warn: (message) => warnings.push(message) },
      csrf: { trustedOrigins: ['https://admin.app.test'] },
    });
    await h.logIn(d, jar, env);
    const cookieValue = jar.value as string;
    const refused = await d.send('POST', '/whoami?token=secret-in-query', {
      headers: { ...jar.header(), origin: EVIL, accept: 'application/json' },
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({
      error: 'csrf',
      message: 'This request did not come from this site.',
      messages: [],
    });
    const line = warnings.at(-1) as string;
    expect(line).toContain('POST /whoami');
    expect(line).toContain('"http://evil.test"');
    expect(line).toContain('http://app.test');
    expect(line).toContain('https://admin.app.test');
    expect(line).not.toContain('secret-in-query');
    expect(line).not.toContain(cookieValue);

    // A Referer's path and query are never logged: only its origin.
    await d.send('POST', '/whoami', {
      headers: { ...jar.header(), referer: `${EVIL}/page?reset=abc123` },
    });
    expect(warnings.at(-1)).toContain('a Referer from "http://evil.test"');
    expect(warnings.at(-1)).not.toContain('abc123');
    // Neither header.
    await d.send('POST', '/whoami', { headers: jar.header() });
    expect(warnings.at(-1)).toContain('neither Origin nor Referer');
    // An action's own check (log-in without a cookie) is logged too; a request that does not ask for JSON gets text.
    const login = await d.send('POST', '/login', {
      headers: { origin: EVIL, accept: 'text/html' },
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(403);
    expect(login.json()['code']).toBe('csrf');
    expect(warnings.at(-1)).toContain('POST /login');
    expect(warnings.join('\n')).not.toContain(cookieValue);
    expect(warnings).toHaveLength(4);
  });
});
