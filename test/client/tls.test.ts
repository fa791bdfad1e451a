import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import {
  generateFernetKey,
  type AuthnzerverOptions,
  type UntypedResponseTuple,
} from '../../src/runtime.js';
import { createTestServer } from '../../src/testing/index.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { rootError } from '../../src/transport/classify.js';
import { testHandler } from '../helpers/handlers.js';
import {
  DEPLOYMENT_TEMPLATE,
  compareWithTemplate,
  findNginx,
  meaningfulLines,
  docNginxBlock,
  renderDeploymentConfig,
  startNginx,
  type AccessLogEntry,
  type RunningNginx,
} from '../helpers/nginx.js';
import { makeTestPki, type KeyPair, type TestPki } from '../helpers/pki.js';
import { runNode } from '../helpers/processes.js';

const IP = '198.51.100.7';
const DEPLOYMENT_DOC = new URL('../../docs/deployment.md', import.meta.url);
const SECTION = 'Deployment: TLS client certificates behind nginx';

// These tests need nginx and openssl. On a machine without them they are skipped with the reason printed;
// with AUTHNZERVER_REQUIRE_NGINX=1 (as in .ci/run) a missing tool fails the run instead.
const nginx = findNginx();
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8', timeout: 10_000 });
const missing = !nginx.found
  ? nginx.reason
  : openssl.status !== 0
    ? `openssl cannot be run: ${openssl.error?.message ?? openssl.stderr}`
    : undefined;
if (missing !== undefined) {
  if (process.env.AUTHNZERVER_REQUIRE_NGINX === '1') {
    throw new Error(`AUTHNZERVER_REQUIRE_NGINX=1 but the nginx TLS tests cannot run: ${missing}`);
  }
  console.warn(
    `test/client/tls.test.ts: skipping the TLS tests through nginx: ${missing}. ` +
      'Set AUTHNZERVER_REQUIRE_NGINX=1 to make this a failure.',
  );
}

function certOptions(pair: KeyPair, caFile: string): Partial<AuthnzerverOptions> {
  return { tlsCertFile: pair.certFile, tlsKeyFile: pair.keyFile, tlsCaFile: caFile };
}

function causeCode(result: UntypedResponseTuple): string | undefined {
  if (result.failure !== 'tls') return undefined;
  const code = (rootError(result.cause) as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

// What the suite through nginx starts in its beforeAll, and the clients each test makes (closed after it).
let pki: TestPki;
let secret: string;
let first: ProtocolServer;
let second: ProtocolServer;
/** One upstream: the first server. */
let single: RunningNginx;
/** An upstream group of both servers. */
let pair: RunningNginx;
/** A server certificate from another CA than the one the client trusts. */
let stranger: RunningNginx;
const cleanups: (() => unknown)[] = [];
const clients: Authnzerver[] = [];

const client = (options: Partial<AuthnzerverOptions>): Authnzerver => {
  const made = new Authnzerver({ url: single.url, secret, env: {}, ...options });
  clients.push(made);
  return made;
};
const send = (made: Authnzerver): Promise<UntypedResponseTuple> =>
  made.request('test-ok', { client_ipaddr: IP });

describe.skipIf(missing !== undefined)('TLS client certificates through a real nginx', () => {
  beforeAll(async () => {
    if (!nginx.found) throw new Error('unreachable: the suite is skipped without nginx');
    pki = makeTestPki();
    cleanups.push(() => pki.remove());
    secret = generateFernetKey();
    first = await startProtocolServer({ secret, handler: testHandler });
    cleanups.push(() => first.close());
    second = await startProtocolServer({ secret, handler: testHandler });
    cleanups.push(() => second.close());
    const tls = {
      nginx,
      serverCert: pki.server.certFile,
      serverKey: pki.server.keyFile,
      clientCa: pki.caFile,
    };
    single = await startNginx({ ...tls, upstreams: [`127.0.0.1:${first.port}`] });
    cleanups.push(() => single.stop());
    pair = await startNginx({
      ...tls,
      upstreams: [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`],
    });
    cleanups.push(() => pair.stop());
    stranger = await startNginx({
      ...tls,
      serverCert: pki.otherCaServer.certFile,
      serverKey: pki.otherCaServer.keyFile,
      upstreams: [`127.0.0.1:${first.port}`],
    });
    cleanups.push(() => stranger.stop());
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((made) => made.close()));
  });

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleaning up the TLS tests failed');
  });

  describe('a client certificate nginx accepts', certificateAccepted);
  describe('a certificate refused on either side', certificateRefused);
  describe('the environment, the demo and the doctor command', certificateFromEnvironment);
});

function certificateAccepted(): void {
  it('succeeds over https:// with tlsCertFile, tlsKeyFile and tlsCaFile', async () => {
    const mark = single.accessLog().length;
    const received = first.received.length;
    const result = await send(client(certOptions(pki.client, pki.caFile)));
    expect(result.failureReason).toBeNull();
    expect(result.success).toBe(true);
    expect(result.statusCode).toBe(200);
    expect(result.response).toEqual({ echo: { client_ipaddr: IP } });
    expect(first.received.slice(received).map((request) => request.type)).toEqual(['test-ok']);
    const [entry] = await single.waitForAccessLog(mark, 1);
    expect(entry).toMatchObject({
      status: 200,
      clientVerify: 'SUCCESS',
      upstream: `127.0.0.1:${first.port}`,
    });
  });

  it('keeps the TLS connection open across calls: the handshakes do not grow with the calls', async () => {
    const made = client(certOptions(pki.client, pki.caFile));
    const mark = single.accessLog().length;
    const batch = async (): Promise<AccessLogEntry[]> => {
      const from = single.accessLog().length;
      for (let i = 0; i < 20; i++) expect((await send(made)).success).toBe(true);
      const entries = await single.waitForAccessLog(from, 20);
      expect(entries).toHaveLength(20);
      return entries;
    };
    const firstBatch = await batch();
    const handshakes = new Set(firstBatch.map((entry) => entry.connection));
    // undici reuses a socket only a full event-loop turn after its reply, so a caller that sends at once may
    // open one more connection; after that, both stay in use.
    expect(handshakes.size).toBeGreaterThanOrEqual(1);
    expect(handshakes.size).toBeLessThanOrEqual(2);
    expect(firstBatch[0]).toMatchObject({ connectionRequests: 1, sessionReused: false });
    expect(firstBatch.every((entry) => entry.status === 200)).toBe(true);

    const secondBatch = await batch();
    const later = new Set(secondBatch.map((entry) => entry.connection));
    expect([...later].filter((connection) => !handshakes.has(connection))).toEqual([]);
    // Each connection carried many requests: 40 requests over at most two handshakes.
    const all = single.accessLog().slice(mark);
    expect(all).toHaveLength(40);
    expect(Math.max(...all.map((entry) => entry.connectionRequests))).toBeGreaterThanOrEqual(20);
  });

  it('reaches both authnzervers of an upstream group', async () => {
    const made = client({ ...certOptions(pki.client, pki.caFile), url: pair.url });
    const mark = pair.accessLog().length;
    const before = [first.received.length, second.received.length] as const;
    for (let i = 0; i < 20; i++) expect((await send(made)).success).toBe(true);
    const toFirst = first.received.length - before[0];
    const toSecond = second.received.length - before[1];
    expect(toFirst).toBeGreaterThan(0);
    expect(toSecond).toBeGreaterThan(0);
    expect(toFirst + toSecond).toBe(20);
    const upstreams = new Set(
      (await pair.waitForAccessLog(mark, 20)).map((entry) => entry.upstream),
    );
    expect(upstreams).toEqual(new Set([`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`]));
  });
}

function certificateRefused(): void {
  // nginx completes the handshake, then answers a missing or refused client certificate with a 400 page.
  it.each([
    {
      case: 'no client certificate',
      options: (p: TestPki) => ({ tlsCaFile: p.caFile }),
      page: 'No required SSL certificate was sent',
      verify: /^NONE$/,
    },
    {
      case: 'a client certificate from another CA',
      options: (p: TestPki) => certOptions(p.otherCaClient, p.caFile),
      page: 'The SSL certificate error',
      verify: /^FAILED:unable to (verify the first certificate|get local issuer certificate)$/,
    },
    {
      case: 'an expired client certificate',
      options: (p: TestPki) => certOptions(p.expiredClient, p.caFile),
      page: 'The SSL certificate error',
      verify: /^FAILED:certificate has expired$/,
    },
  ])('$case: nginx answers 400, the client reports `tls`, not sent', async (row) => {
    const mark = single.accessLog().length;
    const hits = first.hits;
    const pending = send(client(row.options(pki)));
    await expect(pending).resolves.toBeDefined();
    const result = await pending;
    expect(result.success).toBe(false);
    expect(result.failure).toBe('tls');
    expect(result.statusCode).toBe(400);
    expect(result.failureReason).toContain(`<title>400 ${row.page}</title>`);
    if (result.failure === 'tls') expect(result.delivery).toBe('not-sent');
    const [entry] = await single.waitForAccessLog(mark, 1);
    expect(entry?.status).toBe(400);
    expect(entry?.upstream).toBe('-');
    expect(entry?.clientVerify).toMatch(row.verify);
    expect(first.hits).toBe(hits);
  });

  it('a server whose certificate our CA did not sign: the handshake fails, `tls`, not sent', async () => {
    const hits = first.hits;
    const pending = send(client({ ...certOptions(pki.client, pki.caFile), url: stranger.url }));
    await expect(pending).resolves.toBeDefined();
    const result = await pending;
    expect(result.failure).toBe('tls');
    expect(result.statusCode).toBeNull();
    expect(result.failureReason).toMatch(/^TLS handshake failed: /);
    // A certificate refused once is refused again: not retried, even though nothing was sent.
    expect(result.attempts).toBe(1);
    if (result.failure === 'tls') expect(result.delivery).toBe('not-sent');
    expect(causeCode(result)).toMatch(
      /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
    expect(stranger.accessLog()).toEqual([]);
    expect(first.hits).toBe(hits);
  });
}

function certificateFromEnvironment(): void {
  it('takes the TLS files from AUTHNZERVER_TLS_CERTFILE, _KEYFILE and _CAFILE', async () => {
    const base = { AUTHNZERVER_URL: single.url, AUTHNZERVER_SECRET: secret };
    const withFiles = new Authnzerver({
      env: {
        ...base,
        AUTHNZERVER_TLS_CERTFILE: pki.client.certFile,
        AUTHNZERVER_TLS_KEYFILE: pki.client.keyFile,
        AUTHNZERVER_TLS_CAFILE: pki.caFile,
      },
    });
    clients.push(withFiles);
    const result = await send(withFiles);
    expect(result.failureReason).toBeNull();
    expect(result.success).toBe(true);

    // Without them the system's CAs do not know our server's CA: the variables are what made it work.
    const without = new Authnzerver({ env: base });
    clients.push(without);
    const refused = await send(without);
    expect(refused.failure).toBe('tls');
    expect(causeCode(refused)).toMatch(
      /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
  });

  // Three child processes, the first under tsx: cold starts, with a budget of their own (the default is 30 s).
  it('the demo and the doctor command work through nginx with a client certificate', async () => {
    if (!nginx.found) throw new Error('unreachable: the suite is skipped without nginx');
    // The in-memory authnzerver behind nginx, as a deployment would have the real one.
    const server = await createTestServer({ loginBackoff: { scale: 0 } });
    const front = await startNginx({
      nginx,
      serverCert: pki.server.certFile,
      serverKey: pki.server.keyFile,
      clientCa: pki.caFile,
      upstreams: [`127.0.0.1:${server.port}`],
    });
    try {
      const env = {
        AUTHNZERVER_URL: front.url,
        AUTHNZERVER_SECRET: server.secret,
        AUTHNZERVER_TLS_CERTFILE: pki.client.certFile,
        AUTHNZERVER_TLS_KEYFILE: pki.client.keyFile,
        AUTHNZERVER_TLS_CAFILE: pki.caFile,
      };
      // Only these variables, and PATH: nothing of this process's environment leaks in.
      const only = (vars: Record<string, string>): Record<string, string> => ({
        PATH: process.env.PATH ?? '',
        ...vars,
      });
      const demo = await runNode(
        ['--import', 'tsx', fileURLToPath(new URL('../../examples/demo.ts', import.meta.url))],
        {
          env: only(env),
        },
      );
      expect(demo.code, demo.stdout + demo.stderr).toBe(0);
      expect(demo.stdout).toContain(front.url);
      expect(demo.stdout).toContain('All 11 steps had the expected outcome.');

      const bin = fileURLToPath(new URL('../../dist/src/cli/bin.js', import.meta.url));
      const doctor = await runNode([bin, 'doctor'], { env: only(env) });
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).toMatch(
        /✓ TLS: TLSv1\.[23], server certificate for .*; client certificate sent/,
      );
      expect(doctor.stdout).toContain('VERDICT: OK');
      expect(doctor.stdout + doctor.stderr).not.toContain(server.secret);

      const { AUTHNZERVER_TLS_CERTFILE: _c, AUTHNZERVER_TLS_KEYFILE: _k, ...noCert } = env;
      const refused = await runNode([bin, 'doctor'], { env: only(noCert) });
      expect(refused.code, refused.stdout + refused.stderr).toBe(1);
      expect(refused.stdout).toContain('refuses our client certificate');
    } finally {
      await front.stop();
      await server.close();
    }
  }, 120_000);
}

describe('docs/deployment.md shows the nginx configuration the tests use', () => {
  const template = readFileSync(DEPLOYMENT_TEMPLATE, 'utf8');

  it(`docs/deployment.md's "${SECTION}" section has test/fixtures/nginx/authnzerver.conf`, () => {
    const block = docNginxBlock(readFileSync(DEPLOYMENT_DOC, 'utf8'), SECTION);
    expect(
      block,
      `docs/deployment.md has no \`\`\`nginx block under a "${SECTION}" heading`,
    ).toBeDefined();
    expect(compareWithTemplate(template, block ?? '')).toEqual([]);
  });

  it('the comparison accepts any values and several upstreams, and notices a changed line', () => {
    const rendered = renderDeploymentConfig({
      listen: '10.0.0.2:8443',
      upstreams: ['10.0.0.5:13431', '10.0.0.6:13431'],
      serverCert: '/etc/nginx/tls/server.pem',
      serverKey: '/etc/nginx/tls/server.key',
      clientCa: '/etc/nginx/tls/client-ca.pem',
    });
    expect(compareWithTemplate(template, rendered)).toEqual([]);
    expect(meaningfulLines(rendered)).toContain('server 10.0.0.6:13431;');
    expect(meaningfulLines(rendered)).toContain('ssl_certificate "/etc/nginx/tls/server.pem";');

    const unverified = rendered.replace('ssl_verify_client on;', 'ssl_verify_client optional;');
    expect(compareWithTemplate(template, unverified)).toEqual([
      'expected `ssl_verify_client on;`, found `ssl_verify_client optional;`',
    ]);
    const extra = rendered.replace('keepalive 16;', 'keepalive 16;\n    least_conn;');
    expect(compareWithTemplate(template, extra)).toEqual(['expected `}`, found `least_conn;`']);
    expect(compareWithTemplate(template, `${rendered}\nserver_tokens off;`)).toEqual([
      'unexpected lines from `server_tokens off;`',
    ]);
  });

  it('finds the block under its heading only', () => {
    const readme = [
      '## Other',
      '```nginx',
      'wrong;',
      '```',
      `## ${SECTION}`,
      'Text.',
      '```nginx',
      'right;',
      '```',
      '## Next',
    ].join('\n');
    expect(docNginxBlock(readme, SECTION)).toBe('right;');
    expect(
      docNginxBlock(`## ${SECTION}\nNo block.\n## Next\n\`\`\`nginx\nx;\n\`\`\``, SECTION),
    ).toBe(undefined);
  });
});
