import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, type ResponseTuple } from '../../src/index.js';
import { generateFernetKey, type AuthnzerverOptions } from '../../src/runtime.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { READ_BODY, WRITE_BODY, catalogueHandler } from '../helpers/catalogue-handler.js';
import { findNginx, startNginx, type RunningNginx } from '../helpers/nginx.js';
import { makeTestPki, type TestPki } from '../helpers/pki.js';
import { load } from '../helpers/rotation.js';

/**
 * A fleet: two authnzervers (protocol servers with the catalogue's handler) behind one address, nginx with the
 * deployment configuration of docs/deployment.md and two upstreams, under concurrent load. It backs the claims
 * of docs/deployment.md's "A fleet of authnzervers" section: a rolling secret switch with 0 failed calls, read
 * retries on 502/503/504 reaching the other upstream, writes never sent twice once delivered, keep-alive to each
 * upstream, and one upstream stopped mid-run.
 *
 * It needs nginx and openssl: without them it is skipped with the reason printed, unless
 * AUTHNZERVER_REQUIRE_NGINX=1 (as in .ci/run), which makes that a failure.
 */

const nginx = findNginx();
const opensslRuns =
  spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 10_000 }).status === 0;
const skip = !nginx.found ? nginx.reason : opensslRuns ? undefined : 'openssl cannot be run';
if (skip !== undefined && process.env.AUTHNZERVER_REQUIRE_NGINX === '1') {
  throw new Error(
    `AUTHNZERVER_REQUIRE_NGINX=1 but the fleet tests through nginx cannot run: ${skip}`,
  );
}
if (skip !== undefined) {
  console.warn(`test/rotation-nginx.test.ts: skipping the fleet tests through nginx: ${skip}`);
}

type Result = ResponseTuple<unknown, unknown>;
const WRITE_TYPE = 'session-new';

/**
 * Whether call `i` of a load is a write: two writes, two reads, and so on. Not every other call: requests leave
 * about in order, and nginx's round robin alternates, so each upstream would get only one kind.
 */
const isWrite = (i: number): boolean => (i >> 1) % 2 === 0;
/** A write (`session-new`) or a read (`session-exists`) by `app`, as {@link isWrite} says for call `i`. */
const mixed = (app: Authnzerver, i: number): Promise<Result> =>
  isWrite(i) ? app.sessionNew(WRITE_BODY) : app.sessionExists(READ_BODY);

/** The request ids of the writes each server ran (decrypted and answered). */
function writesRun(...servers: readonly ProtocolServer[]): (string | number | undefined)[] {
  return servers.flatMap((server) =>
    server.received.filter((r) => r.type === WRITE_TYPE).map((r) => r.reqid),
  );
}

const describeFleet = skip === undefined ? describe : describe.skip;

// The client certificate, the fleet now behind nginx, and every server and client made (closed after the suite).
let pki: TestPki;
let front: RunningNginx | undefined;
const servers: ProtocolServer[] = [];
const clients: Authnzerver[] = [];

/**
 * Two fresh upstreams holding `secret` (protocol servers with the catalogue's handler, unless `make` makes
 * them), behind a fresh nginx.
 */
async function fleet<S extends ProtocolServer>(
  secret: string,
  make: () => Promise<S> = () =>
    startProtocolServer({ secret, handler: catalogueHandler }) as Promise<S>,
): Promise<[S, S, RunningNginx]> {
  if (!nginx.found) throw new Error('unreachable: skipped without nginx');
  await front?.stop();
  const first = await make();
  const second = await make();
  servers.push(first, second);
  front = await startNginx({
    nginx,
    serverCert: pki.server.certFile,
    serverKey: pki.server.keyFile,
    clientCa: pki.caFile,
    upstreams: [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`],
  });
  return [first, second, front];
}

/** A client of `url`: through nginx with the client certificate, or (`tls` false) straight to a server. */
const client = (url: string, options: Partial<AuthnzerverOptions>, tls = true): Authnzerver => {
  const made = new Authnzerver({
    url,
    env: {},
    ...(tls
      ? {
          tlsCertFile: pki.client.certFile,
          tlsKeyFile: pki.client.keyFile,
          tlsCaFile: pki.caFile,
        }
      : {}),
    // Generous: the machine may be busy; nothing here depends on speed. Nor on the attempt timeout: a read slower
    // than it would be sent again, an extra send that is not a key refusal.
    timeouts: { request: 60_000 },
    retry: { attemptTimeout: 0 },
    ...options,
  });
  clients.push(made);
  return made;
};

describeFleet('a fleet of two authnzervers behind nginx', () => {
  beforeAll(() => {
    pki = makeTestPki();
  });

  afterAll(async () => {
    await Promise.all(clients.map((made) => made.close()));
    await front?.stop();
    await Promise.all(servers.map((server) => server.close()));
    pki.remove();
  });

  describe('a secret switch and kept-alive connections', rotationUnderLoad);
  describe('an upstream that fails or stops', upstreamFailures);
  describe('limits kept by each process', perProcessLimits);
});

function rotationUnderLoad(): void {
  it('a rolling secret switch under load: 0 failed calls, no write run twice, the extra round trips reported', async () => {
    const OLD = generateFernetKey();
    const NEW = generateFernetKey();
    const [first, second, proxy] = await fleet(OLD);
    // Step 1 of the rotation everywhere: apps with the new key second. One app instance already has step 2.
    const apps = [
      client(proxy.url, { secret: [OLD, NEW] }),
      client(proxy.url, { secret: [NEW, OLD] }),
    ];
    const call = (index: number): Promise<Result> => {
      // Apps in fours (two writes, two reads each), so that each app reaches both upstreams with both kinds.
      return mixed(apps[(index >> 2) % 2] as Authnzerver, index);
    };
    // Step 2, one server at a time, each as a restart with the new secret would: between the two, the two
    // upstreams behind the one address hold different keys.
    const results = await load(800, 16, call, (done) => {
      if (done === 200) first.setSecret(NEW);
      if (done === 500) second.setSecret(NEW);
    });

    const failed = results.filter((r) => !r.success);
    expect(failed.map((r) => `${r.failure}: ${r.failureReason}`)).toEqual([]);
    const writes = writesRun(first, second);
    expect(writes).toHaveLength(400);
    expect(new Set(writes).size).toBe(400);
    const extra = results.reduce((sum, r) => sum + r.attempts - 1, 0);
    const counted = apps.map((app) => app.keyStatus.extraRoundTrips);
    console.log(
      `rotation through nginx, 2 upstreams: ${results.length} calls (400 writes, each run once), 0 failed, ` +
        `${extra} extra round trips (${((extra / results.length) * 100).toFixed(1)} %; per app: ` +
        `${counted.join(', ')}; refusals at the servers: ${first.refused} + ${second.refused})`,
    );
    expect(first.refused + second.refused).toBe(extra);
    expect(counted[0]! + counted[1]!).toBe(extra);
    // While the keys differed, each app had to switch; afterwards both settle on the new key.
    expect(counted.every((n) => n > 0)).toBe(true);
    for (const app of apps) {
      const settled = await app.sessionExists(READ_BODY);
      const again = await app.sessionExists(READ_BODY);
      expect([settled.success, again.success, again.attempts]).toEqual([true, true, 1]);
      expect(app.keyStatus.current).toBe(app === apps[0] ? 1 : 0);
    }
  });

  it('keeps connections alive: the client to nginx, and nginx to each upstream', async () => {
    const key = generateFernetKey();
    const [first, second, proxy] = await fleet(key);
    const app = client(proxy.url, { secret: key });
    const mark = proxy.accessLog().length;
    const results = await load(400, 8, (i) => mixed(app, i));
    expect(results.every((r) => r.success)).toBe(true);
    const log = await proxy.waitForAccessLog(mark, 400);
    const handshakes = new Set(log.map((entry) => entry.connection)).size;
    const perUpstream = [first, second].map((s) => [s.hits, s.connections]);
    console.log(
      `keep-alive through nginx: 400 calls over ${handshakes} client connections; upstreams (requests, connections): ` +
        perUpstream.map(([hits, connections]) => `${hits}/${connections}`).join(', '),
    );
    // Each upstream got requests, over far fewer TCP connections than requests.
    for (const [hits, connections] of perUpstream) {
      expect(hits).toBeGreaterThan(0);
      expect(connections).toBeLessThanOrEqual(hits! / 4);
    }
    expect(handshakes).toBeLessThanOrEqual(400 / 4);
  });
}

function upstreamFailures(): void {
  it('a read answered 502, 503 or 504 is sent again and reaches the other upstream; a write is not sent again', async () => {
    const key = generateFernetKey();
    const [first, second, proxy] = await fleet(key);
    const app = client(proxy.url, { secret: key, retry: { backoff: 1, maxBackoff: 1 } });
    for (const status of [502, 503, 504]) {
      first.fault({ kind: 'status', status });
      // Calls until the one that met the fault: round robin sends every other request to `first`.
      let met: Result | undefined;
      for (let i = 0; i < 10 && met === undefined; i++) {
        const result = await app.sessionExists(READ_BODY);
        expect(result.success).toBe(true);
        if (first.pendingFaults() === 0) met = result;
      }
      expect(met?.attempts).toBe(2);
      expect(second.received.at(-1)?.reqid).toBe(met?.reqid);

      first.fault({ kind: 'status', status });
      let write: Result | undefined;
      for (let i = 0; i < 10 && write === undefined; i++) {
        const result = await app.sessionNew(WRITE_BODY);
        if (first.pendingFaults() === 0) write = result;
      }
      // The server answered: the write may have run (a real 502 can come after it did). It is not sent again.
      expect([write?.failure, write?.statusCode, write?.attempts]).toEqual([
        'server-error',
        status,
        1,
      ]);
      expect(writesRun(first, second)).not.toContain(write?.reqid);
    }
  });

  it('one upstream stopped mid-run: reads lose nothing; no write runs twice; an interrupted write is reported, not resent', async () => {
    const key = generateFernetKey();
    const [first, second, proxy] = await fleet(key);
    const app = client(proxy.url, { secret: key });
    // Six requests get stuck on `second`, which is then stopped with them in flight: nginx answers them 502.
    const HUNG = 6;
    let stopped = false;
    const results = await load(
      600,
      16,
      (i) => mixed(app, i),
      async (done) => {
        if (done === 100) second.fault({ kind: 'hang' }, HUNG);
        if (!stopped && done > 100 && second.pendingFaults() === 0) {
          stopped = true;
          await second.close();
        }
      },
    );
    expect(stopped).toBe(true);
    const reads = results.filter((_, i) => !isWrite(i));
    const writes = results.filter((_, i) => isWrite(i));
    expect(reads.filter((r) => !r.success).map((r) => r.failureReason)).toEqual([]);
    const run = writesRun(first, second);
    expect(new Set(run).size).toBe(run.length);
    const lost = writes.filter((r) => !r.success);
    // A write in flight on the stopped server comes back as nginx's 502 (it may have run) and is not sent again.
    for (const result of lost) {
      expect([result.failure, result.statusCode, result.attempts]).toEqual([
        'server-error',
        502,
        1,
      ]);
    }
    const retried = reads.filter((r) => r.attempts > 1).length;
    // Each stuck request was a read, sent again, or a write, reported.
    expect(lost.length + retried).toBeGreaterThanOrEqual(HUNG);
    console.log(
      `one upstream stopped mid-run with ${HUNG} requests in flight on it: 300 reads, 0 failed (${retried} sent ` +
        `again); 300 writes, ${lost.length} interrupted (502, not resent), ${run.length} run, none twice`,
    );
    // After the stop, everything goes to the server left.
    const after = first.received.length;
    const tail = await load(20, 4, () => app.sessionExists(READ_BODY));
    expect(tail.every((r) => r.success)).toBe(true);
    expect(first.received.length - after).toBe(20);
  });
}

function perProcessLimits(): void {
  it('rate limits and the log-in back-off are per process: two upstreams let about twice as much through', async () => {
    const key = generateFernetKey();
    const email = 'ada@example.com';
    const make = async (): Promise<AuthnzerverTestServer> => {
      const server = await createTestServer({
        secret: key,
        loginBackoff: { scale: 0, lockAfter: 2 },
      });
      server.authnzerver.addUser({ email, password: 'Correct-Horse-Battery-9' });
      return server;
    };
    /** The user-new that first gets a 429, and the failed log-in that first locks the account. */
    const limits = async (app: Authnzerver): Promise<[number, number]> => {
      let limited = 0;
      for (let i = 1; i <= 14 && limited === 0; i++) {
        const made = await app.userNew({
          full_name: 'Rate Limit',
          email: `user-${i}@example.com`,
          password: 'Correct-Horse-Battery-9',
          client_ipaddr: '198.51.100.9',
        });
        if (made.failure === 'rate-limited') limited = i;
      }
      let locked = 0;
      for (let i = 1; i <= 8 && locked === 0; i++) {
        const check = await app.userPasscheckNosession({
          email,
          password: 'wrong',
          client_ipaddr: `198.51.100.${20 + i}`,
        });
        if (check.messages.some((m) => m.includes('locked'))) locked = i;
      }
      return [limited, locked];
    };
    // One process: user-new is limited to 5 a minute per client_ipaddr; lockAfter 2 locks at the 3rd failure.
    const alone = await make();
    servers.push(alone);
    expect(await limits(client(alone.url, { secret: key }, false))).toEqual([6, 3]);
    // Two processes behind nginx's round robin: each counts only what reaches it.
    const [first, second, proxy] = await fleet(key, make);
    const [limited, locked] = await limits(client(proxy.url, { secret: key }));
    console.log(
      `per-process limits through 2 upstreams: first 429 at user-new #${limited} (one process: #6); ` +
        `lock-out at failed log-in #${locked} (one process: #3)`,
    );
    expect(limited).toBeGreaterThan(10);
    expect(locked).toBeGreaterThan(3);
    expect([first.hits, second.hits].every((hits) => hits > 0)).toBe(true);
  });
}
