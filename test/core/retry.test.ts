import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_RETRY,
  backoffDelay,
  mayRetry,
  mergeRetry,
  nextAttempt,
  retryReason,
  type RetryInput,
} from '../../src/core/retry.js';
import type { SendRequest, Sent } from '../../src/core/steps.js';
import { DEFAULT_TIMEOUTS } from '../../src/client-options.js';
import {
  READ,
  WRITE,
  failure,
  runScript,
  status,
  success,
  type RunOptions,
} from '../helpers/call-harness.js';

/**
 * Every retry rule, through the core with a scripted transport and a fake clock, through the one policy function
 * (`nextAttempt`) alone, and the policy's parts (`mayRetry`, the backoff, the options).
 */

const refused = failure('network', 'not-sent', { code: 'ECONNREFUSED' });
const reset = failure('network', 'maybe-sent', { code: 'ECONNRESET' });
const fast = { retry: { backoff: 20, maxBackoff: 40 } };

describe('reads and writes', () => {
  it('a read is sent again after a failure that may have reached the server; a write is not', () => {
    const read = runScript([{ outcome: reset }, { outcome: success() }], { options: fast });
    expect([read.result.success, read.result.attempts]).toEqual([true, 2]);
    const write = runScript([{ outcome: reset }], { type: WRITE, options: fast });
    expect([write.result.failure, write.result.attempts]).toEqual(['network', 1]);
    expect(write.result.failure === 'network' && write.result.delivery).toBe('maybe-sent');
  });

  it('both are sent again when the request provably never left, up to `retries` times', () => {
    for (const type of [READ, WRITE]) {
      const run = runScript([{ outcome: refused }, { outcome: refused }, { outcome: refused }], {
        type,
        options: fast,
      });
      expect([run.result.failure, run.result.attempts]).toEqual(['network', 3]);
      expect(run.result.failure === 'network' && run.result.delivery).toBe('not-sent');
    }
  });

  it('an unknown request type counts as a write', () => {
    const run = runScript([{ outcome: reset }], {
      type: { type: 'custom-thing', spec: undefined },
      body: { client_ipaddr: '203.0.113.9' },
      options: fast,
    });
    expect(run.result.attempts).toBe(1);
  });

  it('a 502, 503 or 504 is sent again for a read only; a 500 never', () => {
    for (const code of [502, 503, 504]) {
      expect(
        runScript([{ outcome: status(code) }, { outcome: success() }], { options: fast }).result
          .success,
      ).toBe(true);
      expect(
        runScript([{ outcome: status(code) }], { type: WRITE, options: fast }).result.failure,
      ).toBe('server-error');
    }
    expect(runScript([{ outcome: status(500) }], { options: fast }).result.attempts).toBe(1);
  });

  it('a refused certificate is not sent again, though it never left', () => {
    const run = runScript([{ outcome: failure('tls', 'not-sent', { code: 'CERT_HAS_EXPIRED' }) }], {
      options: fast,
    });
    expect([run.result.failure, run.result.attempts]).toEqual(['tls', 1]);
  });

  it('once an attempt may have arrived, a later not-sent failure is reported as maybe-sent', () => {
    const run = runScript([{ outcome: reset }, { outcome: refused }, { outcome: refused }], {
      options: fast,
    });
    expect(run.result.failure === 'network' && run.result.delivery).toBe('maybe-sent');
  });

  it('retries: 0 sends once', () => {
    const run = runScript([{ outcome: refused }], { options: { retry: { retries: 0 } } });
    expect(run.result.attempts).toBe(1);
    const off = runScript([{ outcome: refused }], { options: { retry: false } });
    expect(off.result.attempts).toBe(1);
  });
});

describe('HTTP 429', () => {
  const limited = (after?: string): Sent['outcome'] =>
    status(429, 'Too Many Requests', after === undefined ? {} : { 'retry-after': after });

  it('comes back at once with retryAfter', () => {
    const run = runScript([{ outcome: limited('180') }]);
    expect(run.result.failure).toBe('rate-limited');
    expect(run.result.failure === 'rate-limited' && run.result.retryAfter).toBe(180);
    expect(run.sleeps).toEqual([]);
  });

  it('is waited out when asked for and the wait fits in the deadline', () => {
    const run = runScript([{ outcome: limited('2') }, { outcome: success() }], {
      options: { retry: { waitOnRateLimit: true }, timeout: 5000 },
    });
    expect([run.result.success, run.sleeps]).toEqual([true, [2000]]);
  });

  it('is not waited out when the wait does not fit, or the server gave no Retry-After', () => {
    const long = runScript([{ outcome: limited('180') }], {
      options: { retry: { waitOnRateLimit: true }, timeout: 5000 },
    });
    expect([long.result.failure, long.sleeps]).toEqual(['rate-limited', []]);
    const none = runScript([{ outcome: limited() }], {
      options: { retry: { waitOnRateLimit: true } },
    });
    expect([none.result.failure, none.sleeps]).toEqual(['rate-limited', []]);
  });
});

describe('deadlines', () => {
  it('an attempt timeout before the headers sends a read again; after the headers, it does not', () => {
    const options = { retry: { attemptTimeout: 300 }, timeout: 5000 };
    const before = runScript(
      [
        { outcome: failure('timeout', 'maybe-sent'), expired: 'attempt', takes: 300 },
        { outcome: success() },
      ],
      { options },
    );
    expect(before.result.success).toBe(true);
    expect(before.sends[0]?.attemptTimeout).toBe(300);
    const after = runScript(
      [
        {
          outcome: failure('timeout', 'maybe-sent', { gotHeaders: true }),
          expired: 'attempt',
          takes: 300,
        },
      ],
      { options },
    );
    expect([after.result.failure, after.result.attempts]).toEqual(['timeout', 1]);
  });

  it('a write never gets an attempt timeout', () => {
    const run = runScript([{ outcome: success({ type: WRITE }) }], {
      type: WRITE,
      options: { retry: { attemptTimeout: 300 } },
    });
    expect(run.sends[0]?.attemptTimeout).toBeUndefined();
  });

  it('the call deadline is final, and every attempt gets what is left of it', () => {
    const run = runScript(
      [
        { outcome: refused, takes: 100 },
        { outcome: failure('timeout', 'maybe-sent'), expired: 'deadline', takes: 880 },
      ],
      { options: { timeout: 1000, retry: { backoff: 20, maxBackoff: 20 } }, jitter: 1 },
    );
    expect(run.result.failure).toBe('timeout');
    expect(run.sends.map((s) => s.remaining)).toEqual([1000, 1000 - 100 - 20]);
    expect(run.sends.every((s) => s.deadlineMs === 1000)).toBe(true);
  });

  it('no retry is made that could only time out: the budget check before each retry', () => {
    // 970 ms left after a 30 ms attempt, a 20 ms backoff: it needs 60 ms more, and has them.
    const fits = runScript([{ outcome: refused, takes: 30 }, { outcome: success() }], {
      options: { timeout: 1000, retry: { backoff: 20, maxBackoff: 20 } },
      jitter: 1,
    });
    expect(fits.result.success).toBe(true);
    // 30 ms left: a 20 ms backoff and the 10 ms minimum for an answer do not fit; the real failure stays.
    const late = runScript([{ outcome: refused, takes: 970 }], {
      options: { timeout: 1000, retry: { backoff: 20, maxBackoff: 20 } },
      jitter: 1,
    });
    expect([late.result.failure, late.result.attempts, late.sleeps]).toEqual(['network', 1, []]);
  });

  it('an absolute deadline that has passed sends nothing longer than zero', () => {
    const run = runScript(
      [{ outcome: failure('timeout', 'not-sent'), expired: 'deadline', takes: 0 }],
      { options: { deadline: new Date(Date.UTC(2025, 0, 1)) } },
    );
    expect(run.sends[0]?.remaining).toBe(0);
  });
});

describe('the backoff', () => {
  it('is full jitter over an exponential ceiling, capped by maxBackoff', () => {
    const script = [{ outcome: refused }, { outcome: refused }, { outcome: refused }];
    const options: RunOptions['options'] = { retry: { backoff: 100, maxBackoff: 150, retries: 2 } };
    expect(runScript(script, { options, jitter: 1 }).sleeps).toEqual([100, 150]);
    expect(runScript(script, { options, jitter: 0.5 }).sleeps).toEqual([50, 75]);
    expect(runScript(script, { options, jitter: 0 }).sleeps).toEqual([0, 0]);
  });

  it('an abort during the pause ends the call as aborted, without another send', () => {
    const run = runScript([{ outcome: refused }], { options: fast, sleepCompletes: false });
    expect([run.result.failure, run.result.attempts]).toEqual(['aborted', 1]);
    expect(run.result.failure === 'aborted' && run.result.delivery).toBe('not-sent');
  });
});

describe('nextAttempt, the one policy function', () => {
  const base: RetryInput = {
    reason: 'transient',
    retryAfter: null,
    attempt: 1,
    sideEffects: 'read',
    policy: DEFAULT_RETRY,
    attemptMs: 5,
    remainingMs: 4000,
    jitter: 1,
  };

  it('says why it stops', () => {
    expect(nextAttempt({ ...base, reason: undefined })).toEqual({ retry: false, why: 'final' });
    expect(nextAttempt({ ...base, attempt: 3 })).toEqual({
      retry: false,
      why: 'retries-exhausted',
    });
    expect(nextAttempt({ ...base, sideEffects: 'write' })).toEqual({ retry: false, why: 'unsafe' });
    expect(nextAttempt({ ...base, reason: 'rate-limited', retryAfter: 1 })).toEqual({
      retry: false,
      why: 'rate-limited',
    });
    expect(nextAttempt({ ...base, remainingMs: 100 })).toEqual({ retry: false, why: 'no-time' });
  });

  it('says how long to sleep', () => {
    expect(nextAttempt(base)).toEqual({ retry: true, delayMs: 100, reason: 'transient' });
    expect(nextAttempt({ ...base, attempt: 2 })).toEqual({
      retry: true,
      delayMs: 200,
      reason: 'transient',
    });
    expect(
      nextAttempt({
        ...base,
        reason: 'rate-limited',
        retryAfter: 2,
        policy: { ...DEFAULT_RETRY, waitOnRateLimit: true },
      }),
    ).toEqual({ retry: true, delayMs: 2000, reason: 'rate-limited' });
  });

  it('classifies what an attempt gave', () => {
    const sent = (outcome: Sent['outcome'], expired: Sent['expired'] = null): Sent => ({
      outcome,
      expired,
    });
    expect(retryReason(sent(refused))).toBe('not-sent');
    expect(retryReason(sent(reset))).toBe('transient');
    expect(retryReason(sent(status(429)))).toBe('rate-limited');
    expect(retryReason(sent(status(503)))).toBe('transient');
    expect(retryReason(sent(status(400)))).toBeUndefined();
    expect(retryReason(sent(failure('aborted', 'maybe-sent')))).toBeUndefined();
    expect(retryReason(sent(failure('too-large', 'maybe-sent')))).toBeUndefined();
    expect(retryReason(sent(failure('timeout', 'maybe-sent'), 'deadline'))).toBeUndefined();
    expect(retryReason(sent(failure('timeout', 'maybe-sent'), 'attempt'))).toBe('transient');
    expect(retryReason(sent(failure('tls', 'maybe-sent')))).toBeUndefined();
    expect(
      retryReason(sent(failure('timeout', 'not-sent', { code: 'UND_ERR_CONNECT_TIMEOUT' }))),
    ).toBe('not-sent');
  });
});

describe('the core reads no clock and makes no random number of its own', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('runs with the global clocks and Math.random unusable', () => {
    // The script's reply is sealed (with the clock, by Fernet) before the clocks go.
    const script = [{ outcome: refused }, { outcome: reset }, { outcome: success() }];
    const forbidden = (): never => {
      throw new Error('the core used a global clock or random source');
    };
    vi.spyOn(Date, 'now').mockImplementation(forbidden);
    vi.spyOn(performance, 'now').mockImplementation(forbidden);
    vi.spyOn(Math, 'random').mockImplementation(forbidden);
    const run = runScript(script, { options: fast, detailed: true });
    expect(run.result.success).toBe(true);
    expect(run.events.map((e) => e.kind)).toEqual([
      'attempt',
      'reply',
      'retry',
      'attempt',
      'reply',
      'retry',
      'attempt',
      'reply',
      'end',
    ]);
  });
});

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
  });
});

describe('a stopping server: requests in flight on it hang about 4 s, then nginx answers 502', () => {
  const HANG_MS = 4000;
  const NGINX_502 = '<html><head><title>502 Bad Gateway</title></head></html>';

  /**
   * A send that reaches the stopping upstream, bounded as `sendOnce` bounds it: by the attempt timeout, else by
   * what is left of the deadline, else nginx's 502 after the hang.
   */
  const stopping = {
    send: (request: SendRequest): Sent & { takes: number } => {
      const attempt = request.attemptTimeout ?? Number.POSITIVE_INFINITY;
      if (attempt < HANG_MS && attempt < request.remaining)
        return { outcome: failure('timeout', 'maybe-sent'), expired: 'attempt', takes: attempt };
      if (request.remaining <= HANG_MS)
        return {
          outcome: failure('timeout', 'maybe-sent'),
          expired: 'deadline',
          takes: request.remaining,
        };
      return { outcome: status(502, NGINX_502), expired: null, takes: HANG_MS };
    },
  };
  const healthy = (run: RunOptions = {}) => ({
    send: (): Sent & { takes: number } => ({ outcome: success(run), expired: null, takes: 5 }),
  });

  it('the defaults divide the deadline so that a read has time for a whole attempt after the hang', () => {
    const attemptTimeout = DEFAULT_RETRY.attemptTimeout ?? Number.POSITIVE_INFINITY;
    expect(attemptTimeout).toBeLessThan(HANG_MS);
    // The first attempt abandoned, the longest first backoff, then a whole attempt: all within the deadline.
    expect(attemptTimeout + DEFAULT_RETRY.backoff + attemptTimeout).toBeLessThan(
      DEFAULT_TIMEOUTS.request,
    );
  });

  it('a read caught there is abandoned at the attempt timeout and reaches another upstream in time', () => {
    const run = runScript([stopping, healthy()]);
    expect([run.result.success, run.result.attempts]).toEqual([true, 2]);
    expect(run.sends.map((s) => s.attemptTimeout)).toEqual([2000, 2000]);
    // Abandoned at 2 s; the backoff (at most 100 ms); the answer. The deadline is 5 s.
    expect(run.elapsed).toBeLessThan(2200);
    expect(run.sends[1]?.remaining).toBeGreaterThan(2800);
  });

  it('also when its retry meets the stopping server again; without the attempt timeout, the call times out', () => {
    const run = runScript([stopping, stopping, healthy()]);
    expect([run.result.success, run.result.attempts]).toEqual([true, 3]);
    // The last attempt `retries` allows keeps the rest of the deadline.
    expect(run.sends.map((s) => s.attemptTimeout)).toEqual([2000, 2000, undefined]);
    expect(run.elapsed).toBeLessThan(DEFAULT_TIMEOUTS.request);
    // The previous default (no attempt timeout): the 502 comes after 4 s, and the retry hangs to the deadline.
    const before = runScript([stopping, stopping], { options: { retry: { attemptTimeout: 0 } } });
    expect(before.sends.map((s) => s.attemptTimeout)).toEqual([undefined, undefined]);
    expect([before.result.failure, before.result.attempts, before.elapsed]).toEqual([
      'timeout',
      2,
      DEFAULT_TIMEOUTS.request,
    ]);
  });

  it('a write caught there is never abandoned nor sent again: it reports the 502', () => {
    const run = runScript([stopping], { type: WRITE });
    expect(run.sends[0]?.attemptTimeout).toBeUndefined();
    expect([run.result.failure, run.result.statusCode, run.result.attempts, run.elapsed]).toEqual([
      'server-error',
      502,
      1,
      HANG_MS,
    ]);
    const stop = run.events.find((e) => e.kind === 'end');
    expect(stop?.kind === 'end' && stop.stop).toBe('unsafe');
  });

  it('`retry: false` and `attemptTimeout: 0` leave a read the whole deadline; a bad value names the option', () => {
    const off = runScript([healthy()], { options: { retry: false } });
    expect(off.sends[0]?.attemptTimeout).toBeUndefined();
    expect(mergeRetry(DEFAULT_RETRY, { attemptTimeout: 0 }).attemptTimeout).toBe(0);
    expect(() => mergeRetry(DEFAULT_RETRY, { attemptTimeout: -1 })).toThrow(
      'retry.attemptTimeout must be a non-negative number',
    );
  });
});
