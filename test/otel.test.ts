import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode, context, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, RequestValidationError, generateFernetKey } from '../src/index.js';
import {
  DURATION_METRIC,
  instrumentAuthnzerver,
  type AuthnzerverInstrumentation,
  type OtelOptions,
} from '../src/observe/otel.js';
import { startProtocolServer, type ProtocolServer } from '../src/testing/protocol-server.js';
import {
  IP,
  READ_BODY,
  SECRETS,
  WRITE_BODY,
  catalogueHandler,
} from './helpers/catalogue-handler.js';
import { expectFaultsConsumed } from './helpers/fault-accounting.js';
import { DEADLINE_MS, FAULT_TABLE } from './helpers/faults.js';
import { closedPort } from './helpers/processes.js';
import { startServerThread } from './helpers/server-thread.js';

/**
 * `authnzerver/otel` with OpenTelemetry's in-memory exporter: one CLIENT span per call over the README's fault
 * table, the `rpc.client.duration` histogram, thrown errors, `rejected`, the parent context, the sync API,
 * `disable()`, and that no secret reaches a span or a metric point.
 */

/** A metric reader that the test collects from when it wants. */
class TestMetricReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** An instrumentation with its own in-memory exporter and metric reader. */
interface Rig {
  readonly exporter: InMemorySpanExporter;
  readonly tracerProvider: BasicTracerProvider;
  readonly reader: TestMetricReader;
  readonly meterProvider: MeterProvider;
  readonly otel: AuthnzerverInstrumentation;
  /** The spans finished since the last call, and forgets them. */
  take(): Promise<ReadableSpan[]>;
  /** The duration histogram's points (cumulative). */
  points(): Promise<HistogramMetricData['dataPoints']>;
  close(): Promise<void>;
}

function rig(options: Omit<OtelOptions, 'tracerProvider' | 'meterProvider'> = {}): Rig {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const otel = instrumentAuthnzerver({ ...options, tracerProvider, meterProvider });
  return {
    exporter,
    tracerProvider,
    reader,
    meterProvider,
    otel,
    async take() {
      await tracerProvider.forceFlush();
      const spans = exporter.getFinishedSpans();
      exporter.reset();
      return spans;
    },
    async points() {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === DURATION_METRIC);
      return (metric as HistogramMetricData | undefined)?.dataPoints ?? [];
    },
    async close() {
      otel.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

const retryEvents = (span: ReadableSpan): ReadableSpan['events'] =>
  span.events.filter((e) => e.name === 'retry');

describe('authnzerver/otel', () => {
  let server: ProtocolServer;
  let refusedUrl: string;
  let r: Rig;
  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
    refusedUrl = `http://127.0.0.1:${await closedPort()}/`;
    r = rig();
  });
  afterAll(async () => {
    await r.close();
    await server.close();
  });
  expectFaultsConsumed(() => server);

  const client = (): Authnzerver =>
    new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: { backoff: 10, maxBackoff: 10 },
    });

  it('makes one CLIENT span per call of the README fault table, with its failure, attempts and retries', async () => {
    await r.take();
    const before = await r.points();
    /** The calls made, by `rpc.method` and `error.type` (`-` for none). */
    const expected = new Map<string, number>();
    for (const row of FAULT_TABLE) {
      for (const side of ['read', 'write'] as const) {
        const what = `${row.name} (${side})`;
        const [kind, attempts] = row[side];
        const type = side === 'read' ? 'session-exists' : 'session-new';
        const url = row.target === 'closed-port' ? refusedUrl : server.url;
        const c = new Authnzerver({
          url,
          secret: row.wrongSecret === true ? generateFernetKey() : server.secret,
          timeouts: { request: DEADLINE_MS },
          retry: { backoff: 20, maxBackoff: 40, ...row.retry },
        });
        for (const fault of row.faults ?? []) server.fault(fault);
        const result =
          side === 'read' ? await c.sessionExists(READ_BODY) : await c.sessionNew(WRITE_BODY);
        await c.close();
        expect(server.pendingFaults(), `${what}: faults no call met`).toBe(0);
        expect(result.success ? 'success' : result.failure, what).toBe(kind);

        const spans = await r.take();
        expect(spans, what).toHaveLength(1);
        const span = spans[0]!;
        expect(span.name, what).toBe(`authnzerver/${type}`);
        expect(span.kind, what).toBe(SpanKind.CLIENT);
        expect(span.attributes, what).toMatchObject({
          'rpc.system': 'authnzerver',
          'rpc.service': 'authnzerver',
          'rpc.method': type,
          'server.address': '127.0.0.1',
          'server.port': Number(new URL(url).port),
          'authnzerver.sync': false,
          'authnzerver.attempts': attempts,
          'authnzerver.reqid': String(result.reqid),
        });
        expect(span.attributes['http.response.status_code'], what).toBe(
          result.statusCode ?? undefined,
        );
        const events = retryEvents(span);
        expect(events, what).toHaveLength(attempts - 1);
        events.forEach((event, i) => {
          expect(event.attributes, what).toMatchObject({ 'authnzerver.retry.attempt': i + 2 });
          expect(['not-sent', 'transient', 'rate-limited'], what).toContain(
            event.attributes?.['authnzerver.retry.reason'],
          );
          expect(typeof event.attributes?.['authnzerver.retry.delay_ms'], what).toBe('number');
        });
        if (kind === 'success') {
          expect(span.attributes['error.type'], what).toBeUndefined();
          expect(span.attributes['authnzerver.failure'], what).toBeUndefined();
          expect(span.status.code, what).toBe(SpanStatusCode.UNSET);
        } else {
          expect(span.attributes['error.type'], what).toBe(kind);
          expect(span.attributes['authnzerver.failure'], what).toBe(kind);
          expect(span.status, what).toEqual({ code: SpanStatusCode.ERROR, message: kind });
        }
        const key = `${type} ${kind === 'success' ? '-' : kind}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    // Let the replies the client gave up on (slow headers, slow bodies) finish before the next test.
    await server.idle();

    // One point of the duration histogram per call, with the span's method and error type (points differ by
    // `server.port` too: the refused row's port is not the server's).
    const after = await r.points();
    const count = (points: typeof after, method?: string, errorType?: string): number =>
      points
        .filter(
          (p) =>
            method === undefined ||
            (p.attributes['rpc.method'] === method &&
              p.attributes['error.type'] === (errorType === '-' ? undefined : errorType)),
        )
        .reduce((n, p) => n + p.value.count, 0);
    expect(count(after) - count(before)).toBe(2 * FAULT_TABLE.length);
    for (const [key, calls] of expected) {
      const [method, errorType] = key.split(' ');
      expect(count(after, method, errorType) - count(before, method, errorType), key).toBe(calls);
    }
    for (const point of after)
      expect(point.attributes).toMatchObject({
        'rpc.system': 'authnzerver',
        'rpc.service': 'authnzerver',
        'server.address': '127.0.0.1',
      });
  }, 120_000);

  it('gives a refused request (RequestValidationError) an ERROR span with its error type only', async () => {
    await r.take();
    const c = client();
    await expect(
      c.userLogin({ ...READ_BODY, email: 'a@example.com', password: 42 } as never),
    ).rejects.toThrow(RequestValidationError);
    await c.close();
    const [span, ...others] = await r.take();
    expect(others).toEqual([]);
    expect(span?.name).toBe('authnzerver/user-login');
    expect(span?.attributes['error.type']).toBe('RequestValidationError');
    expect(span?.attributes['authnzerver.attempts']).toBe(0);
    expect(span?.attributes['authnzerver.reqid']).toBeUndefined();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'RequestValidationError' });
    expect(span?.events).toEqual([]);
    const point = (await r.points()).find((p) => p.attributes['rpc.method'] === 'user-login');
    expect(point?.attributes['error.type']).toBe('RequestValidationError');
    expect(point?.value.count).toBe(1);
  });

  it('leaves a rejected call (the server said no) without an error status or error.type', async () => {
    await r.take();
    const c = client();
    const result = await c.sessionExists({ session_token: 'unknown', client_ipaddr: IP });
    await c.close();
    expect(result.failure).toBe('rejected');
    const [span] = await r.take();
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes['error.type']).toBeUndefined();
    expect(span?.attributes['authnzerver.failure']).toBe('rejected');
    expect(span?.attributes['http.response.status_code']).toBe(200);
    const point = (await r.points()).find(
      (p) => p.attributes['authnzerver.failure'] === 'rejected',
    );
    expect(point?.attributes['error.type']).toBeUndefined();
    expect(point?.attributes['rpc.method']).toBe('session-exists');
  });

  it('makes the span a child of the active context; its trace id can be the reqid', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      await r.take();
      const c = client();
      const parent = r.tracerProvider.getTracer('app');
      const { parentId, traceId } = await parent.startActiveSpan('handler', async (span) => {
        const ids = span.spanContext();
        // As docs/tracing.md shows: the trace id as the reqid, so the server's log lines carry it.
        await c.sessionExists(READ_BODY, { reqid: ids.traceId });
        span.end();
        return { parentId: ids.spanId, traceId: ids.traceId };
      });
      await c.close();
      const spans = await r.take();
      const call = spans.find((s) => s.name === 'authnzerver/session-exists');
      expect(call?.parentSpanContext?.spanId).toBe(parentId);
      expect(call?.spanContext().traceId).toBe(traceId);
      expect(call?.attributes['authnzerver.reqid']).toBe(traceId);
      expect(server.received.at(-1)?.reqid).toBe(traceId);
    } finally {
      context.disable();
    }
  });

  it('with reqidFromTrace, sends the span ids as the reqid when the caller gives none', async () => {
    r.otel.disable();
    const own = rig({ reqidFromTrace: true });
    try {
      const c = client();
      const result = await c.sessionExists(READ_BODY);
      const given = await c.sessionExists(READ_BODY, { reqid: 'mine' });
      await c.close();
      const [span, second] = await own.take();
      const { traceId, spanId } = span?.spanContext() ?? { traceId: '', spanId: '' };
      expect(result.reqid).toBe(`${traceId}-${spanId}`);
      expect(server.received.at(-2)?.reqid).toBe(result.reqid);
      expect(span?.attributes['authnzerver.reqid']).toBe(result.reqid);
      expect([given.reqid, second?.attributes['authnzerver.reqid']]).toEqual(['mine', 'mine']);
    } finally {
      await own.close();
      r = rig();
    }
  });

  it('traces the sync API: one span, ended when the call returns', async () => {
    const thread = await startServerThread();
    try {
      await r.take();
      const s = new Authnzerver({ url: thread.url, secret: thread.secret });
      const result = s.sync.sessionNew(WRITE_BODY, { timeout: 30_000 });
      const spans = await r.take();
      await s.close();
      expect(result.success).toBe(true);
      expect(spans).toHaveLength(1);
      expect(spans[0]?.name).toBe('authnzerver/session-new');
      expect(spans[0]?.attributes).toMatchObject({
        'authnzerver.sync': true,
        'authnzerver.attempts': 1,
      });
      expect(spans[0]?.status.code).toBe(SpanStatusCode.UNSET);
    } finally {
      await thread.close();
    }
  });

  it('traces only what the filter keeps, ends the spans in flight at disable(), then nothing', async () => {
    const own = rig({ filter: (trace) => trace.type === 'session-new' });
    const c = client();
    await c.sessionExists(READ_BODY);
    const inFlight = c.sessionNew(WRITE_BODY);
    own.otel.disable();
    own.otel.disable();
    expect((await inFlight).success).toBe(true);
    await c.sessionNew(WRITE_BODY);
    await c.close();
    const spans = await own.take();
    expect(spans.map((s) => s.name)).toEqual(['authnzerver/session-new']);
    expect((await own.points()).reduce((n, p) => n + p.value.count, 0)).toBe(1);
    await own.close();
  });

  it('never lets a failing instrumentation break a call', async () => {
    const own = rig({
      filter: () => {
        throw new Error('filter bug');
      },
    });
    const c = client();
    const result = await c.sessionExists(READ_BODY);
    await c.close();
    await own.close();
    expect(result.success).toBe(true);
    expect(await own.take()).toEqual([]);
  });
});

describe('no secret ever leaks into a span or a metric point', () => {
  it('over logins, replies with tokens, the fault table faults and refused requests', async () => {
    const server = await startProtocolServer({ handler: catalogueHandler });
    const r = rig();
    const spans: ReadableSpan[] = [];
    const c = new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: { backoff: 5, maxBackoff: 10, attemptTimeout: 200 },
    });
    const login = {
      session_token: SECRETS.sessionToken,
      email: 'alice@example.com',
      password: SECRETS.password,
      client_ipaddr: IP,
    };
    try {
      await c.userLogin(login);
      await c.userLogin({ ...login, password: SECRETS.newPassword });
      await c.sessionExists({ session_token: SECRETS.refreshToken, client_ipaddr: IP });
      await c.sessionNew(WRITE_BODY); // its reply carries a session token
      await c.apikeyNewNosession({
        issuer: 'test',
        audience: 'api',
        subject: '/x',
        apiversion: 1,
        expires_seconds: 60,
        not_valid_before: 0,
        user_id: 4,
        user_role: 'authenticated',
        ip_address: IP,
        refresh_expires: 60,
        refresh_nbf: 0,
        client_ipaddr: IP,
      });
      // Each fault of the table, met by a login and by a read (which retries), each on a fresh client as in the
      // table (so that no pooled connection hides a fault).
      const refused = `http://127.0.0.1:${await closedPort()}/`;
      for (const row of FAULT_TABLE) {
        for (const side of ['login', 'read'] as const) {
          const rowClient = new Authnzerver({
            url: row.target === 'closed-port' ? refused : server.url,
            secret: row.wrongSecret === true ? generateFernetKey() : server.secret,
            timeouts: { request: DEADLINE_MS, login: DEADLINE_MS },
            retry: { backoff: 5, maxBackoff: 10, ...row.retry },
          });
          for (const fault of row.faults ?? []) server.fault(fault);
          if (side === 'login') await rowClient.userLogin(login);
          else await rowClient.sessionExists(READ_BODY);
          await rowClient.close();
          expect(server.pendingFaults(), `${row.name} (${side}): faults no call met`).toBe(0);
        }
      }
      for (const bad of [
        { ...login, password: 42 },
        { ...login, remember: SECRETS.password },
        { session_token: SECRETS.sessionToken, email: 'a', client_ipaddr: IP },
      ]) {
        await expect(c.userLogin(bad as never)).rejects.toThrow(RequestValidationError);
      }
      spans.push(...(await r.take()));
      const points = await r.points();
      await server.idle();

      expect(spans.length).toBe(5 + 2 * FAULT_TABLE.length + 3);
      const text = JSON.stringify([
        spans.map((s) => ({
          name: s.name,
          attributes: s.attributes,
          events: s.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {} })),
          status: s.status,
          links: s.links,
        })),
        points.map((p): Attributes => p.attributes),
      ]);
      expect(text).toContain('authnzerver.reqid');
      expect(text).toContain('"retry"');
      for (const [name, secret] of [
        ...Object.entries(SECRETS),
        ['fernet key', server.secret] as const,
      ]) {
        expect(text.includes(secret), `${name} leaked`).toBe(false);
      }
    } finally {
      await c.close();
      await r.close();
      await server.close();
    }
  }, 120_000);
});

describe('the package', () => {
  it('exports authnzerver/otel, with @opentelemetry/api as an optional peer', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    // Both builds (docs/commonjs.md): the ES module for `import`, CommonJS for `require`.
    expect(pkg.exports['./otel'].import).toEqual({
      types: './dist/src/otel.d.ts',
      default: './dist/src/otel.js',
    });
    expect(pkg.exports['./otel'].require).toEqual({
      types: './dist/cjs/src/otel.d.cts',
      default: './dist/cjs/src/otel.cjs',
    });
    expect(pkg.typesVersions['*'].otel).toEqual(['./dist/cjs/src/otel.d.cts']);
    expect(pkg.peerDependencies['@opentelemetry/api']).toBeDefined();
    expect(pkg.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
    expect(pkg.dependencies?.['@opentelemetry/api']).toBeUndefined();
  });

  it("has docs/tracing.md's CallTrace table as the README's", () => {
    /** The markdown table whose header starts with `| field`. */
    const table = (file: string): string[] => {
      const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
      const start = lines.findIndex((line) => /^\| field\s+\| what/.test(line));
      const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
      return lines.slice(start, end);
    };
    const readme = table('../README.md');
    expect(readme.join('\n')).toContain('`retries`');
    expect(table('../docs/tracing.md')).toEqual(readme);
  });

  it('loads @opentelemetry/api from authnzerver/otel only, never from the main entry points', () => {
    /** Every module reachable from `entry` by static or dynamic relative imports, and the bare specifiers. */
    const graph = (entry: URL): { files: Set<string>; bare: Set<string> } => {
      const files = new Set<string>();
      const bare = new Set<string>();
      const visit = (file: URL): void => {
        if (files.has(file.href)) return;
        files.add(file.href);
        // Block comments (JSDoc examples) hold imports that are not the module's own.
        const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        for (const [, specifier] of text.matchAll(
          /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm,
        )) {
          if (specifier === undefined) continue;
          if (specifier.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), file));
          else bare.add(specifier);
        }
      };
      visit(entry);
      return { files, bare };
    };
    const otel = new URL('../src/otel.ts', import.meta.url).href;
    for (const entry of ['index.ts', 'runtime.ts', 'testing/index.ts']) {
      const { files, bare } = graph(new URL(`../src/${entry}`, import.meta.url));
      expect(files.size, entry).toBeGreaterThan(5);
      expect(files.has(otel), entry).toBe(false);
      expect(
        [...bare].filter((s) => s.startsWith('@opentelemetry/')),
        entry,
      ).toEqual([]);
    }
    expect(graph(new URL(otel)).bare).toContain('@opentelemetry/api');
  });
});
