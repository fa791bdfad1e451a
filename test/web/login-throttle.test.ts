/**
 * The failed-log-in throttle (`src/web/login-throttle.ts`) on the memory store and an injected clock: per email
 * address from many client addresses, per client address over many email addresses (an IPv6 client by its /64),
 * concurrent attempts held at the threshold, a success that resets its own address's count only (an attacker's
 * own successful log-ins never clear a client's failures), answers that are the same for a registered and an
 * unknown address (status, headers, body, cookies and the server calls made), the step-up and change-password
 * checks, a failing store (each `whenDown`), the store's keys (hashes only), and the option's errors. Two app
 * instances on a real Redis: test/web/login-throttle-redis.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { ipScope, THROTTLED_MESSAGE } from '../../src/web/login-throttle.js';
import {
  createWebAuth,
  memoryStore,
  type ActionResult,
  type AuthContext,
  type AuthFailure,
  type AuthStore,
  type WebAuth,
  type WebAuthOptions,
} from '../../src/web/index.js';
import { anonymousPost, context } from './contexts.js';
import { APP, PASSWORD, setup, type WebSetup } from './helpers.js';

const ADA = 'ada@example.com';

/** A log-in form's POST from `ip`, without a cookie: its context and the log-in's result. */
async function attempt(
  auth: WebAuth,
  email: string,
  password: string,
  ip: string,
): Promise<{ ctx: AuthContext; result: ActionResult<unknown> }> {
  const ctx = await context(
    auth,
    { method: 'POST', headers: { origin: APP, accept: 'application/json' } },
    ip,
  );
  return { ctx, result: await ctx.login(email, password) };
}

/** The failure of a refused action (the test fails on a success). */
function failureOf(result: ActionResult<unknown>): AuthFailure {
  if (result.ok) throw new Error('expected a refusal, got a success');
  return result.failure;
}

/** The throttle's refusal with `retryAfter` seconds left. */
const throttled = (retryAfter: number) => ({
  status: 429,
  code: 'rate-limited',
  message: THROTTLED_MESSAGE,
  messages: [],
  retryAfter,
});

/** A test server and a web core on a clock the test moves; the rest of the options as given. */
async function throttledSetup(
  options: Partial<Omit<WebAuthOptions, 'client'>> = {},
): Promise<{ env: WebSetup; clock: { now: number } }> {
  const clock = { now: Date.now() };
  const env = await setup({ now: () => clock.now, ...options });
  env.server.authnzerver.addUser({ email: ADA, password: PASSWORD });
  return { env, clock };
}

describe('the failed-log-in throttle, per email address', () => {
  it('refuses the 11th attempt in the hour from any address, before any server call, until the window ends', async () => {
    const { env, clock } = await throttledSetup();
    try {
      for (let i = 1; i <= 10; i++) {
        const { result } = await attempt(env.auth, ADA, `wrong guess ${i}`, `198.51.100.${i}`);
        expect(failureOf(result)).toMatchObject({ status: 401, code: 'login-refused' });
        clock.now += 60_000;
      }
      expect(env.count('user-login')).toBe(10);
      const calls = env.server.received.length;
      // The right password, from a new address, spelt another way: still refused, and nothing reaches the server.
      const refused = await attempt(env.auth, '  Ada@Example.COM ', PASSWORD, '198.51.100.99');
      expect(failureOf(refused.result)).toEqual(throttled(3600 - 600));
      expect(refused.ctx.setCookies).toEqual([]);
      expect(env.server.received.length).toBe(calls);
      const reply = env.auth.failureResponse(failureOf(refused.result));
      expect(reply.status).toBe(429);
      expect(reply.headers.get('retry-after')).toBe('3000');

      clock.now += 3000_000 - 1;
      expect(failureOf((await attempt(env.auth, ADA, PASSWORD, '198.51.100.99')).result)).toEqual(
        throttled(1),
      );
      clock.now += 1;
      expect((await attempt(env.auth, ADA, PASSWORD, '198.51.100.99')).result.ok).toBe(true);
      expect(env.count('user-login')).toBe(11);
    } finally {
      await env.close();
    }
  });

  it('a success resets the address’s count: 9 failures, a log-in, then 10 more before the refusal', async () => {
    const { env } = await throttledSetup();
    try {
      let ip = 0;
      const from = () => `198.51.100.${++ip}`;
      for (let i = 0; i < 9; i++) {
        expect((await attempt(env.auth, ADA, 'not the password', from())).result.ok).toBe(false);
      }
      expect((await attempt(env.auth, ADA, PASSWORD, from())).result.ok).toBe(true);
      for (let i = 0; i < 10; i++) {
        const { result } = await attempt(env.auth, ADA, 'not the password', from());
        expect(failureOf(result).code).toBe('login-refused');
      }
      const { result } = await attempt(env.auth, ADA, PASSWORD, from());
      expect(failureOf(result)).toMatchObject({ status: 429, code: 'rate-limited' });
      expect(env.count('user-login')).toBe(20);
    } finally {
      await env.close();
    }
  });

  it('holds at the threshold under concurrent attempts: 30 at once, 10 reach the server', async () => {
    const { env } = await throttledSetup();
    try {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          attempt(env.auth, ADA, `concurrent guess ${i}`, `198.51.100.${i + 1}`),
        ),
      );
      const codes = results.map(({ result }) => failureOf(result).code);
      expect(codes.filter((c) => c === 'login-refused')).toHaveLength(10);
      expect(codes.filter((c) => c === 'rate-limited')).toHaveLength(20);
      expect(env.count('user-login')).toBe(10);
    } finally {
      await env.close();
    }
  });
});

describe('the failed-log-in throttle, per client address', () => {
  it('catches one address trying many accounts: the 11th email address in the minute is refused', async () => {
    const { env, clock } = await throttledSetup();
    try {
      const sprayer = '203.0.113.66';
      for (let i = 1; i <= 10; i++) {
        // Registered or not, each is one failure.
        const email = i === 5 ? ADA : `user${i}@example.com`;
        const { result } = await attempt(env.auth, email, 'Spring2026!', sprayer);
        expect(failureOf(result).code).toBe('login-refused');
        clock.now += 1_000;
      }
      const refused = await attempt(env.auth, 'user11@example.com', 'Spring2026!', sprayer);
      expect(failureOf(refused.result)).toEqual(throttled(50));
      expect(env.count('user-login')).toBe(10);
      // Another client is not affected, and the addresses tried were each tried once only.
      expect((await attempt(env.auth, ADA, PASSWORD, '203.0.113.67')).result.ok).toBe(true);
      clock.now += 50_000;
      const later = await attempt(env.auth, 'user12@example.com', 'Spring2026!', sprayer);
      expect(failureOf(later.result).code).toBe('login-refused');
    } finally {
      await env.close();
    }
  });

  it("an attacker's own successful log-ins do not clear the client's failures", async () => {
    const { env } = await throttledSetup();
    try {
      env.server.authnzerver.addUser({ email: 'mallory@example.com', password: PASSWORD });
      const ip = '203.0.113.9';
      const own = () => attempt(env.auth, 'mallory@example.com', PASSWORD, ip);
      for (let i = 1; i <= 10; i++) {
        const { result } = await attempt(env.auth, `victim${i}@example.com`, 'Summer2026!', ip);
        expect(failureOf(result).code).toBe('login-refused');
        if (i < 10) expect((await own()).result.ok).toBe(true);
      }
      // 10 failures from this client, whatever succeeded in between: everything from it is refused now.
      expect(failureOf((await own()).result)).toMatchObject({ status: 429, code: 'rate-limited' });
      const next = await attempt(env.auth, 'victim11@example.com', 'Summer2026!', ip);
      expect(failureOf(next.result)).toMatchObject({ status: 429, code: 'rate-limited' });
      expect(env.count('user-login')).toBe(19);
    } finally {
      await env.close();
    }
  });

  it('counts an IPv6 client by its /64', async () => {
    expect(ipScope('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(ipScope('[2001:db8:1:2:ffff::1]:443')).toBe('2001:db8:1:2::/64');
    expect(ipScope('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(ipScope('0.0.0.0')).toBeNull();
    const { env } = await throttledSetup({ loginThrottle: { perEmail: false } });
    try {
      for (let i = 1; i <= 10; i++) {
        const { result } = await attempt(
          env.auth,
          `u${i}@example.com`,
          'guess',
          `2001:db8:1:2::${i}`,
        );
        expect(failureOf(result).code).toBe('login-refused');
      }
      const same = await attempt(env.auth, 'u11@example.com', 'guess', '2001:db8:1:2:abcd::99');
      expect(failureOf(same.result).code).toBe('rate-limited');
      const other = await attempt(env.auth, 'u11@example.com', 'guess', '2001:db8:1:3::1');
      expect(failureOf(other.result).code).toBe('login-refused');
    } finally {
      await env.close();
    }
  });

  it('an unknown client address counts per email address only, with one warning', async () => {
    const warnings: string[] = [];
    const { env } = await throttledSetup({ logger: { warn: (m: string) => warnings.push(m) } });
    try {
      for (let i = 1; i <= 12; i++) {
        const { result } = await attempt(env.auth, `u${i}@example.com`, 'guess', '0.0.0.0');
        expect(failureOf(result).code).toBe('login-refused');
      }
      expect(warnings.filter((w) => w.includes('client address is unknown'))).toHaveLength(1);
    } finally {
      await env.close();
    }
  });
});

describe('the failed-log-in throttle reveals nothing about accounts', () => {
  it('a registered and an unknown address get the same answers, cookies and server calls, throttle included', async () => {
    const env = await setup();
    env.server.authnzerver.addUser({ email: ADA, password: PASSWORD });
    let now = Date.now();
    /** One web core per address, each with its own store, on one server: everything observable, per attempt. */
    async function observe(email: string): Promise<unknown[]> {
      const auth = createWebAuth({ client: env.client, origin: APP, now: () => now });
      const seen: unknown[] = [];
      for (let i = 1; i <= 13; i++) {
        const before = env.server.received.length;
        const { ctx, result } = await attempt(auth, email, `guess number ${i}`, `192.0.2.${i}`);
        const f = failureOf(result);
        const request = new Request(`${APP}/login`, { headers: { accept: 'application/json' } });
        const reply = auth.failureResponse(f, ctx.setCookies, request);
        seen.push({
          status: reply.status,
          headers: [...reply.headers].filter(([name]) => name !== 'set-cookie'),
          body: await reply.text(),
          // Cookie names and attributes; the values are random tokens.
          cookies: ctx.setCookies.map((c) => c.replace(/=[^;]*/, '=…')),
          // The timing class: the server calls this attempt made (none when the throttle refuses).
          calls: env.server.received.slice(before).map((r) => r.type),
        });
        now += 1_000;
      }
      return seen;
    }
    try {
      const known = await observe(ADA);
      const unknown = await observe('nobody@example.com');
      expect(unknown).toEqual(known);
      expect(known.map((s) => (s as { status: number }).status)).toEqual([
        ...Array<number>(10).fill(401),
        429,
        429,
        429,
      ]);
      expect((known[10] as { calls: string[] }).calls).toEqual([]);
      expect((known[0] as { calls: string[] }).calls).toContain('user-login');
    } finally {
      await env.close();
    }
  });
});

describe('the step-up and change-password checks count too', () => {
  it('wrong passwords to confirmPassword count per user across sessions, with failed log-ins', async () => {
    const { env } = await throttledSetup({ loginThrottle: { perIp: false } });
    try {
      const sessions: AuthContext[] = [];
      for (let i = 0; i < 3; i++) {
        const { ctx } = await anonymousPost(env.auth);
        expect((await ctx.login(ADA, PASSWORD)).ok).toBe(true);
        const cookie = ctx.setCookies.at(-1)?.split(';')[0] as string;
        sessions.push(
          await context(env.auth, { method: 'POST', headers: { origin: APP, cookie } }),
        );
      }
      const [first, second, third] = sessions as [AuthContext, AuthContext, AuthContext];
      // Four on each of two sessions (the fifth in one session would end it), two on the third: 10.
      for (const [ctx, n] of [
        [first, 4],
        [second, 4],
        [third, 2],
      ] as const) {
        for (let i = 0; i < n; i++) {
          expect(failureOf(await ctx.confirmPassword('a wrong guess')).code).toBe('rejected');
        }
      }
      expect(env.count('user-passcheck')).toBe(10);
      expect(failureOf(await third.confirmPassword(PASSWORD))).toMatchObject({
        status: 429,
        code: 'rate-limited',
      });
      expect(env.count('user-passcheck')).toBe(10);
      // The same count as a log-in's.
      const login = await attempt(env.auth, ADA, PASSWORD, '198.51.100.1');
      expect(failureOf(login.result).code).toBe('rate-limited');
    } finally {
      await env.close();
    }
  });

  it('a wrong current password to changePassword counts; a refused new password does not', async () => {
    const { env } = await throttledSetup({ loginThrottle: { perIp: false } });
    try {
      const { ctx: form } = await anonymousPost(env.auth);
      expect((await form.login(ADA, PASSWORD)).ok).toBe(true);
      const cookie = form.setCookies.at(-1)?.split(';')[0] as string;
      const ctx = await context(env.auth, { method: 'POST', headers: { origin: APP, cookie } });
      for (let i = 0; i < 9; i++) {
        expect(
          failureOf(await ctx.changePassword('wrong current', 'a new long password 1')).code,
        ).toBe('rejected');
      }
      // The right current password with the same one as new: refused, but no wrong guess; the count starts again.
      expect(failureOf(await ctx.changePassword(PASSWORD, PASSWORD)).code).toBe('rejected');
      for (let i = 0; i < 10; i++) {
        expect(
          failureOf(await ctx.changePassword('wrong current', 'a new long password 1')).code,
        ).toBe('rejected');
      }
      expect(env.count('user-changepass')).toBe(20);
      expect(failureOf(await ctx.changePassword(PASSWORD, 'a new long password 1'))).toMatchObject({
        status: 429,
        code: 'rate-limited',
      });
      expect(env.count('user-changepass')).toBe(20);
    } finally {
      await env.close();
    }
  });
});

describe('the failed-log-in throttle on its store', () => {
  /** A memory store that records the keys it is given. */
  function recording(now: () => number): { store: AuthStore; keys: Set<string> } {
    const inner = memoryStore({ now });
    const keys = new Set<string>();
    const store: AuthStore = {
      whenDown: 'closed',
      increment: (key, ttl) => (keys.add(key), inner.increment(key, ttl)),
      get: (key) => (keys.add(key), inner.get(key)),
      set: (key, value, ttl) => (keys.add(key), inner.set(key, value, ttl)),
      delete: (key) => (keys.add(key), inner.delete(key)),
    };
    return { store, keys };
  }

  it('keeps hashes only: no address and no password in a key; HMAC-SHA256 under `secret`', async () => {
    for (const secret of [undefined, 'a throttle secret of at least 32 bytes!']) {
      const clock = { now: Date.now() };
      const { store, keys } = recording(() => clock.now);
      const { env } = await throttledSetup({
        store,
        ...(secret === undefined ? {} : { loginThrottle: { secret } }),
      });
      try {
        for (let i = 0; i < 12; i++) await attempt(env.auth, ADA, `guess ${i}`, '203.0.113.5');
        expect((await attempt(env.auth, ADA, PASSWORD, '203.0.113.6')).result.ok).toBe(false);
        const all = [...keys];
        expect(all.length).toBeGreaterThanOrEqual(3);
        for (const key of all) {
          expect(key).toMatch(/^login:(ip|email):[A-Za-z0-9_-]{43}(:ok)?$/);
          for (const clear of ['ada', 'example', '203.0.113', 'guess', PASSWORD]) {
            expect(key).not.toContain(clear);
          }
        }
        const digest =
          secret === undefined
            ? createHash('sha256').update(`email:${ADA}`).digest('base64url')
            : createHmac('sha256', secret).update(`email:${ADA}`).digest('base64url');
        expect(all).toContain(`login:email:${digest}`);
      } finally {
        await env.close();
      }
    }
  });

  it("a store that fails: 503 with no server call with whenDown 'closed', through with a warning with 'open'", async () => {
    for (const whenDown of ['closed', 'open'] as const) {
      const warnings: string[] = [];
      const broken: AuthStore = {
        whenDown,
        increment: () => Promise.reject(new Error('down')),
        get: () => Promise.reject(new Error('down')),
        set: () => Promise.reject(new Error('down')),
        delete: () => Promise.reject(new Error('down')),
      };
      const { env } = await throttledSetup({
        store: broken,
        logger: { warn: (m: string) => warnings.push(m) },
      });
      try {
        const wrong = await attempt(env.auth, ADA, 'a wrong guess', '203.0.113.5');
        if (whenDown === 'closed') {
          expect(failureOf(wrong.result)).toMatchObject({ status: 503, code: 'unavailable' });
          expect(env.server.received).toHaveLength(0);
        } else {
          expect(failureOf(wrong.result).code).toBe('login-refused');
          expect((await attempt(env.auth, ADA, PASSWORD, '203.0.113.5')).result.ok).toBe(true);
        }
        expect(warnings.join('\n')).toContain('the store failed: the log-in throttle');
        expect(warnings.join('\n')).toContain(`whenDown: ${whenDown}`);
        expect(warnings.join('\n')).not.toContain('ada');
      } finally {
        await env.close();
      }
    }
  });

  it('a store that fails after a success: the log-in stands, with a warning', async () => {
    const warnings: string[] = [];
    const clock = { now: Date.now() };
    const inner = memoryStore({ now: () => clock.now });
    const flaky: AuthStore = {
      whenDown: 'closed',
      increment: (key, ttl) => inner.increment(key, ttl),
      get: (key) => inner.get(key),
      set: (key, value, ttl) => inner.set(key, value, ttl),
      delete: () => Promise.reject(new Error('down')),
    };
    const { env } = await throttledSetup({
      store: flaky,
      now: () => clock.now,
      logger: { warn: (m: string) => warnings.push(m) },
    });
    try {
      expect((await attempt(env.auth, ADA, PASSWORD, '203.0.113.5')).result.ok).toBe(true);
      expect(warnings.join('\n')).toContain('could not record a successful password check');
    } finally {
      await env.close();
    }
  });

  it('logs the refusal once per window, with the client address and never the email address', async () => {
    const warnings: string[] = [];
    const { env } = await throttledSetup({ logger: { warn: (m: string) => warnings.push(m) } });
    try {
      for (let i = 0; i < 14; i++) await attempt(env.auth, ADA, `guess ${i}`, '203.0.113.5');
      const lines = warnings.filter((w) => w.includes('log-in throttle refuses'));
      // The client address's count crosses first (it counts every attempt); the email's stops at its refusal.
      expect(lines).toEqual([
        'authnzerver/web: the log-in throttle refuses password checks from 203.0.113.5: more than 10 failed in 60 s',
      ]);
      expect(warnings.join('\n')).not.toMatch(/ada|example\.com/);
    } finally {
      await env.close();
    }
  });
});

describe('the loginThrottle option', () => {
  it('names a misspelt key with the nearest one, and a bad value by its path', async () => {
    const env = await setup();
    try {
      const make = (loginThrottle: unknown) => () =>
        createWebAuth({
          client: env.client,
          loginThrottle,
        } as unknown as WebAuthOptions);
      expect(make({ perEmial: {} })).toThrow(
        /`loginThrottle\.perEmial`.*did you mean `loginThrottle\.perEmail`/,
      );
      expect(make({ perIp: { maxFailure: 3 } })).toThrow(
        /did you mean `loginThrottle\.perIp\.maxFailures`/,
      );
      expect(make({ perIp: { maxFailures: 0 } })).toThrow(
        /^loginThrottle\.perIp\.maxFailures: must be a whole number ≥ 1$/,
      );
      expect(make({ perEmail: { maxFailures: 2.5 } })).toThrow(
        /^loginThrottle\.perEmail\.maxFailures/,
      );
      expect(make({ perEmail: { windowSeconds: -1 } })).toThrow(
        /^loginThrottle\.perEmail\.windowSeconds: must be a number > 0$/,
      );
      expect(make({ perEmail: 5 })).toThrow(ConfigError);
      expect(make({ secret: 'short' })).toThrow(
        /^loginThrottle\.secret: must be at least 32 bytes$/,
      );
      expect(make({ secret: 42 })).toThrow(
        /^loginThrottle\.secret: must be a string or a Uint8Array$/,
      );
      expect(make('on')).toThrow(ConfigError);
      const short = 'short secret value';
      try {
        make({ secret: short })();
      } catch (error) {
        expect(String(error)).not.toContain(short);
      }
      expect(make(false)).not.toThrow();
      expect(make({ perEmail: false, perIp: { maxFailures: 3, windowSeconds: 10 } })).not.toThrow();
    } finally {
      await env.close();
    }
  });

  it('`false` turns it off: every attempt reaches the server', async () => {
    const { env } = await throttledSetup({ loginThrottle: false });
    try {
      for (let i = 0; i < 15; i++) {
        const { result } = await attempt(env.auth, ADA, `guess ${i}`, '203.0.113.5');
        expect(failureOf(result).code).toBe('login-refused');
      }
      expect(env.count('user-login')).toBe(15);
    } finally {
      await env.close();
    }
  });

  it('takes its own thresholds and windows', async () => {
    const { env, clock } = await throttledSetup({
      loginThrottle: { perEmail: { maxFailures: 2, windowSeconds: 30 }, perIp: false },
    });
    try {
      for (let i = 0; i < 2; i++) await attempt(env.auth, ADA, 'guess', `198.51.100.${i + 1}`);
      expect(failureOf((await attempt(env.auth, ADA, PASSWORD, '198.51.100.9')).result)).toEqual(
        throttled(30),
      );
      clock.now += 30_000;
      expect((await attempt(env.auth, ADA, PASSWORD, '198.51.100.9')).result.ok).toBe(true);
    } finally {
      await env.close();
    }
  });
});
