/**
 * `src/web/signup.ts` without a framework: verification tokens (a lifetime, bound to the address, only under their
 * own key) and sign-up's need of the `origin` option. Its attacks through every adapter are in accounts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { createWebAuth } from '../../src/web/index.js';
import { context } from './contexts.js';
import { APP, PASSWORD, setup } from './helpers.js';

describe('email verification tokens', () => {
  it('expire after their lifetime, are bound to the email, and only open under their own key', async () => {
    let now = Date.now();
    const env = await setup({
      now: () => now,
      emailVerification: { secret: generateFernetKey(), ttlSeconds: 600 },
    });
    try {
      const ctx = await context(env.auth, { method: 'POST', headers: { origin: APP } });
      const signed = await ctx.signup({
        fullName: 'Ada',
        email: 'ada@example.com',
        password: PASSWORD,
      });
      expect(signed.ok).toBe(true);
      const link = new URL(env.mailer.lastTo('ada@example.com')?.link as string);
      const token = link.searchParams.get('token') as string;

      const other = await context(env.auth);
      const wrongEmail = await other.verifyEmail(token, 'eve@example.com');
      expect(wrongEmail.ok).toBe(false);
      // Under another key (for example the API-key sealer's), the token does not open.
      const foreign = createWebAuth({
        client: env.client,
        origin: APP,
        emailVerification: { secret: env.keys.apiKeys },
      });
      const f = await (await context(foreign)).verifyEmail(token);
      expect(!f.ok && f.failure.code).toBe('invalid-token');

      now += 601_000;
      const late = await other.verifyEmail(token);
      expect(!late.ok && late.failure.code).toBe('invalid-token');
      expect(env.count('user-set-emailverified')).toBe(0);
      now -= 601_000;
      const good = await other.verifyEmail(token, 'ADA@example.com');
      expect(good.ok && good.value.email).toBe('ada@example.com');
    } finally {
      await env.close();
    }
  });
});

describe('sign-up', () => {
  it('needs the origin option: a link from the Host header could point anywhere', async () => {
    const env = await setup();
    try {
      const bare = createWebAuth({
        client: env.client,
        emailVerification: { secret: env.keys.email },
        mailer: env.mailer,
      });
      const ctx = await context(bare, {
        url: 'http://evil.test/signup',
        method: 'POST',
        headers: { origin: 'http://evil.test' },
      });
      await expect(
        ctx.signup({ fullName: 'Eve', email: 'victim@example.com', password: PASSWORD }),
      ).rejects.toThrow(/`origin` option/);
      expect(env.server.received).toHaveLength(0);
      expect(env.mailer.outbox).toHaveLength(0);
    } finally {
      await env.close();
    }
  });
});
