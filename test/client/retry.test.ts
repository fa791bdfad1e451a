import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, type AuthnzerverOptions, type RetryEvent } from '../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { READ_BODY, WRITE_BODY, catalogueHandler } from '../helpers/catalogue-handler.js';
import { expectFaultsConsumed } from '../helpers/fault-accounting.js';
import { closedPort } from '../helpers/processes.js';

const read = READ_BODY;
const write = WRITE_BODY;

let server: ProtocolServer;
const retries: RetryEvent[] = [];
const make = (options: Partial<AuthnzerverOptions> = {}): Authnzerver =>
  new Authnzerver({
    url: server.url,
    secret: server.secret,
    retry: { backoff: 10, maxBackoff: 50 },
    hooks: { onRetry: (event) => retries.push(event) },
    ...options,
  });
const writesReceived = (): number => server.received.filter((r) => r.type === 'session-new').length;

describe('retries against a real loopback server', () => {
  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
  });

  afterAll(() => server.close());

  expectFaultsConsumed(() => server);

  describe('resets and HTTP statuses', resetsAndStatuses);
  describe('deadlines, 429 and signals', deadlinesAndSignals);
});

function resetsAndStatuses(): void {
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
}

function deadlinesAndSignals(): void {
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
    // The server runs the write it delayed after the client gave up: once, never twice.
    await server.idle();
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
    const hits = server.hits;
    server.fault({ kind: 'status', status: 503 }, 100);
    const started = Date.now();
    const result = await client.sessionExists(read, { timeout: 700 });
    const elapsed = Date.now() - started;
    await client.close();
    // More faults were queued than the deadline leaves room for: each attempt took one, the rest are dropped.
    const left = server.pendingFaults();
    server.clearFaults();
    expect(result.failure).toBe('server-error');
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.attempts).toBeLessThan(50);
    expect(server.hits - hits).toBe(result.attempts);
    expect(left).toBe(100 - result.attempts);
    // It ended by its deadline; the margin only absorbs a busy machine's late timers.
    expect(elapsed).toBeLessThan(700 + 1500);
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
}
