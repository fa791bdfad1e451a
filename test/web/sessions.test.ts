/**
 * `src/web/sessions.ts` without a framework: log-in ends the pre-log-in token even against a server that would keep
 * it, and refuses bad input by name without a call. Through every adapter: adapters.test.ts, decisions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { anonymousPost, context } from './contexts.js';
import { APP, PASSWORD, setup } from './helpers.js';

describe('log-in', () => {
  it('kills the pre-log-in token even against a server that would keep it', async () => {
    const env = await setup(
      {},
      {
        // A server whose user-login leaves the given session alive.
        handlers: {
          userLogin: (body) =>
            body.password === PASSWORD
              ? {
                  success: true,
                  user_id: 4,
                  user_role: 'authenticated',
                  messages: ['Login successful.'],
                }
              : { success: false, user_id: null, failure_reason: 'no', messages: ['Sorry.'] },
        },
      },
    );
    try {
      env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
      const { token, ctx } = await anonymousPost(env.auth);
      expect(ctx.session.kind).toBe('anonymous');
      const login = await ctx.login('ada@example.com', PASSWORD);
      expect(login.ok).toBe(true);
      expect(env.server.authnzerver.listSessions().map((s) => s.session_token)).not.toContain(
        token,
      );
    } finally {
      await env.close();
    }
  });

  it('names the missing field and sends nothing for bad input', async () => {
    const env = await setup();
    try {
      const ctx = await context(env.auth, { method: 'POST', headers: { origin: APP } });
      const r = await ctx.login(undefined, 'x');
      expect(!r.ok && r.failure.message).toMatch(/email/);
      const p = await ctx.login('a@b.c', 42);
      expect(!p.ok && p.failure.message).toMatch(/password/);
      expect(env.server.received).toHaveLength(0);
    } finally {
      await env.close();
    }
  });
});
