import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Authnzerver, type UserLoginBody } from '../../src/index.js';
import {
  createTestServer,
  type AuthnzerverTestServer,
  type ReceivedRequest,
  type TestServerHandlers,
} from '../../src/testing/index.js';
import { post } from './helpers.js';

/** Typed handlers, the recorded envelopes, and the test server without its in-memory authnzerver. */

const ip = '192.0.2.1';
const expires = '2099-01-01T00:00:00.000001';
let server: AuthnzerverTestServer<never> | AuthnzerverTestServer | AuthnzerverTestServer<undefined>;
let client: Authnzerver;

afterEach(async () => {
  await client.close();
  await server.close();
});

const connect = (): Authnzerver =>
  new Authnzerver({ url: server.url, secret: server.secret, retry: false });

describe('typed handlers', () => {
  describe('their answers', answers);
  describe('their checks', checks);
});

function answers(): void {
  it('answer their request type with the typed body, and the in-memory server answers the rest', async () => {
    const seen: UserLoginBody[] = [];
    const handlers: TestServerHandlers = {
      userLogin: (body, request) => {
        expectTypeOf(body).toEqualTypeOf<UserLoginBody>();
        expectTypeOf(request).toEqualTypeOf<ReceivedRequest>();
        seen.push(body);
        return body.password === 'open sesame'
          ? { success: true, user_id: 42, user_role: 'staff', messages: ['Welcome.'] }
          : { success: false, user_id: null, failure_reason: 'nope', messages: ['No.'] };
      },
    };
    server = await createTestServer({ handlers, loginBackoff: { scale: 0 } });
    client = connect();

    const session = await client.sessionNew({
      ip_address: ip,
      user_agent: 'test',
      user_id: null,
      expires,
      extra_info_json: null,
      client_ipaddr: ip,
    });
    expect(session.success).toBe(true); // the in-memory server
    const token = session.success ? session.response.session_token : '';

    const ok = await client.userLogin({
      session_token: token,
      email: 'who@example.com',
      password: 'open sesame',
      client_ipaddr: ip,
    });
    expect([ok.success, ok.response, ok.messages]).toEqual([
      true,
      { user_id: 42, user_role: 'staff' },
      ['Welcome.'],
    ]);
    const no = await client.userLogin({
      session_token: token,
      email: 'who@example.com',
      password: 'guess',
      client_ipaddr: ip,
    });
    expect([no.success, no.failure, no.failureReason, no.messages]).toEqual([
      false,
      'rejected',
      'nope',
      ['No.'],
    ]);
    expect(seen.map((b) => b.password)).toEqual(['open sesame', 'guess']);
    // The handler, not the in-memory server, answered: the session it was given still exists.
    expect((await client.sessionExists({ session_token: token, client_ipaddr: ip })).success).toBe(
      true,
    );
  });

  it('may answer an HTTP status, and a handler that throws gives HTTP 400', async () => {
    server = await createTestServer({
      handlers: {
        sessionExists: () => ({ httpStatus: 503 }),
        sessionDelete: () => {
          throw new Error('boom');
        },
      },
    });
    client = connect();
    const unavailable = await client.sessionExists({ session_token: 'x', client_ipaddr: ip });
    expect([unavailable.failure, unavailable.statusCode]).toEqual(['server-error', 503]);
    const crashed = await client.sessionDelete({ session_token: 'x', client_ipaddr: ip });
    expect([crashed.failure, crashed.statusCode]).toEqual(['bad-request', 400]);
  });
}

function checks(): void {
  it('get bodies only after the server’s own parameter check, and their replies get messages', async () => {
    let calls = 0;
    server = await createTestServer({
      handlers: {
        userList: () => {
          calls++;
          return { success: true, user_info: [] };
        },
      },
    });
    const missing = await post(server.url, server.secret, {
      request: 'user-list',
      body: { client_ipaddr: ip },
      reqid: 1,
      client_ipaddr: ip,
    });
    expect(missing.envelope?.messages).toEqual(["request 'user-list' has invalid parameters"]);
    expect(calls).toBe(0);
    const listed = await post(server.url, server.secret, {
      request: 'user-list',
      body: { user_id: null, client_ipaddr: ip },
      reqid: 2,
      client_ipaddr: ip,
    });
    expect(calls).toBe(1);
    expect(listed.envelope).toEqual({
      success: true,
      response: { success: true, user_info: [], messages: [] },
      messages: [],
      reqid: 2,
    });
    client = connect();
  });

  it('are checked against the method names at start', async () => {
    await expect(
      createTestServer({ handlers: { userFrobnicate: () => ({ success: true }) } as never }),
    ).rejects.toThrow(
      /unknown option `handlers\.userFrobnicate`; the options of `handlers` are sessionNew,/,
    );
    await expect(
      createTestServer({ handlers: { userLgin: () => ({ success: true }) } as never }),
    ).rejects.toThrow('unknown option `handlers.userLgin`; did you mean `handlers.userLogin`?');
    server = await createTestServer();
    client = connect();
  });

  it('reject a reply of the wrong shape at compile time', () => {
    const wrongShape: TestServerHandlers = {
      // @ts-expect-error: user_id must be a number on success
      userLogin: () => ({ success: true, user_id: 'x', user_role: 'staff' }),
    };
    const wrongName: TestServerHandlers = {
      // @ts-expect-error: the request type has no such method
      sessionFrobnicate: () => ({ success: true }),
    };
    const handlers = { ...wrongShape, ...wrongName };
    expect(Object.keys(handlers)).toHaveLength(2);
  });
}

describe('the recorded envelopes', () => {
  it('hold every decrypted envelope, those refused before any action included', async () => {
    server = await createTestServer();
    client = connect();
    await client.sessionExists({ session_token: 'abc', client_ipaddr: ip }, { reqid: 'r-1' });
    await post(server.url, server.secret, {
      request: 'echo',
      body: {},
      reqid: 'r-2',
      client_ipaddr: ip,
    });
    await post(server.url, server.secret, { request: 'session-exists', body: {}, reqid: 'r-3' });
    expect(server.received.map((r) => [r.type, r.reqid, r.clientIpaddr])).toEqual([
      ['session-exists', 'r-1', ip],
      ['echo', 'r-2', ip],
      ['session-exists', 'r-3', undefined],
    ]);
    expect(server.received[0]!.envelope).toEqual({
      request: 'session-exists',
      body: { session_token: 'abc', client_ipaddr: ip },
      reqid: 'r-1',
      client_ipaddr: ip,
    });
    expect(server.received[0]!.headers['content-type']).toBeDefined();
  });
});

describe('authnzerver: false', () => {
  it('answers HTTP 400 for every type without a handler, as the server does for unknown types', async () => {
    const test = await createTestServer({
      authnzerver: false,
      handlers: { sessionExists: () => ({ success: false, session_info: null }) },
    });
    server = test;
    expectTypeOf(test.authnzerver).toEqualTypeOf<undefined>();
    expect(test.authnzerver).toBeUndefined();
    client = connect();
    const handled = await client.sessionExists({ session_token: 'x', client_ipaddr: ip });
    expect([handled.success, handled.failure]).toEqual([false, 'rejected']);
    const other = await client.sessionNew({
      ip_address: ip,
      user_agent: 'test',
      user_id: null,
      expires,
      extra_info_json: null,
      client_ipaddr: ip,
    });
    expect([other.failure, other.statusCode]).toEqual(['bad-request', 400]);
  });
});
