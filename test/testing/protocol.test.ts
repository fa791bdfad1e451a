import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey } from '../../src/crypto/fernet.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { decodeWire } from '../../src/crypto/wire.js';
import { keyOrder, normalize, post, rawHttp, record, wire, type RawReply } from './helpers.js';

/**
 * createTestServer speaks the real protocol: each probe of the recording (records #153-#173, #1 and #54) is sent
 * to the test server as the recording sent it to the real one, and must get the same status, plain-text body,
 * content type and Retry-After.
 */

let server: AuthnzerverTestServer;
const ip = '10.9.9.9';
const probe = {
  request: 'session-exists',
  body: { session_token: 'whatever', client_ipaddr: ip },
};

/** Holds a reply against the record: status, body text and content type (and Retry-After when recorded). */
function expectLikeRecord(reply: RawReply, seq: number): void {
  const real = record(seq);
  expect(reply.status, real.label).toBe(real.status_code);
  if (real.raw_http_body !== null) expect(reply.text, real.label).toBe(real.raw_http_body);
  expect(reply.headers.get('content-type'), real.label).toBe(real.headers?.['Content-Type']);
  expect(reply.headers.get('retry-after') ?? null, real.label).toBe(real.retry_after);
  expect([...reply.headers.keys()].filter((name) => name.startsWith('x-'))).toEqual([]);
}

const envelope = (extra: Record<string, unknown>): Record<string, unknown> => ({
  ...probe,
  reqid: 424242,
  client_ipaddr: ip,
  ...extra,
});

describe('createTestServer: the protocol probes of the recording', () => {
  beforeAll(async () => {
    server = await createTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  afterEach(() => {
    server.resetLimits();
  });

  describe('requests the server refuses', refusedRequests);
  describe('paths, hosts, /health and rate limits', pathsHostsAndLimits);
});

function refusedRequests(): void {
  it('#153 an unknown request type is HTTP 400', async () => {
    const reply = await rawHttp(server.url, {
      body: wire(server.secret, envelope({ request: 'user-frobnicate', body: { x: 1 } })),
    });
    expectLikeRecord(reply, 153);
  });

  it('#154 the "echo" request type is HTTP 400', async () => {
    const reply = await rawHttp(server.url, {
      body: wire(server.secret, envelope({ request: 'echo', body: { x: 1 } })),
    });
    expectLikeRecord(reply, 154);
  });

  it('#155 and #164 another secret is HTTP 401', async () => {
    const reply = await rawHttp(server.url, { body: wire(generateFernetKey(), envelope({})) });
    expectLikeRecord(reply, 155);
    expectLikeRecord(reply, 164);
  });

  it('#157 an integer reqid comes back as an integer, in the real envelope', async () => {
    const reply = await post(server.url, server.secret, envelope({}));
    expectLikeRecord(reply, 157);
    const real = record(157).raw_response!;
    expect(reply.envelope).toEqual(real);
    expect(keyOrder(reply.envelope)).toEqual(keyOrder(real));
    expect(reply.text.startsWith('Z0FBQUFB')).toBe(true);
  });

  it('#158 outer base64 without its = padding is HTTP 401; #159 a trailing newline is fine', async () => {
    let body = wire(server.secret, envelope({ reqid: 'nopad-604235903' }));
    while (!body.endsWith('='))
      body = wire(server.secret, envelope({ reqid: `nopad-${Math.random()}` }));
    expectLikeRecord(await rawHttp(server.url, { body: body.replace(/=+$/, '') }), 158);
    const withNewline = await rawHttp(server.url, {
      body: `${wire(server.secret, envelope({ reqid: 'nopad-604235903' }))}\n`,
    });
    expectLikeRecord(withNewline, 159);
    expect(decodeWire(new Fernet(server.secret), withNewline.text)).toEqual(
      record(159).raw_response,
    );
  });

  it('#160-#163 a bare Fernet token, plain JSON, garbage or an empty body is HTTP 401', async () => {
    const token = new Fernet(server.secret).encrypt(JSON.stringify(envelope({})));
    expectLikeRecord(await rawHttp(server.url, { body: token }), 160);
    expectLikeRecord(await rawHttp(server.url, { body: JSON.stringify(envelope({})) }), 161);
    expectLikeRecord(await rawHttp(server.url, { body: 'garbage!!' }), 162);
    expectLikeRecord(await rawHttp(server.url, { body: '' }), 163);
  });

  it('#165 an envelope without reqid, and #168 one without request, is HTTP 500', async () => {
    const { reqid: _reqid, ...noReqid } = envelope({});
    expectLikeRecord(await rawHttp(server.url, { body: wire(server.secret, noReqid) }), 165);
    const { request: _request, ...noRequest } = envelope({});
    expectLikeRecord(await rawHttp(server.url, { body: wire(server.secret, noRequest) }), 168);
  });

  it('#166 an envelope without the top-level client_ipaddr is HTTP 400', async () => {
    const { client_ipaddr: _ip, ...noIp } = envelope({});
    expectLikeRecord(await rawHttp(server.url, { body: wire(server.secret, noIp) }), 166);
  });

  it('#167 client_ipaddr only at the top level is enough', async () => {
    const reply = await post(
      server.url,
      server.secret,
      envelope({ body: { session_token: 'whatever' } }),
    );
    expectLikeRecord(reply, 167);
    expect(reply.envelope).toEqual(record(167).raw_response);
  });

  it('#169 a body that is a JSON list is HTTP 400', async () => {
    const reply = await rawHttp(server.url, {
      body: wire(server.secret, envelope({ body: ['not', 'a', 'dict'] })),
    });
    expectLikeRecord(reply, 169);
  });
}

function pathsHostsAndLimits(): void {
  it('#170 another path is the 404 page, #171 GET / and #172 POST /health are HTTP 405', async () => {
    expectLikeRecord(
      await rawHttp(server.url, { path: '/auth', body: wire(server.secret, envelope({})) }),
      170,
    );
    expectLikeRecord(await rawHttp(server.url, { method: 'GET' }), 171);
    expectLikeRecord(await rawHttp(server.url, { path: '/health', body: 'x' }), 172);
  });

  it('#173 a Host that is not allowed is the 404 page', async () => {
    const reply = await rawHttp(server.url, {
      host: 'evil.example.com',
      body: wire(server.secret, envelope({})),
    });
    expectLikeRecord(reply, 173);
  });

  it('#1 GET /health answers JSON for readiness checks', async () => {
    const reply = await rawHttp(server.url, { method: 'GET', path: '/health' });
    expectLikeRecord(reply, 1);
    const health = JSON.parse(reply.text) as Record<string, unknown>;
    expect(Object.keys(health)).toEqual(Object.keys(record(1).response as object));
    expect(health['Health-Ok']).toBe(true);
  });

  it('#54 an email type without email or email_address is HTTP 429 with Retry-After: 180', async () => {
    const reply = await rawHttp(server.url, {
      body: wire(
        server.secret,
        envelope({ request: 'user-lookup-email', body: { client_ipaddr: ip } }),
      ),
    });
    expectLikeRecord(reply, 54);
  });

  it('a non-empty envelope that is not an object is HTTP 500; an empty one is HTTP 401', async () => {
    expect((await rawHttp(server.url, { body: wire(server.secret, ['a']) })).status).toBe(500);
    expect((await rawHttp(server.url, { body: wire(server.secret, {}) })).status).toBe(401);
  });
}

describe('createTestServer: 200 replies shaped as the real server shapes them', () => {
  let server: AuthnzerverTestServer;
  beforeAll(async () => {
    server = await createTestServer({ loginBackoff: { scale: 0 } });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    server.resetLimits();
  });

  it.each([3, 12, 40, 51, 59, 63, 107, 118, 140])(
    'invalid parameters (#%i): HTTP 200 and the real nesting, problems and messages',
    async (seq) => {
      const real = record(seq);
      const reply = await post(server.url, server.secret, {
        request: real.request_type,
        body: real.request_body,
        reqid: real.raw_response!.reqid,
        client_ipaddr: real.request_body!.client_ipaddr,
      });
      expect(reply.status).toBe(200);
      expect(reply.envelope).toEqual(real.raw_response);
      expect(keyOrder(reply.envelope)).toEqual(keyOrder(real.raw_response));
      expect(reply.envelope).not.toHaveProperty('failure_reason');
    },
  );

  it('an action failure repeats success, messages and failure_reason at the top level', async () => {
    const real = record(11); // session-exists with an unknown token
    const reply = await post(server.url, server.secret, {
      request: 'session-exists',
      body: real.request_body,
      reqid: real.raw_response!.reqid,
      client_ipaddr: real.request_body!.client_ipaddr,
    });
    expect(reply.envelope).toEqual(real.raw_response);
    expect(keyOrder(reply.envelope)).toEqual(keyOrder(real.raw_response));
  });

  it('a success carries the action dict whole, with its own success and messages', async () => {
    const real = record(2); // session-new for an anonymous user
    const reply = await post(server.url, server.secret, {
      request: 'session-new',
      body: { ...real.request_body, expires: '2099-01-01T00:00:00.000001' },
      reqid: real.raw_response!.reqid,
      client_ipaddr: real.request_body!.client_ipaddr,
    });
    const ours = reply.envelope!;
    expect(normalize(ours)).toEqual(normalize(real.raw_response));
    expect(keyOrder(ours)).toEqual(keyOrder(real.raw_response));
    expect((ours.response as { session_token: string }).session_token).toMatch(/^[\w-]{43}$/);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(reply.headers.get('server')).toBe('TornadoServer/6.2');
  });
});
