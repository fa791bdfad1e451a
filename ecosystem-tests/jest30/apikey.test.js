// A Jest 30 test as a CommonJS app writes it, with Jest's default config (no config file, babel-jest): the
// package through `require` (its CommonJS build), against `createTestServer` from `authnzerver/testing`, with the
// fetch transport (its ky, inlined in the CommonJS build: Jest cannot import() an ES module without
// --experimental-vm-modules). Run by ecosystem-tests/run.ts (jest 30).
/* global require, beforeAll, afterAll, test, expect */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app's test: require() is the point */
'use strict';

const { Authnzerver, RequestValidationError } = require('authnzerver');
const { createTestServer } = require('authnzerver/testing');

const client_ipaddr = '203.0.113.30';

let server;
let client;

beforeAll(async () => {
  server = await createTestServer();
  client = new Authnzerver({ url: server.url, secret: server.secret, transport: 'fetch' });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

test('a user signs up, logs in a session, gets an API key, and the key verifies', async () => {
  const email = 'jest30@example.com';
  const created = await client.userNew({
    full_name: 'Jest Thirty',
    email,
    password: 'Correct-Horse-Battery-30',
    client_ipaddr,
  });
  expect(created.success).toBe(true);
  const user_id = created.response.user_id;
  const verified = await client.userSetEmailverified({ email, client_ipaddr });
  expect(verified.success).toBe(true);
  const user_role = verified.response.user_role;
  const session = await client.sessionNew({
    ip_address: client_ipaddr,
    user_agent: 'jest 30',
    user_id,
    expires: new Date(Date.now() + 3_600_000).toISOString().replace('Z', '000'),
    extra_info_json: null,
    client_ipaddr,
  });
  expect(session.success).toBe(true);

  const issued = await client.apikeyNew({
    issuer: 'jest30',
    audience: 'jest30-api',
    subject: '/things',
    apiversion: 1,
    expires_days: 1,
    not_valid_before: 0,
    user_id,
    user_role,
    ip_address: client_ipaddr,
    user_agent: 'jest 30',
    session_token: session.response.session_token,
    client_ipaddr,
  });
  expect(issued.success).toBe(true);
  const apikey_dict = JSON.parse(issued.response.apikey);
  const verify = await client.apikeyVerify({ apikey_dict, user_id, user_role, client_ipaddr });
  expect(verify.success).toBe(true);
});

test('an HTTP 500 is a server-error result, not an exception', async () => {
  server.fault({ kind: 'status', status: 500 });
  const result = await client.sessionExists({ session_token: 'x', client_ipaddr });
  expect(result.success).toBe(false);
  expect(result.failure).toBe('server-error');
  expect(result.statusCode).toBe(500);
});

test('an invalid body throws RequestValidationError, naming the field, and sends nothing', async () => {
  const before = server.received.length;
  const error = await client.sessionExists({ session_token: 42, client_ipaddr }).then(
    () => null,
    (thrown) => thrown,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  expect(error.message).toContain('session_token');
  expect(server.received.length).toBe(before);
});
