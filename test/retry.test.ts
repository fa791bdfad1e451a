import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authnzerver,
  ConfigError,
  type AuthnzerverOptions,
  type RetryEvent,
} from '../src/index.js';
import { DEFAULT_RETRY, backoffDelay, mayRetry, mergeRetry } from '../src/retry.js';
import { startProtocolServer, type TestServer } from '../src/testing/server.js';
import { IP, READ_BODY, WRITE_BODY, catalogueHandler } from './helpers/catalogue-handler.js';
import { closedPort } from './helpers/processes.js';

const read = READ_BODY;
const write = WRITE_BODY;

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

describe('retries against a real loopback server', () => {
  let server: TestServer;
  const retries: RetryEvent[] = [];
  const make = (options: Partial<AuthnzerverOptions> = {}): Authnzerver =>
    new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: { backoff: 10, maxBackoff: 50 },
      hooks: { onRetry: (event) => retries.push(event) },
      ...options,
    });
  const writesReceived = (): number =>
    server.received.filter((r) => r.type === 'session-new').length;

  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
  });
  afterAll(() => server.close());

  it('a read survives a reset after the request was written, on its second attempt', async () => {
    const client = make();
    server.fault({ kind: 'reset', when: 'after-body' });
    const result = await client.sessionExists(read);
    await client.close();
    expect(result.success).toBe(true);
    expect(result.attempts).toBe(2);
    expect(retries.at(-1)).toMatchObject({
      type: 'session-exists',
      attempt: 2,
      reason: 'transient',
      failure: 'network',
    });
  });

  it('a write is not sent again after a reset: it may have run', async () => {
    const client = make();
    const hits = server.hits;
    server.fault({ kind: 'reset', when: 'after-body' });
    const result = await client.sessionNew(write);
    await client.close();
    expect(result.failure).toBe('network');
    expect(result.attempts).toBe(1);
    expect(server.hits - hits).toBe(1);
    if (result.failure === 'network') expect(result.delivery).toBe('maybe-sent');
  });

  it.each([502, 503, 504])('a read is retried after HTTP %i; a write is not', async (status) => {
    const client = make();
    server.fault({ kind: 'status', status });
    const readResult = await client.sessionExists(read);
    expect(readResult.success).toBe(true);
    expect(readResult.attempts).toBe(2);
    const before = server.hits;
    server.fault({ kind: 'status', status });
    const writeResult = await client.sessionNew(write);
    expect(writeResult.failure).toBe('server-error');
    expect(writeResult.attempts).toBe(1);
    expect(server.hits - before).toBe(1);
    await client.close();
  });

  it('HTTP 500 and 400 are not retried, even for reads', async () => {
    const client = make();
    server.fault({ kind: 'status', status: 500 });
    expect((await client.sessionExists(read)).attempts).toBe(1);
    server.fault({ kind: 'status', status: 400 });
    expect((await client.sessionExists(read)).attempts).toBe(1);
    await client.close();
  });

  it('a write is retried when the connection is refused, and says so', async () => {
    const client = make({ url: `http://127.0.0.1:${await closedPort()}/` });
    const seen = retries.length;
    const result = await client.sessionNew(write);
    await client.close();
    expect(result.failure).toBe('network');
    expect(result.attempts).toBe(3);
    expect(retries.slice(seen).map((e) => e.reason)).toEqual(['not-sent', 'not-sent']);
    if (result.failure === 'network') expect(result.delivery).toBe('not-sent');
  });

  it('with an attempt timeout, a read with slow headers is sent again; a write is not', async () => {
    const client = make({ retry: { attemptTimeout: 300, backoff: 10 } });
    server.fault({ kind: 'delay', ms: 2000 });
    const readResult = await client.sessionExists(read, { timeout: 4000 });
    expect(readResult.success).toBe(true);
    expect(readResult.attempts).toBe(2);

    const before = writesReceived();
    server.fault({ kind: 'delay', ms: 1200 });
    const writeResult = await client.sessionNew(write, { timeout: 600 });
    expect(writeResult.failure).toBe('timeout');
    expect(writeResult.attempts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(writesReceived() - before).toBe(1);
    await client.close();
  });

  it('once the headers of a read arrive, its body may take the rest of the deadline, and is not sent twice', async () => {
    const client = make({ retry: { attemptTimeout: 300 } });
    server.fault({ kind: 'slow-body', ms: 200, pieces: 4 });
    const slow = await client.sessionExists(read, { timeout: 3000 });
    expect(slow.success).toBe(true);
    expect(slow.attempts).toBe(1);
    server.fault({ kind: 'slow-body', ms: 400, pieces: 4 });
    const tooSlow = await client.sessionExists(read, { timeout: 700 });
    expect(tooSlow.failure).toBe('timeout');
    expect(tooSlow.attempts).toBe(1);
    await client.close();
  });

  it('a 429 comes back at once with retryAfter, unless waiting is asked for and fits in the deadline', async () => {
    const client = make();
    server.fault({ kind: 'status', status: 429 });
    const started = Date.now();
    const result = await client.sessionNew(write);
    expect(result.failure).toBe('rate-limited');
    expect(result.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(3000);
    if (result.failure === 'rate-limited') expect(result.retryAfter).toBe(180);

    const patient = make({ retry: { waitOnRateLimit: true } });
    server.fault({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const waited = await patient.sessionNew(write);
    expect(waited.success).toBe(true);
    expect(waited.attempts).toBe(2);
    server.fault({ kind: 'status', status: 429 });
    const tooLong = await patient.sessionNew(write);
    expect(tooLong.failure).toBe('rate-limited');
    expect(tooLong.attempts).toBe(1);
    await client.close();
    await patient.close();
  });

  it('every retry stays inside the one deadline', async () => {
    const client = make({ retry: { retries: 50, backoff: 100, maxBackoff: 100 } });
    server.fault({ kind: 'status', status: 503 }, 100);
    const started = Date.now();
    const result = await client.sessionExists(read, { timeout: 700 });
    const elapsed = Date.now() - started;
    // Drain the faults left over for the next tests.
    while ((await client.sessionExists(read, { retry: false })).failure === 'server-error');
    await client.close();
    expect(result.failure).toBe('server-error');
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.attempts).toBeLessThan(50);
    expect(elapsed).toBeLessThan(700 + 500);
  });

  it('a signal that fires during the backoff ends the call as aborted', async () => {
    const client = make({ retry: { backoff: 5000, maxBackoff: 5000 } });
    const controller = new AbortController();
    server.fault({ kind: 'status', status: 503 });
    const events = retries.length;
    const pending = client.sessionExists(read, { signal: controller.signal, timeout: 20_000 });
    while (retries.length === events) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const result = await pending;
    await client.close();
    expect(result.failure).toBe('aborted');
  });

  it('retries can be turned off per client and per call', async () => {
    const off = make({ retry: false });
    server.fault({ kind: 'status', status: 503 });
    expect((await off.sessionExists(read)).attempts).toBe(1);
    await off.close();
    const client = make();
    server.fault({ kind: 'status', status: 503 });
    expect((await client.sessionExists(read, { retry: false })).attempts).toBe(1);
    server.fault({ kind: 'status', status: 503 }, 2);
    expect((await client.sessionExists(read, { retry: { retries: 1 } })).attempts).toBe(2);
    await client.close();
  });

  it('a request type outside the catalogue counts as a write', async () => {
    const client = make();
    server.fault({ kind: 'status', status: 503 });
    const result = await client.request('custom-thing', { client_ipaddr: IP });
    await client.close();
    expect(result.failure).toBe('server-error');
    expect(result.attempts).toBe(1);
  });
});
