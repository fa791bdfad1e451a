/**
 * `src/web/guards.ts` without a framework: what each guard answers an anonymous caller, a logged-in user without
 * the role, and an app without API keys, and what `requireAccess` asks the server. Through every adapter:
 * test/web/decisions.test.ts and test/web/apikeys.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { context, loggedIn } from './contexts.js';
import { setup } from './helpers.js';

describe('the guards, to an anonymous caller', () => {
  it('every guard that needs a user answers 401, and asks the server nothing', async () => {
    const env = await setup();
    try {
      const ctx = await context(env.auth);
      const sent = env.server.received.length;
      expect(ctx.requireUser()?.status).toBe(401);
      expect(ctx.requireRole('superuser')?.status).toBe(401);
      expect((await ctx.requireAccess({ action: 'view', targetName: 'dataset' }))?.status).toBe(
        401,
      );
      expect((await ctx.checkLimit('max_requests', 1))?.status).toBe(401);
      expect((await ctx.limitRequests())?.status).toBe(401);
      expect(env.server.received.length).toBe(sent);
    } finally {
      await env.close();
    }
  });

  it('requireApiKey challenges with `Bearer` even in an app that takes no API keys', async () => {
    const env = await setup({ apiKeys: undefined });
    try {
      const refused = (await context(env.auth)).requireApiKey();
      expect(refused?.status).toBe(401);
      expect(refused?.challenge).toMatch(/^Bearer\b/);
    } finally {
      await env.close();
    }
  });
});

describe('the guards, to a logged-in user', () => {
  it('a missing role is a 403 with no message and no Bearer challenge: a session is not a token', async () => {
    const env = await setup();
    try {
      const ctx = await loggedIn(env);
      expect(ctx.requireUser()).toBeNull();
      expect(ctx.requireRole(ctx.user?.role ?? '')).toBeNull();
      const refused = ctx.requireRole('superuser');
      expect(refused).toMatchObject({ status: 403, code: 'forbidden', messages: [] });
      expect(refused?.challenge).toBeUndefined();
    } finally {
      await env.close();
    }
  });

  it("requireAccess asks for the caller's own private item by default, shared with the ids given", async () => {
    const env = await setup();
    try {
      const ctx = await loggedIn(env);
      await ctx.requireAccess({ action: 'view', targetName: 'dataset' });
      await ctx.requireAccess({
        action: 'edit',
        targetName: 'collection',
        targetOwner: 9,
        targetVisibility: 'shared',
        targetSharedWith: [3, 4],
      });
      const asked = env.server.received
        .filter((r) => r.type === 'user-check-access')
        .map((r) => r.body);
      expect(asked).toMatchObject([
        {
          user_id: ctx.user?.userId,
          action: 'view',
          target_name: 'dataset',
          target_owner: ctx.user?.userId,
          target_visibility: 'private',
          target_sharedwith: '',
        },
        { target_owner: 9, target_visibility: 'shared', target_sharedwith: '3,4' },
      ]);
    } finally {
      await env.close();
    }
  });

  it('a server that fails the access check: 503, and the warning names the request', async () => {
    const warnings: string[] = [];
    const env = await setup(
      { logger: { warn: (message: string) => warnings.push(message) } },
      { handlers: { userCheckAccess: () => ({ httpStatus: 500 }) } },
    );
    try {
      const ctx = await loggedIn(env);
      const refused = await ctx.requireAccess({ action: 'view', targetName: 'dataset' });
      expect(refused?.status).toBe(503);
      expect(warnings.join('\n')).toContain('user-check-access failed');
    } finally {
      await env.close();
    }
  });
});
