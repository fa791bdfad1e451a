/**
 * `src/web/core.ts`: the session look-up through the cache (the staleness bound, no transient failure kept) and
 * the warnings, which carry no token, cookie or key.
 */
import { describe, expect, it } from 'vitest';
import { context } from './contexts.js';
import { APP, setup } from './helpers.js';

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
