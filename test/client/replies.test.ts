import { describe, expect, it } from 'vitest';
import { COMMUNICATION_MESSAGES, generateFernetKey } from '../../src/runtime.js';
import {
  IP,
  TRANSPORTS,
  expectFailure,
  onProtocolServer,
  type OnServer,
} from '../helpers/transport-contract.js';

/**
 * What the client makes of each reply, over both transports against a protocol server on loopback: the envelope
 * it sends, request ids, and each kind of reply (success, `rejected`, `invalid-params`, each HTTP status, a reply
 * that does not decrypt, is not an envelope, or carries another request id) as its tuple.
 */

describe.each(TRANSPORTS)('replies over %s', (_, transportOptions) => {
  const t = onProtocolServer(transportOptions);

  describe('the envelope and the request id', () => {
    envelopeAndReqid(t);
  });
  describe("the server's refusals", () => {
    refusals(t);
  });
  describe('replies the client cannot read', () => {
    unreadableReplies(t);
  });
});

function envelopeAndReqid(t: OnServer): void {
  it('sends the envelope as the server reads it and returns a success tuple', async () => {
    const result = await t.client.request('test-ok', { client_ipaddr: IP, thing: 1 }, 'my-id');
    const sent = t.server.received.at(-1)!;
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
    const first = await t.client.request('test-ok', { client_ipaddr: IP });
    const second = await t.client.request('test-ok', { client_ipaddr: IP });
    expect(first.reqid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(Buffer.from(first.reqid as string, 'base64url')).toHaveLength(8);
    expect(second.reqid).not.toBe(first.reqid);
    expect(t.server.received.at(-1)!.reqid).toBe(second.reqid);
  });

  it('keeps an integer reqid an integer, both ways', async () => {
    const result = await t.client.request('test-ok', { client_ipaddr: IP }, 42);
    expect(t.server.received.at(-1)!.reqid).toBe(42);
    expect(result.success).toBe(true);
    expect(result.reqid).toBe(42);
  });

  it('accepts options in place of the reqid', async () => {
    const result = await t.client.request(
      'test-ok',
      { client_ipaddr: IP },
      { reqid: 7, timeout: 2000 },
    );
    expect(result.reqid).toBe(7);
  });
}

function refusals(t: OnServer): void {
  it('a 200 with success false is `rejected`, with the server messages and reason', async () => {
    const result = await t.client.request('test-no', { client_ipaddr: IP });
    expectFailure(result, 'rejected');
    expect(result.response).toEqual({ echo: null });
    expect(result.messages).toEqual(['Sorry, no.']);
    expect(result.failureReason).toBe('not allowed');
    expect(result.statusCode).toBe(200);
  });

  it('a 200 with a problems list is `invalid-params`, with the problems typed and no failure reason', async () => {
    const result = await t.client.request('test-invalid', { client_ipaddr: IP });
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
    t.server.fault({ kind: 'status', status });
    const result = await t.client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, kind);
    expect(result.statusCode).toBe(status);
    expect(result.response).toBeNull();
    expect(result.messages).toEqual(COMMUNICATION_MESSAGES);
    expect(result.failureReason).toMatch(new RegExp(`^HTTP ${status}`));
    expect(result.headers?.['content-type']).toBe('text/plain; charset=UTF-8');
  });

  it('an unknown request type is `bad-request`, as the real server answers it', async () => {
    const result = await t.client.request('user-frobnicate', { client_ipaddr: IP });
    expectFailure(result, 'bad-request');
    expect(result.failureReason).toBe(
      'HTTP 400: Could not service this request because of invalid request parameters.',
    );
  });

  it('the wrong secret is `unauthorized` (the server cannot decrypt the request)', async () => {
    const wrong = t.make({ secret: generateFernetKey() });
    const result = await wrong.request('test-ok', { client_ipaddr: IP });
    await wrong.close();
    expectFailure(result, 'unauthorized');
    expect(result.statusCode).toBe(401);
  });

  it('HTTP 429 is `rate-limited` with Retry-After in seconds', async () => {
    t.server.fault({ kind: 'status', status: 429 });
    const result = await t.client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'rate-limited');
    if (result.failure !== 'rate-limited') return;
    expect(result.retryAfter).toBe(180);
    expect(result.headers['retry-after']).toBe('180');
  });

  it('an HTML 404 is `not-found`', async () => {
    t.server.fault({ kind: 'html-404' });
    const result = await t.client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'not-found');
    expect(result.failureReason).toContain('404: Not Found');
  });

  it('a path the server does not serve is `not-found`', async () => {
    const wrongPath = t.make({ url: `${t.server.url}auth` });
    const result = await wrongPath.request('test-ok', { client_ipaddr: IP });
    await wrongPath.close();
    expectFailure(result, 'not-found');
  });
}

function unreadableReplies(t: OnServer): void {
  it('a 200 under another key is `decrypt`', async () => {
    t.server.fault({ kind: 'wrong-key' });
    const result = await t.client.request('test-ok', { client_ipaddr: IP });
    expectFailure(result, 'decrypt');
    expect(result.statusCode).toBe(200);
  });

  it('a 200 of garbage is `decrypt`', async () => {
    t.server.fault({ kind: 'garbage', what: 'body' });
    expectFailure(await t.client.request('test-ok', { client_ipaddr: IP }), 'decrypt');
  });

  it('bytes that are not HTTP are `invalid-response`', async () => {
    t.server.fault({ kind: 'garbage', what: 'http' });
    expectFailure(await t.client.request('test-ok', { client_ipaddr: IP }), 'invalid-response');
  });

  it('a reply with another reqid is `reqid-mismatch`', async () => {
    t.server.fault({ kind: 'wrong-reqid' });
    const result = await t.client.request('test-ok', { client_ipaddr: IP }, 'abc');
    expectFailure(result, 'reqid-mismatch');
    expect(result.failureReason).toBe('authnzerver returned incorrect request ID');
    expect(result.reqid).toBe('abc');
  });

  it('a reply that echoes the reqid with another JSON type is `reqid-mismatch`', async () => {
    t.server.fault({
      kind: 'reply',
      envelope: {
        success: true,
        response: { success: true, messages: [] },
        messages: [],
        reqid: '5',
      },
    });
    expectFailure(await t.client.request('test-ok', { client_ipaddr: IP }, 5), 'reqid-mismatch');
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
    t.server.fault({ kind: 'reply', envelope });
    expectFailure(
      await t.client.request('test-ok', { client_ipaddr: IP }, 'r'),
      'invalid-response',
    );
  });
}
