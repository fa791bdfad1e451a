import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authnzerver,
  ConfigError,
  FetchTransport,
  RequestValidationError,
  generateFernetKey,
  type ResponseTuple,
} from '../../src/index.js';
import { READ_BODY, SECRETS, WRITE_BODY } from '../helpers/catalogue-handler.js';
import { FAULT_TABLE, type FaultRow } from '../helpers/faults.js';
import { COLD_START_MS, expectFaultsConsumed, warmUpSync } from '../helpers/fault-accounting.js';
import { closedPort, runScript } from '../helpers/processes.js';
import { startServerThread, type ServerThread } from '../helpers/server-thread.js';

/**
 * The sync API against a server in a thread of its own (the main thread blocks during a sync call). Every
 * fault of docs/failures.md's table gives the same tuple through `client.sync` as through the async method.
 *
 * A client's first sync call starts its worker thread, which under tsx takes about half a second, and several on
 * a busy machine. A call under a short deadline therefore runs on a client warmed up first (`warmUpSync`), and
 * other calls get a generous deadline: no result depends on how fast a thread starts. Every test ends with no
 * fault left queued (`expectFaultsConsumed`).
 */

const read = READ_BODY;
const write = WRITE_BODY;

/** The parts of a tuple that must agree between sync and async (not the reqid, nor the port in a reason). */
function comparable(result: ResponseTuple<unknown, unknown>): unknown {
  return {
    success: result.success,
    failure: result.failure,
    attempts: result.attempts,
    statusCode: result.statusCode,
    response: result.response,
    messages: result.messages,
    // How a dropped connection is worded ("other side closed", "read ECONNRESET") depends on thread timing.
    failureReason:
      result.failure === 'network'
        ? 'network'
        : result.failureReason?.replace(/127\.0\.0\.1:\d+/g, 'HOST').replace(/reqid \S+/g, 'reqid'),
    delivery: (result as { delivery?: unknown }).delivery,
    retryAfter: (result as { retryAfter?: unknown }).retryAfter,
    tuple: result.slice(0, 1),
  };
}

let server: ServerThread;
let refused: string;

/** The sync clients of the fault table: one per configuration, so that each worker thread starts once. */
const syncClients = new Map<string, Authnzerver>();

const clientFor = (row: FaultRow): Authnzerver =>
  new Authnzerver({
    url: row.target === 'closed-port' ? refused : server.url,
    secret: row.wrongSecret === true ? generateFernetKey() : server.secret,
    timeouts: { request: 1000 },
    retry: { backoff: 20, maxBackoff: 40, ...row.retry },
  });

/**
 * The row's sync client, ready for a call under the row's deadline: its worker thread started (by the first
 * row of its configuration, under a generous deadline), and no connection left open, so that the call opens a
 * new one, as the async side's fresh client does (a `reset` `on-connect` fault needs one).
 */
const warmSyncClientFor = (row: FaultRow): Authnzerver => {
  const key = JSON.stringify([row.target, row.wrongSecret, row.retry]);
  let client = syncClients.get(key);
  if (client === undefined) {
    client = clientFor(row);
    syncClients.set(key, client);
  }
  warmUpSync(client, row.target === 'closed-port' ? undefined : server);
  return client;
};

describe('the sync API', () => {
  beforeAll(async () => {
    server = await startServerThread();
    refused = `http://127.0.0.1:${await closedPort()}/`;
  });

  afterAll(async () => {
    await Promise.all([...syncClients.values()].map((client) => client.close()));
    await server.close();
  });

  expectFaultsConsumed(() => server);

  describe('the fault table and typed tuples', faultsAndTypes);
  describe('checks, deadlines, signals and hooks', checksAndDeadlines);
  describe('transports', transports);
});

function faultsAndTypes(): void {
  it.each(FAULT_TABLE.map((row) => [row.name, row] as const))(
    '%s: the same tuples as async',
    async (_, row) => {
      for (const side of ['read', 'write'] as const) {
        const client = clientFor(row);
        for (const fault of row.faults ?? []) server.fault(fault);
        const asyncResult =
          side === 'read' ? await client.sessionExists(read) : await client.sessionNew(write);
        await client.close();
        expect(server.pendingFaults(), `${side}: faults the async call did not meet`).toBe(0);

        const syncClient = warmSyncClientFor(row);
        for (const fault of row.faults ?? []) server.fault(fault);
        const syncResult =
          side === 'read' ? syncClient.sync.sessionExists(read) : syncClient.sync.sessionNew(write);
        expect(server.pendingFaults(), `${side}: faults the sync call did not meet`).toBe(0);

        expect(comparable(syncResult), side).toEqual(comparable(asyncResult));
        expect([syncResult.success ? 'success' : syncResult.failure, syncResult.attempts]).toEqual(
          row[side],
        );
      }
      // Replies the clients gave up on (slow headers, slow bodies) finish before the next test sends anything.
      server.idle();
    },
  );

  it('requestSync and the typed sync methods return typed tuples', async () => {
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    const viaMethod = client.sync.sessionExists(read, { reqid: 'a', timeout: COLD_START_MS });
    const viaRequest = client.requestSync('session-exists', read, 'b');
    const viaView = client.sync.request('session-exists', read, 7);
    await client.close();
    expect(viaMethod.success).toBe(true);
    if (viaMethod.success) expect(viaMethod.response.session_info.user_id).toBe(4);
    expect([viaMethod.reqid, viaRequest.reqid, viaView.reqid]).toEqual(['a', 'b', 7]);
    expect(viaRequest.response).toEqual(viaMethod.response);
    expect(Object.isFrozen(viaRequest)).toBe(true);
  });
}

function checksAndDeadlines(): void {
  it('throws validation errors synchronously, and sends nothing', async () => {
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    const before = server.counts().hits;
    expect(() => client.sync.sessionExists({ session_token: 1 } as never)).toThrow(
      RequestValidationError,
    );
    expect(() => client.requestSync('custom', {} as never)).toThrow(/client_ipaddr/);
    expect(server.counts().hits).toBe(before);
    await client.close();
    expect(() => client.sync.sessionExists(read)).toThrow(/closed/);
  });

  it('ends a call to a server that never answers at its deadline', async () => {
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    warmUpSync(client);
    const before = server.counts().hits;
    server.fault({ kind: 'hang' });
    const started = Date.now();
    const result = client.sync.sessionNew(write, { timeout: 400 });
    const elapsed = Date.now() - started;
    await client.close();
    // The request was sent and met the hang (the fault accounting checks it was used), and the call ended at
    // its own deadline, not at some other limit.
    expect(server.counts().hits - before).toBe(1);
    expect(result.failure).toBe('timeout');
    if (result.failure === 'timeout') expect(result.delivery).toBe('maybe-sent');
    expect(result.failureReason).toMatch(/^no reply within the deadline of 400 ms\b/);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    // Not stuck until something else gave up: the margin only absorbs a busy machine's late wake-up.
    expect(elapsed).toBeLessThan(400 + 2000);
  });

  it('checks the signal before sending', async () => {
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    const before = server.counts().hits;
    const result = client.sync.sessionExists(read, { signal: AbortSignal.abort() });
    await client.close();
    expect(result.failure).toBe('aborted');
    if (result.failure === 'aborted') expect(result.delivery).toBe('not-sent');
    expect(server.counts().hits).toBe(before);
  });

  it('fires hooks on the calling thread', async () => {
    const types: string[] = [];
    const client = new Authnzerver({
      url: server.url,
      secret: server.secret,
      hooks: {
        beforeRequest: (e) => types.push(`before ${e.type}`),
        afterResponse: (e) => types.push(`after ${e.type}`),
      },
    });
    const result = client.sync.sessionExists(read, { timeout: COLD_START_MS });
    expect(result.failureReason).toBeNull();
    await client.close();
    expect(types).toEqual(['before session-exists', 'after session-exists']);
  });
}

function transports(): void {
  it('works over the fetch transport too', async () => {
    const client = new Authnzerver({ url: server.url, secret: server.secret, transport: 'fetch' });
    const result = client.sync.sessionExists(read, { timeout: COLD_START_MS });
    await client.close();
    expect(result.success).toBe(true);
  });

  it('refuses a custom transport or fetch, which cannot move to the worker thread', async () => {
    for (const options of [{ fetch: globalThis.fetch }, { transport: new FetchTransport() }]) {
      const client = new Authnzerver({ url: server.url, secret: server.secret, ...options });
      expect(() => client.sync.sessionExists(read)).toThrow(ConfigError);
      await client.close();
    }
  });

  it(
    'lets a script end on its own after close()',
    async () => {
      const script = `
      import { Authnzerver } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
      const client = new Authnzerver({ url: process.argv[1], secret: process.argv[2] });
      const results = [1, 2, 3].map(() => client.sync.sessionExists({ session_token: process.argv[3], client_ipaddr: '127.0.0.1' }, { timeout: Number(process.argv[4]) }));
      await client.close();
      console.log(results.map((r) => r.success).join(','));
    `;
      // The child's start and its worker's are cold starts: generous budgets. What is tested is that it ends.
      const run = await runScript(
        script,
        [server.url, server.secret, SECRETS.sessionToken, String(COLD_START_MS)],
        { limitMs: 2 * COLD_START_MS },
      );
      expect(run.stdout.trim(), run.stderr).toBe('true,true,true');
      expect(run.code).toBe(0);
    },
    3 * COLD_START_MS,
  );
}
