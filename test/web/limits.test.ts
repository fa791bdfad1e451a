/**
 * `src/web/limits.ts` without a framework: a limit check without a value is refused by name before anything is
 * sent, and a server that fails the check is named in the warning. Fail-closed through every adapter:
 * test/web/decisions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loggedIn } from './contexts.js';
import { setup } from './helpers.js';

describe('checkLimit', () => {
  it('a missing value is a 400 naming it, and nothing is sent', async () => {
    const env = await setup();
    try {
      const ctx = await loggedIn(env);
      for (const value of [undefined, null]) {
        const refused = await ctx.checkLimit('max_requests', value);
        expect(refused).toMatchObject({ status: 400, code: 'invalid-input' });
        expect(refused?.message).toContain('value is required');
      }
      expect(env.count('user-check-limit')).toBe(0);
      // A falsy value that is a value (0) is asked about.
      await ctx.checkLimit('max_requests', 0);
      expect(env.count('user-check-limit')).toBe(1);
    } finally {
      await env.close();
    }
  });

  it('a server that fails the check: 503, and the warning names the request', async () => {
    const warnings: string[] = [];
    const env = await setup(
      { logger: { warn: (message: string) => warnings.push(message) } },
      { handlers: { userCheckLimit: () => ({ httpStatus: 500 }) } },
    );
    try {
      const ctx = await loggedIn(env);
      expect((await ctx.limitRequests())?.status).toBe(503);
      expect(warnings.join('\n')).toContain('user-check-limit failed');
    } finally {
      await env.close();
    }
  });
});
