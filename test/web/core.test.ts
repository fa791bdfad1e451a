/**
 * The web core's parts on their own: client IP resolution and CIDR matching, the origin check, cookie signing,
 * email verification tokens (lifetime, email binding, key separation), the cache's merging and TTL, log-in
 * killing the old token even when the server would not, and that no secret reaches logs or failures.
 */
import { describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { clientIp, parseIp } from '../../src/web/ip.js';
import { OriginCheck, originOf } from '../../src/web/csrf.js';
import { hmacSigner } from '../../src/web/crypto.js';
import { createWebAuth, type AuthContext, type WebAuth } from '../../src/web/index.js';
import { APP, PASSWORD, setup } from './helpers.js';

function headers(h: Record<string, string>) {
  return new Headers(h);
}

async function context(
  auth: WebAuth,
  init: RequestInit & { url?: string } = {},
  ip = '127.0.0.1',
): Promise<AuthContext> {
  const result = await auth.authenticate(new Request(init.url ?? `${APP}/`, init), {
    remoteAddress: ip,
  });
  if (!result.ok) throw new Error(`refused: ${result.failure.code}`);
  return result.context;
}

/** A new anonymous session (as before a log-in form), then a same-origin POST context carrying its cookie. */
async function anonymousPost(auth: WebAuth): Promise<{ token: string; ctx: AuthContext }> {
  const anon = await auth.authenticate(
    new Request(`${APP}/login`),
    { remoteAddress: '127.0.0.1' },
    { createAnonymous: true },
  );
  if (!anon.ok) throw new Error('no session');
  const token = (anon.context.setCookies[0] as string).split(';')[0]?.split('=')[1] as string;
  const ctx = await context(auth, {
    method: 'POST',
    headers: { origin: APP, cookie: `azsession=${token}` },
  });
  return { token, ctx };
}

describe('client IP', () => {
  it('parses IPv4, IPv6, mapped and bracketed addresses; refuses others', () => {
    expect(parseIp('10.1.2.3')?.text).toBe('10.1.2.3');
    expect(parseIp('::ffff:10.1.2.3')?.text).toBe('10.1.2.3');
    expect(parseIp('[2001:db8::1]')?.text).toBe('2001:db8::1');
    expect(parseIp('10.1.2.3:4567')?.text).toBe('10.1.2.3');
    for (const bad of [
      '',
      '1.2.3',
      '256.1.1.1',
      '01.2.3.4',
      'example.com',
      '1::2::3',
      'fe80::1::',
    ]) {
      expect(parseIp(bad)).toBeNull();
    }
  });

  it('ignores X-Forwarded-For by default, and walks trusted hops, lists and CIDRs otherwise', () => {
    const xff = '198.51.100.1, 10.0.0.5, 203.0.113.7';
    expect(clientIp()('127.0.0.1', xff)).toBe('127.0.0.1');
    expect(clientIp(false)('::ffff:127.0.0.1', xff)).toBe('127.0.0.1');
    expect(clientIp(1)('127.0.0.1', xff)).toBe('203.0.113.7');
    expect(clientIp(2)('127.0.0.1', xff)).toBe('10.0.0.5');
    expect(clientIp(9)('127.0.0.1', xff)).toBe('198.51.100.1');
    expect(clientIp(['127.0.0.1'])('127.0.0.1', xff)).toBe('203.0.113.7');
    expect(clientIp(['127.0.0.1', '203.0.113.0/24', '10.0.0.0/8'])('127.0.0.1', xff)).toBe(
      '198.51.100.1',
    );
    expect(clientIp(['loopback', 'private'])('127.0.0.1', xff)).toBe('203.0.113.7');
    // The socket is not a trusted proxy: the header is ignored.
    expect(clientIp(['10.0.0.0/8'])('192.0.2.9', xff)).toBe('192.0.2.9');
    // IPv6 ranges.
    expect(clientIp(['2001:db8::/32'])('2001:db8::7', '2001:db9::1')).toBe('2001:db9::1');
    // Garbage in the header ends the walk at the last trusted hop.
    expect(clientIp(1)('127.0.0.1', 'not-an-ip')).toBe('127.0.0.1');
    expect(clientIp()(undefined, null)).toBe('0.0.0.0');
    expect(() => clientIp(['10.0.0.0/33'])).toThrow(/10\.0\.0\.0\/33/);
    expect(() => clientIp(-1)).toThrow(/hop count/);
  });
});

describe('origin check', () => {
  const check = new OriginCheck(['https://admin.example.com'], false);
  const app = ['https://app.example.com'];
  it('compares Origin, then Referer, with default ports dropped', () => {
    expect(originOf('https://app.example.com:443/x?y')).toBe('https://app.example.com');
    expect(originOf('http://user@evil.test/')).toBe('');
    expect(check.allows(headers({ origin: 'https://app.example.com' }), app)).toBe(true);
    expect(check.allows(headers({ origin: 'https://admin.example.com' }), app)).toBe(true);
    expect(check.allows(headers({ origin: 'https://app.example.com.evil.test' }), app)).toBe(false);
    expect(check.allows(headers({ origin: 'http://app.example.com' }), app)).toBe(false);
    expect(check.allows(headers({ referer: 'https://app.example.com/form' }), app)).toBe(true);
    expect(check.allows(headers({}), app)).toBe(false);
    expect(new OriginCheck([], true).allows(headers({}), app)).toBe(true);
    expect(() => new OriginCheck(['https://x.test/path'], false)).toThrow(/trustedOrigins\[0\]/);
  });
});

describe('cookie signing', () => {
  it('signs with the first secret, verifies with any, refuses tampering; short secrets are refused', async () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(32);
    const signed = await hmacSigner([a]).sign('token123');
    expect(await hmacSigner([b, a]).unsign(signed)).toBe('token123');
    expect(await hmacSigner([b]).unsign(signed)).toBeNull();
    expect(await hmacSigner([a]).unsign(signed.replace('token123', 'token124'))).toBeNull();
    expect(() => hmacSigner(['short'])).toThrow(/at least 32 bytes/);
    expect(() => hmacSigner(['short'])).not.toThrow(/short/);
  });
});

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

describe('cache', () => {
  it('keeps an answer for its TTL only (the staleness bound), and never keeps a transient failure', async () => {
    let now = Date.now();
    const env = await setup({ now: () => now, cache: { ttlMs: 5000 } });
    try {
      const anon = await env.auth.authenticate(
        new Request(`${APP}/`),
        { remoteAddress: '127.0.0.1' },
        { createAnonymous: true },
      );
      if (!anon.ok) throw new Error('no session');
      const cookie = (anon.context.setCookies[0] as string).split(';')[0] as string;
      const get = () => context(env.auth, { headers: { cookie } });
      env.server.fault({ kind: 'status', status: 500 });
      const failed = await env.auth.authenticate(new Request(`${APP}/`, { headers: { cookie } }), {
        remoteAddress: '127.0.0.1',
      });
      expect(!failed.ok && failed.failure.status).toBe(503);
      const base = env.count('session-exists');
      expect((await get()).session.kind).toBe('anonymous');
      expect(env.count('session-exists')).toBe(base + 1);
      // Deleted behind the cache's back (another process): still accepted until the TTL ends.
      const token = cookie.split('=')[1] as string;
      await env.client.sessionDelete({ session_token: token, client_ipaddr: '127.0.0.1' });
      now += 4000;
      expect((await get()).session.kind).toBe('anonymous');
      expect(env.count('session-exists')).toBe(base + 1);
      now += 1001;
      expect((await get()).session.kind).toBe('none');
      expect(env.count('session-exists')).toBe(base + 2);
    } finally {
      await env.close();
    }
  });
});

describe('redaction', () => {
  it('logs and failures carry no token, cookie or key', async () => {
    const lines: string[] = [];
    const env = await setup({
      cookie: { signingSecret: 's'.repeat(40) },
      logger: { warn: (m) => lines.push(m), error: (m) => lines.push(m) },
    });
    try {
      const forged = 'forgedtoken1234567890.abc';
      const r1 = await env.auth.authenticate(
        new Request(`${APP}/`, { headers: { cookie: `azsession=${forged}` } }),
        {
          remoteAddress: '127.0.0.1',
        },
      );
      const bearer = 'Zm9yZ2VkLWtleQ==';
      const r2 = await env.auth.authenticate(
        new Request(`${APP}/api/x`, { headers: { authorization: `Bearer ${bearer}` } }),
        {
          remoteAddress: '127.0.0.1',
        },
      );
      env.server.fault({ kind: 'status', status: 500 });
      const anon = await env.auth.authenticate(
        new Request(`${APP}/`),
        { remoteAddress: '127.0.0.1' },
        { createAnonymous: true },
      );
      const text = JSON.stringify([lines, r1, r2, anon]);
      expect(lines.length).toBeGreaterThan(0);
      for (const secret of ['forgedtoken1234567890', bearer, 's'.repeat(40)])
        expect(text).not.toContain(secret);
    } finally {
      await env.close();
    }
  });
});

describe('API keys and clock skew', () => {
  /** A logged-in context on a server whose clock leads ours by `aheadMs`, and a key it issued. */
  async function keyFromServerAhead(aheadMs: number) {
    const env = await setup({}, { now: () => Date.now() + aheadMs });
    env.server.authnzerver.addUser({ email: 'ada@example.com', password: PASSWORD });
    const { ctx } = await anonymousPost(env.auth);
    const login = await ctx.login('ada@example.com', PASSWORD);
    if (!login.ok) throw new Error('no log-in');
    const userCookie = (ctx.setCookies.at(-1) as string).split(';')[0] as string;
    const user = await context(env.auth, {
      method: 'POST',
      headers: { origin: APP, cookie: userCookie },
    });
    const issued = await user.issueApiKey();
    if (!issued.ok) throw new Error(`no key: ${issued.failure.code}`);
    const call = () =>
      env.auth.authenticate(
        new Request(`${APP}/api/me`, {
          headers: { authorization: `Bearer ${issued.value.token}` },
        }),
        { remoteAddress: '127.0.0.1' },
      );
    return { env, call };
  }

  it('accepts a fresh key from a server whose clock leads ours by seconds; the server still checks nbf', async () => {
    const { env, call } = await keyFromServerAhead(30_000);
    try {
      const result = await call();
      expect(result.ok && result.context.user?.via).toBe('apikey');
      expect(env.count('apikey-verify')).toBe(1);
    } finally {
      await env.close();
    }
  });

  it('refuses, without asking the server, a key not valid for minutes yet', async () => {
    const { env, call } = await keyFromServerAhead(10 * 60_000);
    try {
      const result = await call();
      expect(result.ok).toBe(false);
      expect(env.count('apikey-verify')).toBe(0);
    } finally {
      await env.close();
    }
  });
});
