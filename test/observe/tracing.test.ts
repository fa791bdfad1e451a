import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, RequestValidationError } from '../../src/index.js';
import { startProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { CALL_CHANNEL, type CallTrace } from '../../src/observe/tracing.js';
import { READ_BODY, SECRETS, WRITE_BODY, catalogueHandler } from '../helpers/catalogue-handler.js';
import { expectFaultsConsumed } from '../helpers/fault-accounting.js';
import { startServerThread } from '../helpers/server-thread.js';

/**
 * Every call on the `authnzerver:call` TracingChannel: what a subscriber (an APM, OpenTelemetry) sees, event by
 * event, and that it never sees a body, a reply or a secret.
 */

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
type Seen = { event: (typeof EVENTS)[number]; trace: CallTrace; snapshot: string };

describe('the call TracingChannel', () => {
  let server: ProtocolServer;
  const seen: Seen[] = [];
  const handlers = EVENTS.map((event) => {
    const handler = (message: unknown): void => {
      seen.push({ event, trace: message as CallTrace, snapshot: JSON.stringify(message) });
    };
    return [`tracing:${CALL_CHANNEL}:${event}`, handler] as const;
  });

  beforeAll(async () => {
    server = await startProtocolServer({ handler: catalogueHandler });
    for (const [name, handler] of handlers) subscribe(name, handler);
  });
  afterAll(async () => {
    for (const [name, handler] of handlers) unsubscribe(name, handler);
    await server.close();
  });
  expectFaultsConsumed(() => server);

  const client = (): Authnzerver =>
    new Authnzerver({
      url: server.url,
      secret: server.secret,
      retry: { backoff: 10, maxBackoff: 10 },
    });

  it('publishes start, end, asyncStart and asyncEnd for an async call, with its outcome', async () => {
    seen.length = 0;
    const c = client();
    const result = await c.sessionExists(READ_BODY, { reqid: 'trace-1' });
    await c.close();
    expect(result.success).toBe(true);
    expect(seen.map((s) => s.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const trace = seen[0]?.trace;
    expect(trace).toMatchObject({
      type: 'session-exists',
      sync: false,
      serverAddress: '127.0.0.1',
      serverPort: server.port,
      reqid: 'trace-1',
      attempts: 1,
      statusCode: 200,
      failure: null,
      retries: [],
    });
  });

  it('records each retry with its reason, and the failure kind at the end', async () => {
    seen.length = 0;
    const c = client();
    server.fault({ kind: 'reset', when: 'after-body' });
    server.fault({ kind: 'status', status: 500 });
    const result = await c.sessionExists(READ_BODY);
    await c.close();
    expect(result.failure).toBe('server-error');
    const trace = seen.at(-1)?.trace;
    expect(trace).toMatchObject({ attempts: 2, statusCode: 500, failure: 'server-error' });
    expect(trace?.retries).toEqual([
      expect.objectContaining({ attempt: 2, reason: 'transient', failure: 'network' }),
    ]);
  });

  it('publishes error for a refused request, and traces the sync API with start and end', async () => {
    seen.length = 0;
    const c = client();
    await expect(c.sessionExists({ session_token: 1 } as never)).rejects.toThrow(
      RequestValidationError,
    );
    expect(seen.map((s) => s.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(RequestValidationError.is(seen[2]?.trace.error)).toBe(true);
    await c.close();
    // The sync API blocks this thread: its server runs in a thread of its own.
    const thread = await startServerThread();
    const s = new Authnzerver({ url: thread.url, secret: thread.secret });
    seen.length = 0;
    const result = s.sync.sessionNew(WRITE_BODY, { timeout: 30_000 });
    await s.close();
    await thread.close();
    expect(result.success).toBe(true);
    expect(seen.map((e) => e.event)).toEqual(['start', 'end']);
    expect(seen[1]?.trace).toMatchObject({ type: 'session-new', sync: true, attempts: 1 });
  });

  it('never carries a body, a reply or a secret', async () => {
    seen.length = 0;
    const c = client();
    await c.userLogin({
      session_token: SECRETS.sessionToken,
      email: 'a@example.com',
      password: SECRETS.password,
      client_ipaddr: READ_BODY.client_ipaddr,
    });
    await c.sessionNew(WRITE_BODY);
    await c.close();
    expect(seen.length).toBeGreaterThan(0);
    for (const { snapshot } of seen) {
      for (const secret of Object.values(SECRETS)) expect(snapshot).not.toContain(secret);
      expect(snapshot).not.toMatch(/"(body|response|envelope|messages)"/);
    }
  });
});
