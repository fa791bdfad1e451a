import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { COMMUNICATION_MESSAGES, type AuthnzerverOptions } from '../../src/runtime.js';
import { startProtocolServer } from '../../src/testing/protocol-server.js';
import { testHandler } from '../helpers/handlers.js';
import { closedPort } from '../helpers/processes.js';
import { selfSigned, type SelfSigned } from '../helpers/tls.js';
import {
  IP,
  TRANSPORTS,
  expectFailure,
  onProtocolServer,
  type OnServer,
} from '../helpers/transport-contract.js';

/**
 * Calls that get no usable reply, over both transports against a protocol server on loopback: the size cap, the
 * deadline (relative and absolute), the caller's signal, network failures and TLS, each as its failure tuple and
 * its delivery (`not-sent` only when proven).
 */

describe.each(TRANSPORTS)('no usable reply over %s', (_, transportOptions) => {
  const t = onProtocolServer(transportOptions);

  describe('deadlines and signals', () => {
    deadlinesAndSignals(t);
  });
  describe('connection failures', () => {
    connectionFailures(t, transportOptions);
  });
});

function deadlinesAndSignals(t: OnServer): void {
  it('a reply body over maxResponseBytes is `too-large`', async () => {
    const small = t.make({ maxResponseBytes: 1000 });
    t.server.fault({ kind: 'oversize', bytes: 5000 });
    const result = await small.request('test-ok', { client_ipaddr: IP });
    await small.close();
    expectFailure(result, 'too-large');
    expect(result.statusCode).toBe(200);
  });

  it('a reply that takes longer than the deadline is `timeout`, at the deadline', async () => {
    t.server.fault({ kind: 'delay', ms: 3000 });
    const started = Date.now();
    const result = await t.client.request('test-ok', { client_ipaddr: IP }, { timeout: 300 });
    const elapsed = Date.now() - started;
    expectFailure(result, 'timeout');
    expect(result.failureReason).toMatch(/^no reply within the deadline of 300 ms\b/);
    expect(elapsed).toBeGreaterThanOrEqual(295);
    // Well before the reply would have come (3000 ms): the margin only absorbs a busy machine's late timers.
    expect(elapsed).toBeLessThan(2000);
    if (result.failure === 'timeout') expect(result.delivery).toBe('maybe-sent');
  });

  it('calls with different deadlines at once each end at their own', async () => {
    t.server.fault({ kind: 'hang' }, 3);
    const started = Date.now();
    const ends = await Promise.all(
      [1500, 500, 1000].map(async (timeout) => {
        const result = await t.client.request('test-ok', { client_ipaddr: IP }, { timeout });
        expect(result.failureReason).toMatch(
          new RegExp(`^no reply within the deadline of ${timeout} ms\\b`),
        );
        return Date.now() - started;
      }),
    );
    // Each ends after its own deadline, and the shorter ones do not wait for the longest (the deadlines are
    // 500 ms apart, far more than a busy machine delays a timer).
    expect(ends[1]).toBeGreaterThanOrEqual(495);
    expect(ends[1]).toBeLessThan(ends[2]!);
    expect(ends[2]).toBeLessThan(ends[0]!);
    expect(ends[0]).toBeLessThan(1500 + 1500);
  });

  it('a slow body past the deadline is `timeout`', async () => {
    t.server.fault({ kind: 'slow-body', ms: 400, pieces: 5 });
    const result = await t.client.request('test-ok', { client_ipaddr: IP }, { timeout: 500 });
    expectFailure(result, 'timeout');
  });

  it('a server that never answers is `timeout`', async () => {
    t.server.fault({ kind: 'hang' });
    expectFailure(
      await t.client.request('test-ok', { client_ipaddr: IP }, { timeout: 300 }),
      'timeout',
    );
  });

  it('an absolute deadline in the past fails at once as `timeout`, and sends nothing', async () => {
    const hits = t.server.hits;
    const result = await t.client.request(
      'test-ok',
      { client_ipaddr: IP },
      { deadline: Date.now() - 1 },
    );
    expectFailure(result, 'timeout');
    expect(t.server.hits).toBe(hits);
  });

  it("the caller's signal ends the call as `aborted`", async () => {
    t.server.fault({ kind: 'delay', ms: 3000 });
    const controller = new AbortController();
    const hits = t.server.hits;
    const pending = t.client.request(
      'test-ok',
      { client_ipaddr: IP },
      { signal: controller.signal },
    );
    // Aborted once the server holds the request (and its delay), not after a guess at how long sending takes.
    while (t.server.hits === hits) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const result = await pending;
    expectFailure(result, 'aborted');
    if (result.failure === 'aborted') expect(result.delivery).toBe('maybe-sent');
  });

  it('an already-aborted signal sends nothing', async () => {
    const hits = t.server.hits;
    const result = await t.client.request(
      'test-ok',
      { client_ipaddr: IP },
      { signal: AbortSignal.abort() },
    );
    expectFailure(result, 'aborted');
    if (result.failure === 'aborted') expect(result.delivery).toBe('not-sent');
    expect(t.server.hits).toBe(hits);
  });
}

function connectionFailures(t: OnServer, transportOptions: Partial<AuthnzerverOptions>): void {
  it('a connection reset is `network`', async () => {
    t.server.fault({ kind: 'reset', when: 'after-body' });
    const result = await t.client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'network');
    if (result.failure === 'network') expect(result.delivery).toBe('maybe-sent');
  });

  it('a reply cut short is `network`', async () => {
    t.server.fault({ kind: 'truncate' });
    expectFailure(await t.client.request('test-ok', { client_ipaddr: IP }), 'network');
  });

  it('a refused connection is `network`, proven not sent', async () => {
    const refused = t.make({ url: `http://127.0.0.1:${await closedPort()}/` });
    const result = await refused.request('test-ok', { client_ipaddr: IP });
    await refused.close();
    expectFailure(result, 'network');
    expect(result.messages).toEqual(COMMUNICATION_MESSAGES);
    expect(result.headers).toBeNull();
    expect(result.statusCode).toBeNull();
    if (result.failure === 'network') expect(result.delivery).toBe('not-sent');
    expect(result.failureReason).toContain('ECONNREFUSED');
  });

  it('a server whose certificate we do not trust is `tls`, proven not sent', async () => {
    const cert: SelfSigned = selfSigned();
    const https = await startProtocolServer({
      handler: testHandler,
      tls: { cert: cert.cert, key: cert.key },
    });
    const untrusting = new Authnzerver({
      url: https.url,
      secret: https.secret,
      ...transportOptions,
    });
    const result = await untrusting.request('test-ok', { client_ipaddr: IP });
    await untrusting.close();
    await https.close();
    cert.remove();
    expectFailure(result, 'tls');
    if (result.failure === 'tls') expect(result.delivery).toBe('not-sent');
    expect(https.hits).toBe(0);
  });

  it.each([['No required SSL certificate was sent'], ['The SSL certificate error']])(
    'nginx refusing the client certificate (400 "%s") is `tls`, not sent',
    async (title) => {
      const page = `<html>\r\n<head><title>400 ${title}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${title}</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n`;
      t.server.fault({
        kind: 'status',
        status: 400,
        body: page,
        headers: { 'content-type': 'text/html' },
      });
      const result = await t.client.request('test-ok', { client_ipaddr: IP });
      expectFailure(result, 'tls');
      expect(result.statusCode).toBe(400);
      if (result.failure === 'tls') expect(result.delivery).toBe('not-sent');
    },
  );
}
