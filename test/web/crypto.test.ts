/**
 * `src/web/crypto.ts` on its own: HMAC signing of cookie values (the first secret signs, every secret verifies,
 * only the canonical signature is taken) and sealing under a Fernet key (a lifetime, another key's tokens refused).
 * The checks are constant-time: lint pins it (eslint-rules/timing-safe.js, test/lint/timing-safe.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { fernetSealer, hmacSigner, MIN_SIGNING_BYTES } from '../../src/web/crypto.js';

const A = 'a'.repeat(MIN_SIGNING_BYTES);
const B = 'b'.repeat(MIN_SIGNING_BYTES);

function errorOf(make: () => unknown): ConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('accepted');
}

describe('hmacSigner', () => {
  it('signs with the first secret and verifies with any; a value without its signature is refused', async () => {
    const signed = await hmacSigner([A]).sign('token123');
    expect(signed).toMatch(/^token123\.[A-Za-z0-9_-]{43}$/);
    expect(await hmacSigner([B, A]).unsign(signed)).toBe('token123');
    expect(await hmacSigner([A, B]).sign('token123')).toBe(signed);
    expect(await hmacSigner([B]).unsign(signed)).toBeNull();
    expect(await hmacSigner([A]).unsign(signed.replace('token123', 'token124'))).toBeNull();
    for (const bad of [
      'token123',
      `.${signed.split('.')[1] ?? ''}`,
      'token123.',
      `${signed}A`,
      `${signed}=`,
    ])
      expect(await hmacSigner([A]).unsign(bad), bad).toBeNull();
    // The value may itself hold a dot: the signature is after the last one.
    expect(await hmacSigner([A]).unsign(await hmacSigner([A]).sign('a.b'))).toBe('a.b');
  });

  it('takes secrets as text or bytes: the same bytes sign alike', async () => {
    const bytes = new TextEncoder().encode(A);
    expect(await hmacSigner([bytes]).sign('v')).toBe(await hmacSigner([A]).sign('v'));
    expect(await hmacSigner([new Uint8Array(MIN_SIGNING_BYTES).fill(7)]).sign('v')).not.toBe(
      await hmacSigner([A]).sign('v'),
    );
  });

  it('refuses no secret, and a short one by its position, without showing it', () => {
    expect(errorOf(() => hmacSigner([])).message).toBe(
      'cookie.signingSecret: give at least one secret',
    );
    const one = errorOf(() => hmacSigner(['short']));
    expect(one.message).toBe(`cookie.signingSecret: must be at least ${MIN_SIGNING_BYTES} bytes`);
    expect(one.option).toBe('cookie.signingSecret');
    const second = errorOf(() => hmacSigner([A, 'short']));
    expect(second.message).toBe(
      `cookie.signingSecret[1]: must be at least ${MIN_SIGNING_BYTES} bytes`,
    );
    expect(second.message).not.toContain('short,');
    expect(errorOf(() => hmacSigner([A, 'short'])).option).toBe('cookie.signingSecret[1]');
  });
});

describe('fernetSealer', () => {
  const key = generateFernetKey();
  const NOW = 1_800_000_000_000;

  it('opens what it sealed; not under another key, nor past the lifetime when one is given', async () => {
    const sealer = fernetSealer(key, 'apiKeys.secret');
    const token = await sealer.seal('hello', NOW);
    expect(await sealer.open(token, NOW)).toBe('hello');
    expect(await sealer.open(token, NOW + 599_000, 600)).toBe('hello');
    expect(await sealer.open(token, NOW + 601_000, 600)).toBeNull();
    // Without a lifetime, age does not matter.
    expect(await sealer.open(token, NOW + 10 * 365 * 86_400_000)).toBe('hello');
    expect(await fernetSealer(generateFernetKey(), 'x').open(token, NOW)).toBeNull();
    for (const bad of ['', 'not-a-token', `${token}x`])
      expect(await sealer.open(bad, NOW)).toBeNull();
  });

  it('refuses text that is not UTF-8', async () => {
    const { Fernet } = await import('../../src/crypto/fernet.js');
    const raw = new Fernet(key).encrypt(Uint8Array.of(0xff, 0xfe), { now: Math.floor(NOW / 1000) });
    expect(await fernetSealer(key, 'x').open(raw, NOW)).toBeNull();
  });

  it('refuses a key that is not a Fernet key, naming the option and never the key', () => {
    const error = errorOf(() =>
      fernetSealer('not-a-fernet-key-at-all', 'emailVerification.secret'),
    );
    expect(error.option).toBe('emailVerification.secret');
    expect(error.message).toBe(
      'emailVerification.secret: not a Fernet key (44 characters of url-safe base64; make one with npx authnzerver keygen)',
    );
    expect(error.message).not.toContain('not-a-fernet-key-at-all');
  });
});
