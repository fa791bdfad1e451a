/**
 * `src/web/account-settings.ts`: the `passwordReset` option. Its key must be a Fernet key of its own (not the
 * email verification or API-key one); a misspelt key is named with the nearest known one; the defaults are the
 * documented ones; and the flows that need the option, or `origin`, throw a `ConfigError` saying so.
 */
import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { ConfigError } from '../../src/core/errors.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { createWebAuth } from '../../src/web/index.js';
import { resolveWebSettings } from '../../src/web/settings.js';
import { context } from './contexts.js';
import { APP, setup } from './helpers.js';

const client = new Authnzerver({ url: 'http://127.0.0.1:9/', secret: generateFernetKey() });

function errorOf(options: Record<string, unknown>): ConfigError {
  try {
    resolveWebSettings({ client, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`accepted: ${JSON.stringify(Object.keys(options))}`);
}

describe('the passwordReset option', () => {
  it('has the documented defaults', () => {
    const key = generateFernetKey();
    const s = resolveWebSettings({ client, passwordReset: { secret: key } });
    expect(s.passwordReset).toMatchObject({
      ttlSeconds: 1800,
      subject: 'Reset your password',
      appName: 'authnzerver',
    });
    expect(s.passwordReset?.url('t/+', 'https://a.test')).toBe(
      'https://a.test/reset-password?token=t%2F%2B',
    );
    expect(resolveWebSettings({ client }).passwordReset).toBeNull();
  });

  it('refuses another flow’s key, a malformed key or lifetime, and a misspelt key, naming the option', () => {
    const key = generateFernetKey();
    const shared = errorOf({ emailVerification: { secret: key }, passwordReset: { secret: key } });
    expect(shared.message).toMatch(/passwordReset\.secret: must differ/);
    expect(shared.message).not.toContain(key);
    const apiShared = errorOf({ apiKeys: { secret: key }, passwordReset: { secret: key } });
    expect(apiShared.message).toMatch(/passwordReset\.secret/);
    expect(errorOf({ passwordReset: { secret: 'not a key' } }).message).toMatch(
      /passwordReset\.secret: not a Fernet key/,
    );
    expect(errorOf({ passwordReset: {} }).message).toMatch(/passwordReset\.secret/);
    expect(errorOf({ passwordReset: { secret: key, ttlSeconds: 0 } }).message).toMatch(
      /passwordReset\.ttlSeconds/,
    );
    expect(errorOf({ passwordReset: { secret: key, ttlSecond: 60 } }).message).toMatch(
      /ttlSecond`.*did you mean `passwordReset\.ttlSeconds`/,
    );
    expect(errorOf({ passwordRest: { secret: key } }).message).toMatch(
      /did you mean `?passwordReset/,
    );
  });

  it('the flows that mail a link need the option and `origin`, and say so', async () => {
    const env = await setup();
    try {
      const bare = createWebAuth({ client: env.client, origin: APP });
      const ctx = await context(bare, { method: 'POST', headers: { origin: APP } });
      await expect(ctx.requestPasswordReset('ada@example.com')).rejects.toThrow(/passwordReset/);
      await expect(ctx.resetPassword('x', 'y')).rejects.toThrow(/passwordReset/);
      await expect(ctx.resendVerification('ada@example.com')).rejects.toThrow(/emailVerification/);
      const noOrigin = createWebAuth({
        client: env.client,
        passwordReset: { secret: env.keys.reset },
        emailVerification: { secret: env.keys.email },
      });
      const other = await context(noOrigin, { method: 'POST', headers: { origin: APP } });
      await expect(other.requestPasswordReset('ada@example.com')).rejects.toThrow(/`origin`/);
      await expect(other.resendVerification('ada@example.com')).rejects.toThrow(/`origin`/);
      expect(env.server.received).toHaveLength(0);
    } finally {
      await env.close();
    }
  });
});
