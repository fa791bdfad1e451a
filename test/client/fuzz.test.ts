import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authnzerver,
  FAILURE_KINDS,
  Fernet,
  decodeWire,
  encodeWire,
  generateFernetKey,
  type ResponseTuple,
} from '../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { expectFaultsConsumed } from '../helpers/fault-accounting.js';

/**
 * Whatever the server sends back, the client never throws and always returns a tuple. The replies come from an
 * injected `fetch` (the network peer replaced, the client's own code untouched), and, for raw bytes, from a real
 * loopback server.
 */

const KEY = generateFernetKey();
const fernet = new Fernet(KEY);
const IP = '203.0.113.7';

function expectTuple(result: ResponseTuple<unknown, unknown>): void {
  expect(Array.isArray(result)).toBe(true);
  expect(result).toHaveLength(6);
  expect(Object.isFrozen(result)).toBe(true);
  expect(typeof result.success).toBe('boolean');
  if (result.success) expect(result.failure).toBeNull();
  else expect(FAILURE_KINDS).toContain(result.failure);
  expect(result[0]).toBe(result.success);
  expect(result.failureReason === null || typeof result.failureReason === 'string').toBe(true);
}

/** A client whose `fetch` answers every request with `reply(reqid)`. */
function clientAnswering(
  reply: (reqid: unknown) => {
    status: number;
    body: Uint8Array | string;
    headers?: Record<string, string>;
  },
): Authnzerver {
  return new Authnzerver({
    url: 'http://authnzerver.test/',
    secret: KEY,
    retry: false,
    fetch: async (input) => {
      const request = input as Request;
      const envelope = decodeWire(fernet, await request.text()) as { reqid: unknown };
      const { status, body, headers } = reply(envelope.reqid);
      return new Response(typeof body === 'string' ? body : Buffer.from(body), {
        status,
        headers: headers ?? {},
      });
    },
  });
}

const statuses = fc.oneof(fc.constant(200), fc.integer({ min: 200, max: 599 }));
const headers = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  { maxKeys: 4 },
);

describe('fuzzing the replies', () => {
  it('random bytes with any status and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        statuses,
        fc.uint8Array({ maxLength: 2000 }),
        headers,
        async (status, body, extra) => {
          const client = clientAnswering(() => ({ status, body, headers: extra }));
          expectTuple(await client.sessionExists({ session_token: 't', client_ipaddr: IP }));
          expectTuple(await client.request('custom-type', { client_ipaddr: IP }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random JSON inside a valid Fernet token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const client = clientAnswering(() => ({ status: 200, body: encodeWire(fernet, value) }));
        expectTuple(
          await client.userLogin({
            session_token: 't',
            email: 'e',
            password: 'p',
            client_ipaddr: IP,
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('valid envelopes with the right reqid and fields of the wrong types', async () => {
    const anything = fc.jsonValue({ maxDepth: 3 });
    const envelope = fc.record(
      {
        success: fc.oneof(fc.boolean(), anything),
        response: fc.oneof(
          fc.dictionary(
            fc.constantFrom(
              'success',
              'messages',
              'failure_reason',
              'session_info',
              'response',
              'user_id',
              'x',
            ),
            anything,
          ),
          anything,
        ),
        messages: fc.oneof(fc.array(fc.string()), anything),
        failure_reason: fc.oneof(fc.string(), anything),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(envelope, fc.boolean(), async (fields, rightReqid) => {
        const client = clientAnswering((reqid) => ({
          status: 200,
          body: encodeWire(fernet, { ...fields, reqid: rightReqid ? reqid : 'other' }),
        }));
        const result = await client.sessionExists({ session_token: 't', client_ipaddr: IP });
        expectTuple(result);
        // A reply that passes is one of the catalogue's shapes.
        if (result.success) expect(result.response).toHaveProperty('session_info');
      }),
      { numRuns: 500 },
    );
  });

  it('valid invalid-params envelopes whose problems are not what the server sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (problems) => {
        const client = clientAnswering((reqid) => ({
          status: 200,
          body: encodeWire(fernet, {
            success: false,
            response: { success: false, response: { problems } },
            messages: [],
            reqid,
          }),
        }));
        expectTuple(await client.sessionExists({ session_token: 't', client_ipaddr: IP }));
      }),
      { numRuns: 200 },
    );
  });
});

describe('fuzzing raw bytes from a real loopback server (undici transport)', () => {
  let server: ProtocolServer;
  let client: Authnzerver;
  beforeAll(async () => {
    server = await startProtocolServer();
    client = new Authnzerver({ url: server.url, secret: server.secret, retry: false });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  expectFaultsConsumed(() => server);

  it('any status and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        statuses,
        fc.string({ unit: 'binary', maxLength: 2000 }),
        async (status, body) => {
          server.fault({ kind: 'status', status, body });
          expectTuple(await client.sessionExists({ session_token: 't', client_ipaddr: IP }));
          // This call met this fault: none is left for the next run of the property.
          expect(server.pendingFaults()).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
