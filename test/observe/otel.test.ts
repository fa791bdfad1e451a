import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Authnzerver, RequestValidationError, generateFernetKey } from '../../src/index.js';

import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';

import { IP, READ_BODY, WRITE_BODY, catalogueHandler } from '../helpers/catalogue-handler.js';
import { expectFaultsConsumed } from '../helpers/fault-accounting.js';

import { DEADLINE_MS, FAULT_TABLE } from '../helpers/faults.js';

import { closedPort } from '../helpers/processes.js';

import { startServerThread } from '../helpers/server-thread.js';

import { retryEvents, rig, type Rig } from '../helpers/otel.js';

/**
 * `authnzerver/otel` with OpenTelemetry's in-memory exporter: one CLIENT span per call over docs/failures.md's fault
 * table, the `rpc.client.duration` histogram, thrown errors, `rejected`, the parent context, the sync API and
 * `disable()`. That no secret reaches a span or a metric point, and the package's entry point:
 * test/observe/otel-privacy.test.ts.
 */

// The server (and a refused URL) the suite calls, and the OpenTelemetry rig that collects its spans and metrics.
// The server (and a refused URL) the suite calls, and the OpenTelemetry rig that collects its spans and metrics.
let server: ProtocolServer;
let refusedUrl: string;
let r: Rig;

const client = (): Authnzerver =>
  new Authnzerver({
    url: server.url,
    secret: server.secret,
    retry: { backoff: 10, maxBackoff: 10 },
  });

describe('authnzerver/otel', () => {
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

  describe('one span per call', faultTable);
  describe('errors and the active context', errorsAndContext);
  describe('reqidFromTrace, the sync API, the filter and failures', optionsAndSync);
});

function faultTable(): void {
  it('makes one CLIENT span per call of the fault table (docs/failures.md), with its failure, attempts and retries', async () => {
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
}

function errorsAndContext(): void {
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
}

function optionsAndSync(): void {
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
}
