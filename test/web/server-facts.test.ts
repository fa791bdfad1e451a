/**
 * The facts of the real authnzerver the account flows are built on, checked on the in-memory server (the real
 * server's source says the same; see docs/web.md): a reset deletes no session, a change deletes the user's other
 * sessions, deleting a user needs the password, and `session-delete-userid` keeps the session named in
 * `session_token` whatever `keep_current_session` says (so an empty token is how to delete all of them).
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, setup, type WebSetup } from './helpers.js';

const IP = { client_ipaddr: '127.0.0.1' };

/** A new session of user `userId`: its token. */
async function sessionFor(env: WebSetup, userId: number): Promise<string> {
  const made = await env.client.sessionNew({
    ip_address: '127.0.0.1',
    user_agent: 'test',
    user_id: userId,
    expires: '2099-01-01T00:00:00.000000',
    extra_info_json: null,
    ...IP,
  });
  if (!made.success)
    throw new Error(`no session: ${made.failure} ${JSON.stringify(made.messages)}`);
  return made.response.session_token;
}

/** The tokens of the user's live sessions. */
function tokensOf(env: WebSetup, userId: number): string[] {
  return env.server.authnzerver
    .listSessions()
    .filter((s) => s.user_id === userId)
    .map((s) => s.session_token)
    .sort();
}

describe('the server facts behind the account flows (in-memory server)', () => {
  it('reset deletes no sessions; change deletes the other sessions', async () => {
    const env = await setup();
    try {
      const user = env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const a = await sessionFor(env, user.user_id);
      const b = await sessionFor(env, user.user_id);
      const reset = await env.client.userResetpassNosession({
        email_address: 'ada@example.com',
        new_password: 'the reset passphrase 2026',
        required_active: true,
        ...IP,
      });
      expect(reset.success).toBe(true);
      expect(tokensOf(env, user.user_id)).toEqual([a, b].sort());
      const changed = await env.client.userChangepass({
        user_id: user.user_id,
        session_token: a,
        full_name: 'ada',
        email: 'ada@example.com',
        current_password: 'the reset passphrase 2026',
        new_password: 'the changed passphrase 2027',
        ...IP,
      });
      expect(changed.success).toBe(true);
      expect(tokensOf(env, user.user_id)).toEqual([a]);
    } finally {
      await env.close();
    }
  });

  it('user-delete needs the password', async () => {
    const env = await setup();
    try {
      const user = env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const body = { email: 'ada@example.com', user_id: user.user_id, ...IP };
      const wrong = await env.client.userDelete({ ...body, password: 'not the password' });
      expect(wrong.success).toBe(false);
      expect(env.server.authnzerver.findUser(user.user_id)).toBeDefined();
      const right = await env.client.userDelete({ ...body, password: PASSWORD });
      expect(right.success).toBe(true);
      expect(env.server.authnzerver.findUser(user.user_id)).toBeUndefined();
    } finally {
      await env.close();
    }
  });

  it('session-delete-userid keeps the session in session_token, even with keep_current_session false', async () => {
    const env = await setup();
    try {
      const user = env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const a = await sessionFor(env, user.user_id);
      await sessionFor(env, user.user_id);
      const quirk = await env.client.sessionDeleteUserid({
        session_token: a,
        user_id: user.user_id,
        keep_current_session: false,
        ...IP,
      });
      expect(quirk.success).toBe(true);
      expect(tokensOf(env, user.user_id)).toEqual([a]);
      const all = await env.client.sessionDeleteUserid({
        session_token: '',
        user_id: user.user_id,
        keep_current_session: false,
        ...IP,
      });
      expect(all.success).toBe(true);
      expect(tokensOf(env, user.user_id)).toEqual([]);
    } finally {
      await env.close();
    }
  });
});
