import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Authnzerver, ClientClosedError, RequestValidationError } from '../src/index.js';
import type { HealthResult } from '../src/index.js';
import { healthUrl } from '../src/health.js';
import { createTestServer } from '../src/testing/index.js';
import {
  ERROR_BODIES,
  startProtocolServer,
  type ProtocolServer,
} from '../src/testing/protocol-server.js';
import { main } from '../src/cli/main.js';
import { closedPort } from './helpers/processes.js';
import { rawHttp, record } from './testing/helpers.js';

/**
 * `client.health()` against the test server on loopback: each way `GET /health` can go gives its result, inside
 * the deadline, without throwing. Elapsed times are bounded generously: the machine may be busy.
 */

const servers: ProtocolServer[] = [];
const clients: Authnzerver[] = [];

async function track<S extends ProtocolServer>(server: Promise<S>): Promise<S> {
  const started = await server;
  servers.push(started);
  return started;
}

function clientFor(
  server: { readonly url: string; readonly secret: string },
  transport: 'undici' | 'fetch' = 'undici',
): Authnzerver {
  const client = new Authnzerver({ url: server.url, secret: server.secret, transport });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The result must be frozen, and its failure fields consistent with `ok`. */
function expectShape(result: HealthResult): void {
  expect(Object.isFrozen(result)).toBe(true);
  expect(result.healthy).toBe(result.ok);
  expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  if (result.ok) expect([result.failure, result.failureReason]).toEqual([null, null]);
  else expect(result.failureReason.length).toBeGreaterThan(0);
}

describe('client.health()', () => {
  describe('the report', reports);
  describe('rate limits', rateLimits);
  describe('failures', failures);
  describe('the readiness probe and the URL', probeAndUrl);
});

function reports(): void {
  it.each(['undici', 'fetch'] as const)(
    'a healthy server: ok, with the report (%s transport)',
    async (transport) => {
      const server = await track(createTestServer());
      const result = await clientFor(server, transport).health();
      expectShape(result);
      expect(result).toMatchObject({
        ok: true,
        healthy: true,
        statusCode: 200,
        failure: null,
        expectedWorkers: 1,
        workers: { 'Authnzrv-Test-Worker': 'ok' },
        checkTime: 0,
        retryAfter: null,
      });
      expect(result.headers?.['content-type']).toBe('application/json; charset=UTF-8');
      // A GET: no request reached the request handler.
      expect(server.received).toHaveLength(0);
    },
  );

  it("reads the real server's report (transcript record #1)", async () => {
    const server = await track(startProtocolServer());
    const real = record(1);
    server.fault({
      kind: 'status',
      status: 200,
      body: JSON.stringify(real.response),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    const result = await clientFor(server).health();
    expectShape(result);
    expect(server.pendingFaults()).toBe(0);
    expect(result).toMatchObject({
      ok: true,
      expectedWorkers: 4,
      checkTime: (real.response as Record<string, unknown>)['Check-Time'],
    });
    expect(Object.keys(result.workers ?? {})).toHaveLength(4);
    expect(Object.values(result.workers ?? {})).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('a report with Health-Ok false (HTTP 500): unhealthy, with the workers', async () => {
    const server = await track(startProtocolServer());
    server.fault({
      kind: 'status',
      status: 500,
      body: JSON.stringify({
        'Expected-Workers': 2,
        Workers: { 'Authnzrv-Worker-1': 'ok', 'Authnzrv-Worker-2': 'DB connection failed' },
        'Check-Time': 0.5,
        'Health-Ok': false,
      }),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    const result = await clientFor(server).health();
    expectShape(result);
    expect(server.pendingFaults()).toBe(0);
    expect(result).toMatchObject({
      ok: false,
      failure: 'unhealthy',
      statusCode: 500,
      expectedWorkers: 2,
      workers: { 'Authnzrv-Worker-2': 'DB connection failed' },
      checkTime: 0.5,
    });
    expect(result.failureReason).toContain('1 of 2 workers ok');
    expect(result.failureReason).toContain('DB connection failed');
  });
}

function rateLimits(): void {
  it('is rate-limited like a request: 429 once over the limit, rate-limited with Retry-After', async () => {
    // The real server's limits: a burst of 150, then 720 a minute (as `apikey-healthcheck`).
    const server = await track(createTestServer());
    const client = clientFor(server);
    for (let i = 0; i < 150; i++) expect((await client.health()).ok, `check ${i + 1}`).toBe(true);
    const limited = await client.health();
    expectShape(limited);
    expect(limited).toMatchObject({
      ok: false,
      failure: 'rate-limited',
      statusCode: 429,
      retryAfter: 180,
      failureReason: `${ERROR_BODIES[429]} (from GET /health)`,
    });
    // Requests count apart from the health check.
    expect(
      (await client.sessionExists({ session_token: 'x', client_ipaddr: '192.0.2.1' })).failure,
    ).toBe('rejected');
    server.resetLimits();
    expect((await client.health()).ok).toBe(true);
  });

  it('takes a tighter limit for apikey-healthcheck, as the server takes one in its ratelimits', async () => {
    const server = await track(
      createTestServer({ rateLimits: { types: { 'apikey-healthcheck': 2 } } }),
    );
    const client = clientFor(server);
    expect((await client.health()).ok).toBe(true);
    expect((await client.health()).ok).toBe(true);
    expect((await client.health()).failure).toBe('rate-limited');
  });

  it('rate limiting off: the server answers /health with 500, health() says rate-limits-off', async () => {
    const server = await track(createTestServer({ rateLimits: false }));
    const raw = await rawHttp(server.url, { method: 'GET', path: '/health' });
    expect([raw.status, raw.text]).toEqual([500, ERROR_BODIES[500]]);
    const result = await clientFor(server).health();
    expectShape(result);
    expect(result).toMatchObject({
      ok: false,
      failure: 'rate-limits-off',
      statusCode: 500,
      workers: null,
      expectedWorkers: null,
    });
    expect(result.failureReason).toContain('AUTHNZERVER_RATELIMITS=none');
    // The probe that told it apart: one session-exists, which the server answered.
    expect(server.received.map((r) => r.type)).toEqual(['session-exists']);
  });
}

function failures(): void {
  it('a 500 without a report while requests fail too (a broken pool): server-error', async () => {
    // The protocol server's default handler answers every request 400, as a server whose pool broke.
    const server = await track(startProtocolServer());
    server.fault({ kind: 'status', status: 500 });
    const result = await clientFor(server).health();
    expectShape(result);
    expect(server.pendingFaults()).toBe(0);
    expect(result).toMatchObject({ ok: false, failure: 'server-error', statusCode: 500 });
    expect(result.failureReason).toContain('HTTP 400');
    expect(result.failureReason).toContain('worker process died');
  });

  it.each(['undici', 'fetch'] as const)(
    'a server that never answers: timeout within the deadline (%s transport)',
    async (transport) => {
      const server = await track(startProtocolServer());
      server.fault({ kind: 'hang' });
      const started = performance.now();
      const result = await clientFor(server, transport).health({ timeout: 300 });
      const elapsed = performance.now() - started;
      expectShape(result);
      expect(server.pendingFaults()).toBe(0);
      expect(result).toMatchObject({ ok: false, failure: 'timeout', statusCode: null });
      expect(result.failureReason).toContain('300 ms');
      expect(elapsed).toBeLessThan(300 + 5000);
    },
  );

  it('a refused port: network', async () => {
    const port = await closedPort();
    const result = await clientFor({
      url: `http://127.0.0.1:${port}/`,
      secret: (await track(startProtocolServer())).secret,
    }).health();
    expectShape(result);
    expect(result).toMatchObject({
      ok: false,
      failure: 'network',
      statusCode: null,
      headers: null,
    });
    expect(result.failureReason).toContain('ECONNREFUSED');
  });

  it('a 404 page: not-found (a wrong path, or the fault)', async () => {
    const server = await track(startProtocolServer());
    server.fault({ kind: 'html-404' });
    const faulted = await clientFor(server).health();
    expect(server.pendingFaults()).toBe(0);
    expectShape(faulted);
    expect(faulted).toMatchObject({ ok: false, failure: 'not-found', statusCode: 404 });
    expect(faulted.failureReason).toContain('404: Not Found');
    // A URL with a path prefix the server does not have: GET /prefix/health is its 404 page too.
    const wrongPath = await clientFor({
      url: `${server.url}prefix/`,
      secret: server.secret,
    }).health();
    expect(wrongPath).toMatchObject({ ok: false, failure: 'not-found', statusCode: 404 });
  });

  it('garbage: invalid-response (a body that is not a report, bytes that are not HTTP)', async () => {
    const server = await track(startProtocolServer());
    const client = clientFor(server);
    server.fault({ kind: 'garbage', what: 'body' });
    const body = await client.health();
    expectShape(body);
    expect(body).toMatchObject({ ok: false, failure: 'invalid-response', statusCode: 200 });
    expect(body.failureReason).toContain('not JSON');
    server.fault({ kind: 'garbage', what: 'http' });
    const http = await client.health();
    expectShape(http);
    expect(http).toMatchObject({ ok: false, failure: 'invalid-response' });
    server.fault({
      kind: 'status',
      status: 200,
      body: '{"Health-Ok": "yes"}',
      headers: { 'content-type': 'application/json' },
    });
    const shape = await client.health();
    expect(shape).toMatchObject({ ok: false, failure: 'invalid-response' });
    expect(shape.failureReason).toContain('Health-Ok');
    expect(server.pendingFaults()).toBe(0);
  });

  it('a signal: aborted, before sending and in flight', async () => {
    const server = await track(startProtocolServer());
    const client = clientFor(server);
    const early = await client.health({ signal: AbortSignal.abort() });
    expect(early).toMatchObject({ ok: false, failure: 'aborted' });
    server.fault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client.health({ signal: controller.signal, timeout: 10_000 });
    setTimeout(() => {
      controller.abort();
    }, 50);
    expect(await pending).toMatchObject({ ok: false, failure: 'aborted' });
    expect(server.pendingFaults()).toBe(0);
  });

  it('a bad option throws a RequestValidationError naming it; a closed client, ClientClosedError', async () => {
    const server = await track(startProtocolServer());
    const client = clientFor(server);
    for (const [options, path] of [
      [{ timeout: 0 }, 'options.timeout'],
      [{ timeout: Number.NaN }, 'options.timeout'],
      [{ signal: 'soon' }, 'options.signal'],
    ] as const) {
      const error: unknown = await client.health(options as never).catch((e: unknown) => e);
      expect(RequestValidationError.is(error)).toBe(true);
      expect((error as Error).message).toContain(path);
    }
    expect(server.hits).toBe(0);
    await client.close();
    const closed: unknown = await client.health().catch((e: unknown) => e);
    expect(ClientClosedError.is(closed)).toBe(true);
  });
}

function probeAndUrl(): void {
  it("docs/client.md's readiness probe: 200 when ready, 503 with the failure otherwise", async () => {
    const readme = readFileSync(new URL('../docs/client.md', import.meta.url), 'utf8');
    const recipe = readme.slice(readme.indexOf('## Health checks'), readme.indexOf('## CLI'));
    for (const line of [
      'const health = await client.health({ timeout: 1000 });',
      "res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });",
      'res.end(JSON.stringify({ ready: health.ok, failure: health.failure }));',
    ]) {
      expect(recipe).toContain(line);
    }
    async function probe(client: Authnzerver): Promise<[number, unknown]> {
      // The recipe's handler, on a free port.
      const app = createServer((req, res) => {
        void (async () => {
          if (req.url === '/ready') {
            const health = await client.health({ timeout: 1000 });
            res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ ready: health.ok, failure: health.failure }));
          } else {
            res.writeHead(404).end();
          }
        })();
      });
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = app.address() as AddressInfo;
        const reply = await rawHttp(`http://127.0.0.1:${port}/`, { method: 'GET', path: '/ready' });
        return [reply.status, JSON.parse(reply.text)];
      } finally {
        await new Promise((resolve) => app.close(resolve));
      }
    }
    const ready = await track(createTestServer());
    expect(await probe(clientFor(ready))).toEqual([200, { ready: true, failure: null }]);
    const off = await track(createTestServer({ rateLimits: false }));
    expect(await probe(clientFor(off))).toEqual([
      503,
      { ready: false, failure: 'rate-limits-off' },
    ]);
    const gone = clientFor({
      url: `http://127.0.0.1:${await closedPort()}/`,
      secret: ready.secret,
    });
    expect(await probe(gone)).toEqual([503, { ready: false, failure: 'network' }]);
  });

  it('asks /health next to the client URL, keeping a path prefix', () => {
    expect(healthUrl(new URL('http://127.0.0.1:13431/')).href).toBe(
      'http://127.0.0.1:13431/health',
    );
    expect(healthUrl(new URL('https://auth.example/authnzerver/?x=1')).href).toBe(
      'https://auth.example/authnzerver/health',
    );
    expect(healthUrl(new URL('https://auth.example/authnzerver')).href).toBe(
      'https://auth.example/authnzerver/health',
    );
  });
}

describe('doctor', () => {
  async function doctor(url: string, secret: string): Promise<{ code: number; stdout: string }> {
    let stdout = '';
    const code = await main(['doctor'], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => undefined,
      stdin: () => '',
      env: { AUTHNZERVER_URL: url, AUTHNZERVER_SECRET: secret },
    });
    return { code, stdout };
  }

  it('prints a health line; a healthy server stays OK', async () => {
    const server = await track(createTestServer());
    const { code, stdout } = await doctor(server.url, server.secret);
    expect(stdout).toMatch(/✓ health: GET \/health: Health-Ok, 1 of 1 workers ok \([\d.]+ ms\)/);
    expect(stdout).toContain('VERDICT: OK');
    expect(code).toBe(0);
  });

  it('a server without rate limits works, but its /health fails: WARN, exit 1', async () => {
    const server = await track(createTestServer({ rateLimits: false }));
    const { code, stdout } = await doctor(server.url, server.secret);
    expect(stdout).toContain('✗ health: GET /health: rate-limits-off:');
    expect(stdout).toContain(
      'VERDICT: WARN, the server answers and accepts our key, but GET /health fails',
    );
    expect(code).toBe(1);
  });
});
