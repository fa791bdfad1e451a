import { describe, expect, it } from 'vitest';
import { Authnzerver, ConfigError } from '../../src/index.js';
import { DEFAULT_RETRY, backoffDelay, mayRetry, mergeRetry } from '../../src/core/retry.js';

/** The retry policy's parts, alone: which reasons each kind of request type may be sent again for, the backoff, the options. */
describe('the retry policy', () => {
  it('retries reads on transient failures, writes only when provably not sent, 429 only when asked', () => {
    const waits = { ...DEFAULT_RETRY, waitOnRateLimit: true };
    expect(mayRetry('read', 'transient', DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('write', 'transient', DEFAULT_RETRY)).toBe(false);
    expect(mayRetry('read', 'not-sent', DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('write', 'not-sent', DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('read', 'rate-limited', DEFAULT_RETRY)).toBe(false);
    expect(mayRetry('write', 'rate-limited', waits)).toBe(true);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { ...DEFAULT_RETRY, backoff: 100, maxBackoff: 1000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });

  it('merges options over the defaults and names a bad field', () => {
    expect(mergeRetry(DEFAULT_RETRY, { retries: 5 })).toMatchObject({ retries: 5, backoff: 100 });
    expect(mergeRetry(DEFAULT_RETRY, false).retries).toBe(0);
    expect(() => mergeRetry(DEFAULT_RETRY, { retries: 1.5 })).toThrow(
      'retry.retries must be a non-negative integer',
    );
    expect(() => mergeRetry(DEFAULT_RETRY, { backoff: -1 })).toThrow('retry.backoff');
    expect(
      () =>
        new Authnzerver({
          url: 'http://127.0.0.1/',
          secret: 'A'.repeat(43) + '=',
          retry: { retries: -1 },
        }),
    ).toThrow(ConfigError);
  });
});
