import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestServer,
  DEFAULT_TYPE_LIMITS,
  type AuthnzerverTestServer,
  type CreateTestServerOptions,
} from '../../src/testing/index.js';
import { post, rawHttp, records, wire } from './helpers.js';

/**
 * Rate limiting as the real server does it: per request type and client IP address (and per email for the
 * email types), tight limits for the sensitive types from the first request, group limits past the burst, and
 * 429 with `Retry-After: 180`. A fake clock makes the averages deterministic.
 */

let server: AuthnzerverTestServer | undefined;
let clock = Date.parse('2030-01-01T00:00:00Z');

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  options: Omit<CreateTestServerOptions, 'authnzerver'> = {},
): Promise<AuthnzerverTestServer> {
  const started = await createTestServer({ now: () => clock, ...options });
  server = started;
  return started;
}

function call(
  s: AuthnzerverTestServer,
  type: string,
  body: Record<string, unknown>,
  ip = '192.0.2.50',
) {
  return post(s.url, s.secret, {
    request: type,
    body: { ...body, client_ipaddr: ip },
    reqid: 1,
    client_ipaddr: ip,
  });
}

describe('rate limiting', () => {
  it('trips on the 6th user-new from one client IP address, as records #174-#180 show', async () => {
    const s = await start();
    const probes = records.filter((r) => r.label.startsWith('rate limit probe user-new'));
    expect(probes).toHaveLength(7);
    const statuses: number[] = [];
    for (const probe of probes) {
      const reply = await call(
        s,
        'user-new',
        probe.request_body!,
        String(probe.request_body!.client_ipaddr),
      );
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.text).toBe(probe.raw_http_body);
        expect(reply.headers.get('retry-after')).toBe('180');
      }
    }
    expect(statuses).toEqual(probes.map((p) => p.status_code));
    // Another client IP address has its own counter.
    expect((await call(s, 'user-new', { full_name: 'X' }, '192.0.2.51')).status).toBe(200);
  });

  it('lifts as the average rate since the first request falls under the limit', async () => {
    const s = await start();
    for (let i = 0; i < 5; i++) expect((await call(s, 'user-new', {})).status).toBe(200);
    expect((await call(s, 'user-new', {})).status).toBe(429);
    // The rate is (count - 1) per minute since the first request.
    clock += 60_000; // the 7th, a minute later: 6 per minute, over 5
    expect((await call(s, 'user-new', {})).status).toBe(429);
    clock += 30_000; // the 8th, 1.5 minutes after the first: 7 / 1.5 = 4.7 per minute
    expect((await call(s, 'user-new', {})).status).toBe(200);
  });

  it('counts the email types per email address as well, across client IP addresses', async () => {
    const s = await start();
    expect(DEFAULT_TYPE_LIMITS['user-set-emailsent']).toBe(2);
    const body = { email: 'anonuser@localhost', email_type: 'signup' };
    expect((await call(s, 'user-set-emailsent', body, '192.0.2.1')).status).toBe(200);
    expect((await call(s, 'user-set-emailsent', body, '192.0.2.2')).status).toBe(200);
    expect((await call(s, 'user-set-emailsent', body, '192.0.2.3')).status).toBe(429);
    const other = { email: 'dummyuser@localhost', email_type: 'signup' };
    expect((await call(s, 'user-set-emailsent', other, '192.0.2.4')).status).toBe(200);
  });

  it('refuses an email type without email or email_address with 429', async () => {
    const s = await start();
    const reply = await call(s, 'user-lookup-email', {});
    expect([reply.status, reply.headers.get('retry-after')]).toEqual([429, '180']);
    expect((await call(s, 'user-lookup-email', { email: 'x@example.com' })).status).toBe(200);
  });

  it('applies the group limits only past the burst', async () => {
    const s = await start({ rateLimits: { burst: 3, session: 1 } });
    for (let i = 0; i < 3; i++)
      expect((await call(s, 'session-exists', { session_token: 'x' })).status).toBe(200);
    expect((await call(s, 'session-exists', { session_token: 'x' })).status).toBe(429);
    // Other types and other addresses count apart.
    expect((await call(s, 'session-delete', { session_token: 'x' })).status).toBe(200);
    expect((await call(s, 'session-exists', { session_token: 'x' }, '192.0.2.99')).status).toBe(
      200,
    );
  });

  it('takes tighter or looser limits per type, and resetLimits() forgets the counts', async () => {
    const s = await start({ rateLimits: { types: { 'user-new': 1 } } });
    expect((await call(s, 'user-new', {})).status).toBe(200);
    expect((await call(s, 'user-new', {})).status).toBe(429);
    s.resetLimits();
    expect((await call(s, 'user-new', {})).status).toBe(200);
  });

  it('turned off, never answers 429 but still requires client_ipaddr', async () => {
    const s = await start({ rateLimits: false });
    for (let i = 0; i < 12; i++) expect((await call(s, 'user-new', {})).status).toBe(200);
    expect((await call(s, 'user-lookup-email', {})).status).toBe(200);
    const noIp = await rawHttp(s.url, {
      body: wire(s.secret, { request: 'session-exists', body: { session_token: 'x' }, reqid: 1 }),
    });
    expect(noIp.status).toBe(400);
  });

  it('fails like the real limiter on an envelope without body (500) and answers 400 when off', async () => {
    const on = await start();
    const envelope = { request: 'session-exists', reqid: 1, client_ipaddr: '192.0.2.7' };
    expect((await rawHttp(on.url, { body: wire(on.secret, envelope) })).status).toBe(500);
    await on.close();
    const off = await start({ rateLimits: false });
    expect((await rawHttp(off.url, { body: wire(off.secret, envelope) })).status).toBe(400);
  });
});
