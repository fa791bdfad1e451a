// A Jest 29 test as a CommonJS app writes it, with Jest's default config (no config file, babel-jest): the
// package through `require`, which gives its CommonJS build, against `createTestServer` from
// `authnzerver/testing`, with the default transport (undici). Run by ecosystem-tests/run.ts (jest29).
/* global require, beforeAll, afterAll, test, expect */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app's test: require() is the point */
'use strict';

const { Authnzerver, AuthnzerverError, ClientClosedError } = require('authnzerver');
const { createTestServer } = require('authnzerver/testing');

const client_ipaddr = '203.0.113.29';
const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString().replace('Z', '000');

let server;
let client;

beforeAll(async () => {
  server = await createTestServer();
  client = new Authnzerver({ url: server.url, secret: server.secret });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

test('require() gives the CommonJS build', () => {
  expect(require.resolve('authnzerver')).toMatch(/[\\/]dist[\\/]cjs[\\/]src[\\/]index\.cjs$/);
  expect(require.resolve('authnzerver/testing')).toMatch(/[\\/]testing[\\/]index\.cjs$/);
});

test('an anonymous session, then a wrong password is rejected with the server message', async () => {
  const session = await client.sessionNew({
    ip_address: client_ipaddr,
    user_agent: 'jest 29',
    user_id: null,
    expires: inOneHour(),
    extra_info_json: null,
    client_ipaddr,
  });
  expect(session.success).toBe(true);
  const token = session.response.session_token;

  const exists = await client.sessionExists({ session_token: token, client_ipaddr });
  expect(exists.success && exists.response.session_info.user_role).toBe('anonymous');

  const login = await client.userLogin({
    session_token: token,
    email: 'nobody@example.com',
    password: 'not the password',
    client_ipaddr,
  });
  expect(login.success).toBe(false);
  expect(login.failure).toBe('rejected');
  expect(login.messages).toEqual(["Sorry, that user ID and password combination didn't work."]);
});

test('a closed client rejects with ClientClosedError', async () => {
  const closing = new Authnzerver({ url: server.url, secret: server.secret });
  await closing.close();
  const error = await closing.sessionExists({ session_token: 'x', client_ipaddr }).then(
    () => null,
    (thrown) => thrown,
  );
  expect(error).toBeInstanceOf(ClientClosedError);
  expect(error).toBeInstanceOf(AuthnzerverError);
  expect(ClientClosedError.is(error)).toBe(true);
});
