import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, type FailureKind } from '../../src/index.js';
import {
  createTestServer,
  type AuthnzerverTestServer,
  type Fault,
} from '../../src/testing/index.js';
import { expectFaultsConsumed } from '../helpers/fault-accounting.js';
import { wire } from './helpers.js';

/**
 * Every fault kind, injected per call into the test server that stands in for authnzerver, and what the client
 * makes of it. Each fault applies to one request; the next is answered normally.
 *
 * Only the calls that must time out get a short deadline; every other call gets a generous one, so that no
 * result depends on how fast a busy machine answers. Every test ends with no fault left queued.
 */

const ip = '192.0.2.9';
/** The deadline of the calls that must time out: far shorter than the faults that make them. */
const SHORT_MS = 400;
/** The deadline of every other call: what they test is not speed. */
const GENEROUS_MS = 30_000;

/** After each test: no fault it queued was left unmet, none is left for the next, nor any rate-limit count. */
function isolate(server: () => AuthnzerverTestServer): void {
  afterEach(() => {
    server().resetLimits();
  });
  expectFaultsConsumed(server);
}

describe('faults on demand', () => {
  let server: AuthnzerverTestServer;
  let client: Authnzerver;

  beforeAll(async () => {
    server = await createTestServer();
    client = new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: false,
      timeouts: { request: GENEROUS_MS },
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  isolate(() => server);

  const read = () => client.sessionExists({ session_token: 'no-such-token', client_ipaddr: ip });

  const cases: readonly (readonly [string, Fault, FailureKind | 'rejected-normally'])[] = [
    ['a short delay', { kind: 'delay', ms: 30 }, 'rejected-normally'],
    ['a delay past the deadline', { kind: 'delay', ms: 2000 }, 'timeout'],
    ['a slow body that arrives', { kind: 'slow-body', ms: 20, pieces: 3 }, 'rejected-normally'],
    ['a slow body past the deadline', { kind: 'slow-body', ms: 300, pieces: 4 }, 'timeout'],
    ['no answer at all', { kind: 'hang' }, 'timeout'],
    ['a reset when the request line arrives', { kind: 'reset', when: 'before-body' }, 'network'],
    ['a reset after the request was read', { kind: 'reset', when: 'after-body' }, 'network'],
    ['a reset of the next new connection', { kind: 'reset', when: 'on-connect' }, 'network'],
    ['a reply cut short', { kind: 'truncate' }, 'network'],
    ['a garbage body', { kind: 'garbage', what: 'body' }, 'decrypt'],
    ['garbage instead of HTTP', { kind: 'garbage', what: 'http' }, 'invalid-response'],
    ["Tornado's 404 page", { kind: 'html-404' }, 'not-found'],
    ['a reply under another key', { kind: 'wrong-key' }, 'decrypt'],
    ['a reply with another reqid', { kind: 'wrong-reqid' }, 'reqid-mismatch'],
    ['an oversized reply', { kind: 'oversize', bytes: 2 * 1024 * 1024 }, 'too-large'],
    ['HTTP 500', { kind: 'status', status: 500 }, 'server-error'],
    ['HTTP 429', { kind: 'status', status: 429 }, 'rate-limited'],
    ['HTTP 418 with a body', { kind: 'status', status: 418, body: 'teapot' }, 'http-error'],
  ];

  it.each(cases)('%s', async (_name, fault, expected) => {
    // A fresh client, so that a reset of the next new connection meets a new connection.
    const fresh = new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: false,
      timeouts: { request: expected === 'timeout' ? SHORT_MS : GENEROUS_MS },
    });
    server.fault(fault);
    const result = await fresh.sessionExists({ session_token: 'no-such-token', client_ipaddr: ip });
    await fresh.close();
    expect(server.pendingFaults(), 'the call met its fault').toBe(0);
    if (expected === 'rejected-normally') {
      expect([result.failure, result.messages]).toEqual(['rejected', ['Session look up failed.']]);
    } else {
      expect(result.failure).toBe(expected);
    }
    if (fault.kind === 'status' && fault.status === 429 && result.failure === 'rate-limited')
      expect(result.retryAfter).toBe(180);
    if (fault.kind === 'status' && fault.status === 418)
      expect(result.failureReason).toBe('teapot');
    // The fault was used up: the next call is answered by the in-memory server.
    const next = await read();
    expect([next.failure, next.messages]).toEqual(['rejected', ['Session look up failed.']]);
  });

  it('a reply fault sends any envelope, encrypted under the right key', async () => {
    server.fault({
      kind: 'reply',
      envelope: {
        success: true,
        response: { success: true, messages: ['forged'] },
        messages: ['forged'],
        reqid: 'r1',
      },
    });
    const result = await client.sessionDelete(
      { session_token: 'x', client_ipaddr: ip },
      { reqid: 'r1' },
    );
    expect([result.success, result.messages]).toEqual([true, ['forged']]);
  });

  it('pendingFaults() counts the faults no request met yet; clearFaults() drops them', async () => {
    expect(server.pendingFaults()).toBe(0);
    server.fault({ kind: 'status', status: 503 }, 2);
    server.fault({ kind: 'html-404' });
    expect(server.pendingFaults()).toBe(3);
    expect((await read()).statusCode).toBe(503);
    expect(server.pendingFaults()).toBe(2);
    server.clearFaults();
    expect(server.pendingFaults()).toBe(0);
    expect((await read()).statusCode).toBe(200);
  });

  it('idle() waits for the replies a client gave up on', async () => {
    await server.idle(); // nothing is being answered: at once
    const before = server.received.length;
    // The server records a request once its delay is over, long after the client stopped waiting.
    server.fault({ kind: 'delay', ms: 1000 });
    const late = await client.sessionExists(
      { session_token: 'no-such-token', client_ipaddr: ip },
      { timeout: 100 },
    );
    expect(late.failure).toBe('timeout');
    expect(server.received.length).toBe(before);
    await server.idle();
    expect(server.received.length).toBe(before + 1);
  });

  it('`times` repeats a fault over the next calls', async () => {
    server.fault({ kind: 'status', status: 503 }, 2);
    expect((await read()).statusCode).toBe(503);
    expect((await read()).statusCode).toBe(503);
    expect((await read()).statusCode).toBe(200);
  });
});

describe("the reset of the next new connection ('on-connect')", () => {
  let server: AuthnzerverTestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.close();
  });
  isolate(() => server);

  function post(agent: Agent): Promise<number> {
    const body = wire(server.secret, {
      request: 'session-exists',
      body: { session_token: 'x', client_ipaddr: ip },
      reqid: 1,
      client_ipaddr: ip,
    });
    return new Promise((resolve, reject) => {
      const req = request(server.url, { method: 'POST', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Opens a TCP connection and reports whether the server closed it before sending anything. */
  function closedAtOnce(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      let data = false;
      socket.on('data', () => {
        data = true;
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        resolve(!data);
      });
      // A connection that is kept open answers this request; then the test closes it.
      socket.on('connect', () => {
        setTimeout(() => {
          socket.end('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
        }, 50);
      });
    });
  }

  it('destroys the next new connection before the client writes, and spares open connections', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await post(agent)).toBe(200);
      const hits = server.hits;
      server.fault({ kind: 'reset', when: 'on-connect' });
      expect(server.pendingFaults()).toBe(1);
      // The kept-alive connection is not new: its request is answered.
      expect(await post(agent)).toBe(200);
      expect(server.pendingFaults()).toBe(1);
      // The next new connection is closed without a byte.
      expect(await closedAtOnce()).toBe(true);
      expect(server.pendingFaults()).toBe(0);
      expect(server.hits).toBe(hits + 1);
      // Used up: the connection after it is served.
      expect(await closedAtOnce()).toBe(false);
    } finally {
      agent.destroy();
    }
  });
});
