/**
 * `src/web/account.ts`'s new token after a password change keeps the session's remember-me choice: a persistent
 * cookie for a remembered session, a browser-session cookie (no Expires, no Max-Age) otherwise, and the same
 * expiry on the server. Through every adapter: test/web/account.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { anonymousPost, context } from './contexts.js';
import { APP, PASSWORD, setup } from './helpers.js';

const NEXT = 'my next passphrase is longer 88';

async function changeWith(remember: boolean): Promise<{ before: string; after: string }> {
  const env = await setup();
  try {
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const { ctx } = await anonymousPost(env.auth);
    const login = await ctx.login('ada@example.com', PASSWORD, { remember });
    if (!login.ok) throw new Error(`log-in refused: ${login.failure.code}`);
    const before = ctx.setCookies.at(-1) as string;
    const cookie = before.split(';')[0] as string;
    const user = await context(env.auth, { method: 'POST', headers: { origin: APP, cookie } });
    const changed = await user.changePassword(PASSWORD, NEXT);
    expect(changed.ok).toBe(true);
    const after = user.setCookies.at(-1) as string;
    expect(after.split(';')[0]).not.toBe(cookie);
    return { before, after };
  } finally {
    await env.close();
  }
}

describe('the new token after a password change', () => {
  it('is a browser-session cookie for a session without remember-me', async () => {
    const { before, after } = await changeWith(false);
    for (const set of [before, after]) expect(set).not.toMatch(/Max-Age|Expires/i);
  });

  it('is a persistent cookie with the same lifetime for a remembered session', async () => {
    const { before, after } = await changeWith(true);
    const maxAge = (set: string): number => Number(/Max-Age=(\d+)/i.exec(set)?.[1]);
    expect(maxAge(before)).toBeGreaterThan(0);
    // The same expiry: the absolute lifetime does not grow with a new token.
    expect(Math.abs(maxAge(after) - maxAge(before))).toBeLessThanOrEqual(2);
  });
});
