import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../src/index.js';
import {
  COMMUNICATION_MESSAGES,
  ClientClosedError,
  RequestValidationError,
  generateFernetKey,
  type AuthnzerverOptions,
  type UntypedResponseTuple,
} from '../src/runtime.js';
import { startProtocolServer, type ProtocolServer } from '../src/testing/protocol-server.js';
import { testHandler } from './helpers/handlers.js';
import { expectFaultsConsumed } from './helpers/fault-accounting.js';
import { closedPort, runScript } from './helpers/processes.js';
import { selfSigned, type SelfSigned } from './helpers/tls.js';

const IP = '203.0.113.9';

/** A port with nothing listening on it. */

function expectFailure(result: UntypedResponseTuple, kind: string): void {
  expect(result.success).toBe(false);
  expect(result.failure).toBe(kind);
  expect(result[0]).toBe(false);
  expect(typeof result.failureReason).toBe('string');
  expect(result[5]).toBe(result.failureReason);
}

// The transport contract: every behaviour below holds for both transports.
describe.each([
  ['undici', {} satisfies Partial<AuthnzerverOptions>],
  ['fetch (ky over Node fetch)', { transport: 'fetch' } satisfies Partial<AuthnzerverOptions>],
])('Authnzerver.request over %s', (_, transportOptions) => {
  let server: ProtocolServer;
  let client: Authnzerver;
  const make = (options: Partial<AuthnzerverOptions> = {}): Authnzerver =>
    new Authnzerver({ url: server.url, secret: server.secret, ...transportOptions, ...options });

  beforeAll(async () => {
    server = await startProtocolServer({ handler: testHandler });
    client = make();
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  expectFaultsConsumed(() => server);

  it('sends the envelope as PROTOCOL.md shows it and returns a success tuple', async () => {
    const result = await client.request('test-ok', { client_ipaddr: IP, thing: 1 }, 'my-id');
    const sent = server.received.at(-1)!;
    expect(sent.envelope).toEqual({
      request: 'test-ok',
      body: { client_ipaddr: IP, thing: 1 },
      reqid: 'my-id',
      client_ipaddr: IP,
    });

    expect(result.success).toBe(true);
    expect(result.failure).toBeNull();
    expect(result.response).toEqual({ echo: { client_ipaddr: IP, thing: 1 } });
    expect(result.messages).toEqual(['It worked.']);
    expect(result.statusCode).toBe(200);
    expect(result.failureReason).toBeNull();
    expect(result.headers?.['content-type']).toBe('text/plain; charset=UTF-8');
    expect(result.reqid).toBe('my-id');
    expect(result.attempts).toBe(1);
    // The same values as a tuple, in the Python client's order.
    const [success, response, messages, headers, statusCode, failureReason] = result;
    expect([success, response, messages, headers, statusCode, failureReason]).toEqual([
      result.success,
      result.response,
      result.messages,
      result.headers,
      result.statusCode,
      result.failureReason,
    ]);
    expect(result).toHaveLength(6);
    expect(Object.isFrozen(result)).toBe(true);
  });

  it('makes a default reqid of 8 random bytes in url-safe base64, new for every call', async () => {
    const first = await client.request('test-ok', { client_ipaddr: IP });
    const second = await client.request('test-ok', { client_ipaddr: IP });
    expect(first.reqid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(Buffer.from(first.reqid as string, 'base64url')).toHaveLength(8);
    expect(second.reqid).not.toBe(first.reqid);
    expect(server.received.at(-1)!.reqid).toBe(second.reqid);
  });

  it('keeps an integer reqid an integer, both ways', async () => {
    const result = await client.request('test-ok', { client_ipaddr: IP }, 42);
    expect(server.received.at(-1)!.reqid).toBe(42);
    expect(result.success).toBe(true);
    expect(result.reqid).toBe(42);
  });

  it('accepts options in place of the reqid', async () => {
    const result = await client.request(
      'test-ok',
      { client_ipaddr: IP },
      { reqid: 7, timeout: 2000 },
    );
    expect(result.reqid).toBe(7);
  });

  it('a 200 with success false is `rejected`, with the server messages and reason', async () => {
    const result = await client.request('test-no', { client_ipaddr: IP });
    expectFailure(result, 'rejected');
    expect(result.response).toEqual({ echo: null });
    expect(result.messages).toEqual(['Sorry, no.']);
    expect(result.failureReason).toBe('not allowed');
    expect(result.statusCode).toBe(200);
  });

  it('a 200 with a problems list is `invalid-params`, with the problems typed and no failure reason', async () => {
    const result = await client.request('test-invalid', { client_ipaddr: IP });
    expect(result.success).toBe(false);
    expect(result.failure).toBe('invalid-params');
    if (result.failure !== 'invalid-params') return;
    expect(result.problems).toEqual([
      { param: 'thing', problem: 'missing', required_type: ['int', 'None'], required_param: true },
    ]);
    expect(result.response.response.failure_reason).toBe('invalid request parameters');
    expect(result.failureReason).toBeNull();
    expect(result.messages).toEqual(["request 'test-invalid' has invalid parameters"]);
  });

  it.each([
    [400, 'bad-request'],
    [401, 'unauthorized'],
    [404, 'not-found'],
    [405, 'http-error'],
    [500, 'server-error'],
    [502, 'server-error'],
    [503, 'server-error'],
  ])('HTTP %i is `%s`, with the body as the reason and the headers', async (status, kind) => {
    server.fault({ kind: 'status', status });
    const result = await client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, kind);
    expect(result.statusCode).toBe(status);
    expect(result.response).toBeNull();
    expect(result.messages).toEqual(COMMUNICATION_MESSAGES);
    expect(result.failureReason).toMatch(new RegExp(`^HTTP ${status}`));
    expect(result.headers?.['content-type']).toBe('text/plain; charset=UTF-8');
  });

  it('an unknown request type is `bad-request`, as the real server answers it', async () => {
    const result = await client.request('user-frobnicate', { client_ipaddr: IP });
    expectFailure(result, 'bad-request');
    expect(result.failureReason).toBe(
      'HTTP 400: Could not service this request because of invalid request parameters.',
    );
  });

  it('the wrong secret is `unauthorized` (the server cannot decrypt the request)', async () => {
    const wrong = make({ secret: generateFernetKey() });
    const result = await wrong.request('test-ok', { client_ipaddr: IP });
    await wrong.close();
    expectFailure(result, 'unauthorized');
    expect(result.statusCode).toBe(401);
  });

  it('HTTP 429 is `rate-limited` with Retry-After in seconds', async () => {
    server.fault({ kind: 'status', status: 429 });
    const result = await client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'rate-limited');
    if (result.failure !== 'rate-limited') return;
    expect(result.retryAfter).toBe(180);
    expect(result.headers['retry-after']).toBe('180');
  });

  it('an HTML 404 is `not-found`', async () => {
    server.fault({ kind: 'html-404' });
    const result = await client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'not-found');
    expect(result.failureReason).toContain('404: Not Found');
  });

  it('a path the server does not serve is `not-found`', async () => {
    const wrongPath = make({ url: `${server.url}auth` });
    const result = await wrongPath.request('test-ok', { client_ipaddr: IP });
    await wrongPath.close();
    expectFailure(result, 'not-found');
  });

  it('a 200 under another key is `decrypt`', async () => {
    server.fault({ kind: 'wrong-key' });
    const result = await client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'decrypt');
    expect(result.statusCode).toBe(200);
  });

  it('a 200 of garbage is `decrypt`', async () => {
    server.fault({ kind: 'garbage', what: 'body' });
    expectFailure(await client.request('test-ok', { client_ipaddr: IP }), 'decrypt');
  });

  it('bytes that are not HTTP are `invalid-response`', async () => {
    server.fault({ kind: 'garbage', what: 'http' });
    expectFailure(await client.request('test-ok', { client_ipaddr: IP }), 'invalid-response');
  });

  it('a reply with another reqid is `reqid-mismatch`', async () => {
    server.fault({ kind: 'wrong-reqid' });
    const result = await client.request('test-ok', { client_ipaddr: IP }, 'abc');
    expectFailure(result, 'reqid-mismatch');
    expect(result.failureReason).toBe('authnzerver returned incorrect request ID');
    expect(result.reqid).toBe('abc');
  });

  it('a reply that echoes the reqid with another JSON type is `reqid-mismatch`', async () => {
    server.fault({
      kind: 'reply',
      envelope: {
        success: true,
        response: { success: true, messages: [] },
        messages: [],
        reqid: '5',
      },
    });
    expectFailure(await client.request('test-ok', { client_ipaddr: IP }, 5), 'reqid-mismatch');
  });

  it.each([
    ['not an object', [1, 2, 3]],
    ['without success', { response: {}, messages: [], reqid: 'r' }],
    [
      'with a response that is not an object',
      { success: true, response: 'x', messages: [], reqid: 'r' },
    ],
    [
      'with messages that are not strings',
      { success: true, response: {}, messages: [1], reqid: 'r' },
    ],
    [
      'with a failure_reason that is not a string',
      { success: false, response: {}, messages: [], failure_reason: 3, reqid: 'r' },
    ],
  ])('a decrypted reply %s is `invalid-response`', async (_, envelope) => {
    server.fault({ kind: 'reply', envelope });
    expectFailure(await client.request('test-ok', { client_ipaddr: IP }, 'r'), 'invalid-response');
  });

  it('a reply body over maxResponseBytes is `too-large`', async () => {
    const small = make({ maxResponseBytes: 1000 });
    server.fault({ kind: 'oversize', bytes: 5000 });
    const result = await small.request('test-ok', { client_ipaddr: IP });
    await small.close();
    expectFailure(result, 'too-large');
    expect(result.statusCode).toBe(200);
  });

  it('a reply that takes longer than the deadline is `timeout`, at the deadline', async () => {
    server.fault({ kind: 'delay', ms: 3000 });
    const started = Date.now();
    const result = await client.request('test-ok', { client_ipaddr: IP }, { timeout: 300 });
    const elapsed = Date.now() - started;
    expectFailure(result, 'timeout');
    expect(result.failureReason).toMatch(/^no reply within the deadline of 300 ms\b/);
    expect(elapsed).toBeGreaterThanOrEqual(295);
    // Well before the reply would have come (3000 ms): the margin only absorbs a busy machine's late timers.
    expect(elapsed).toBeLessThan(2000);
    if (result.failure === 'timeout') expect(result.delivery).toBe('maybe-sent');
  });

  it('calls with different deadlines at once each end at their own', async () => {
    server.fault({ kind: 'hang' }, 3);
    const started = Date.now();
    const ends = await Promise.all(
      [1500, 500, 1000].map(async (timeout) => {
        const result = await client.request('test-ok', { client_ipaddr: IP }, { timeout });
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
    server.fault({ kind: 'slow-body', ms: 400, pieces: 5 });
    const result = await client.request('test-ok', { client_ipaddr: IP }, { timeout: 500 });
    expectFailure(result, 'timeout');
  });

  it('a server that never answers is `timeout`', async () => {
    server.fault({ kind: 'hang' });
    expectFailure(
      await client.request('test-ok', { client_ipaddr: IP }, { timeout: 300 }),
      'timeout',
    );
  });

  it('an absolute deadline in the past fails at once as `timeout`, and sends nothing', async () => {
    const hits = server.hits;
    const result = await client.request(
      'test-ok',
      { client_ipaddr: IP },
      { deadline: Date.now() - 1 },
    );
    expectFailure(result, 'timeout');
    expect(server.hits).toBe(hits);
  });

  it("the caller's signal ends the call as `aborted`", async () => {
    server.fault({ kind: 'delay', ms: 3000 });
    const controller = new AbortController();
    const hits = server.hits;
    const pending = client.request('test-ok', { client_ipaddr: IP }, { signal: controller.signal });
    // Aborted once the server holds the request (and its delay), not after a guess at how long sending takes.
    while (server.hits === hits) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const result = await pending;
    expectFailure(result, 'aborted');
    if (result.failure === 'aborted') expect(result.delivery).toBe('maybe-sent');
  });

  it('an already-aborted signal sends nothing', async () => {
    const hits = server.hits;
    const result = await client.request(
      'test-ok',
      { client_ipaddr: IP },
      { signal: AbortSignal.abort() },
    );
    expectFailure(result, 'aborted');
    if (result.failure === 'aborted') expect(result.delivery).toBe('not-sent');
    expect(server.hits).toBe(hits);
  });

  it('a connection reset is `network`', async () => {
    server.fault({ kind: 'reset', when: 'after-body' });
    const result = await client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'network');
    if (result.failure === 'network') expect(result.delivery).toBe('maybe-sent');
  });

  it('a reply cut short is `network`', async () => {
    server.fault({ kind: 'truncate' });
    expectFailure(await client.request('test-ok', { client_ipaddr: IP }), 'network');
  });

  it('a refused connection is `network`, proven not sent', async () => {
    const refused = make({ url: `http://127.0.0.1:${await closedPort()}/` });
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
      server.fault({
        kind: 'status',
        status: 400,
        body: page,
        headers: { 'content-type': 'text/html' },
      });
      const result = await client.request('test-ok', { client_ipaddr: IP });
      expectFailure(result, 'tls');
      expect(result.statusCode).toBe(400);
      if (result.failure === 'tls') expect(result.delivery).toBe('not-sent');
    },
  );

  it('a body without client_ipaddr is an error before anything is sent', async () => {
    const hits = server.hits;
    await expect(client.request('test-ok', { thing: 1 } as never)).rejects.toThrow(
      RequestValidationError,
    );
    await expect(client.request('test-ok', { client_ipaddr: '' })).rejects.toThrow(/client_ipaddr/);
    await expect(client.request('test-ok', null as never)).rejects.toThrow(/must be an object/);
    await expect(client.request('test-ok', [] as never)).rejects.toThrow(/must be an object/);
    expect(server.hits).toBe(hits);
  });

  it('a bad reqid is an error before anything is sent', async () => {
    const hits = server.hits;
    for (const reqid of [1.5, Number.NaN, '', 2 ** 60]) {
      await expect(client.request('test-ok', { client_ipaddr: IP }, reqid)).rejects.toThrow(
        /reqid/,
      );
    }
    expect(server.hits).toBe(hits);
  });

  it('a body that cannot be JSON is an error before anything is sent', async () => {
    const cyclic: Record<string, unknown> = { client_ipaddr: IP };
    cyclic.self = cyclic;
    await expect(client.request('test-ok', cyclic as never)).rejects.toThrow(/JSON/);
    await expect(client.request('test-ok', { client_ipaddr: IP, n: 1n })).rejects.toThrow(
      RequestValidationError,
    );
  });

  it('after close(), requests throw ClientClosedError; close() is idempotent', async () => {
    const closing = make();
    expect((await closing.request('test-ok', { client_ipaddr: IP })).success).toBe(true);
    await closing.close();
    await closing.close();
    await expect(closing.request('test-ok', { client_ipaddr: IP })).rejects.toThrow(
      ClientClosedError,
    );
  });

  it('many calls at once each get their own answer', async () => {
    const results = await Promise.all(
      // A generous deadline: what is tested is that each call gets its own answer, not how fast 200 are served.
      Array.from({ length: 200 }, (_, i) =>
        client.request('test-ok', { client_ipaddr: IP, i }, { reqid: i, timeout: 30_000 }),
      ),
    );
    results.forEach((result, i) => {
      expect(result.success).toBe(true);
      expect(result.reqid).toBe(i);
      expect(result.response).toEqual({ echo: { client_ipaddr: IP, i } });
    });
  });
});

describe('a script that uses the client', () => {
  it('ends on its own after close(), with no handle left open', async () => {
    const server = await startProtocolServer({ handler: testHandler });
    const script = `
      import { Authnzerver } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)};
      const client = new Authnzerver({ url: process.argv[1], secret: process.argv[2] });
      const results = await Promise.all([1, 2, 3].map((i) => client.request('test-ok', { client_ipaddr: '127.0.0.1', i })));
      await client.close();
      console.log(results.map((r) => r.success).join(','));
    `;
    const run = await runScript(script, [server.url, server.secret], { limitMs: 20_000 });
    await server.close();
    expect(run.stdout.trim(), run.stderr).toBe('true,true,true');
    expect(run.code).toBe(0);
  });
});
