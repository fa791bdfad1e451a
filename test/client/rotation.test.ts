import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, type ResponseTuple } from '../../src/index.js';
import {
  ConfigError,
  generateFernetKey,
  resolveConfig,
  type AuthnzerverOptions,
  CALL_CHANNEL,
  type CallTrace,
  type Logger,
  type RetryEvent,
} from '../../src/runtime.js';
import { KEY_ROUNDS } from '../../src/core/keys.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { READ_BODY } from '../helpers/catalogue-handler.js';
import { startServerThread, type ServerThread } from '../helpers/server-thread.js';
import { fingerprint, load } from '../helpers/rotation.js';

/**
 * Secret rotation over real loopback HTTP: the `secret` list and `AUTHNZERVER_SECRET`'s separator, a rolling key
 * switch under concurrent load against the test server (0 failed calls, no write run twice, the extra round trips
 * counted), the sync API, and what logs and hooks show (never a key).
 */

const URL_ = 'http://127.0.0.1:13431/';
const OLD = generateFernetKey();
const NEW = generateFernetKey();

/** The ConfigError that resolving these options (with a URL) throws, or what it gave instead. */
function configError(options: AuthnzerverOptions): ConfigError {
  const outcome = (() => {
    try {
      return resolveConfig({ url: URL_, ...options });
    } catch (error) {
      return error;
    }
  })();
  expect(ConfigError.is(outcome), 'a ConfigError').toBe(true);
  return outcome as ConfigError;
}

describe('several keys in `secret` and AUTHNZERVER_SECRET', () => {
  it('AUTHNZERVER_SECRET holds keys separated by commas, with optional white space and quotes around all', () => {
    for (const value of [
      `${OLD},${NEW}`,
      ` ${OLD} , ${NEW} `,
      `"${OLD}, ${NEW}"`,
      `${OLD},\n${NEW}`,
    ]) {
      const config = resolveConfig({ url: URL_, env: { AUTHNZERVER_SECRET: value } });
      expect(config.fernets).toHaveLength(2);
      expect(config.summary.secretFrom).toBe('env');
      expect(config.summary.secretFingerprints).toEqual([fingerprint(OLD), fingerprint(NEW)]);
    }
  });

  it('one key works exactly as before: one Fernet', () => {
    const config = resolveConfig({ url: URL_, env: { AUTHNZERVER_SECRET: ` "${OLD}" ` } });
    expect(config.fernets).toHaveLength(1);
    expect(config.summary.secretFingerprints).toEqual([fingerprint(OLD)]);
    const error = configError({ env: { AUTHNZERVER_SECRET: 'not a key' } });
    expect(error.message).toBe(
      'AUTHNZERVER_SECRET (the `secret` option\'s fallback) is not a valid Fernet key: the Fernet key has characters outside url-safe base64 (9 characters given); expected url-safe base64 of 32 bytes, 44 characters ending in "="',
    );
  });

  it('the option takes a list of strings or raw bytes, and a comma-separated string', () => {
    const raw = new Uint8Array(Buffer.from(NEW, 'base64'));
    expect(resolveConfig({ url: URL_, secret: [OLD, raw] }).summary.secretFingerprints).toEqual([
      fingerprint(OLD),
      fingerprint(NEW),
    ]);
    expect(resolveConfig({ url: URL_, secret: `${NEW},${OLD}` }).fernets).toHaveLength(2);
  });

  it('a bad key is a ConfigError naming its position, never the key', () => {
    const bad = `${OLD.slice(0, 40)}!!!=`;
    const error = configError({ env: { AUTHNZERVER_SECRET: `${OLD}, ${bad}, ${NEW}` } });
    expect(error.message).toMatch(
      /^AUTHNZERVER_SECRET \(the `secret` option's fallback\), key 2 of 3, is not a valid Fernet key/,
    );
    expect([error.option, error.envVar]).toEqual(['secret', 'AUTHNZERVER_SECRET']);
    for (const key of [OLD, NEW, bad, OLD.slice(0, 40)]) expect(error.message).not.toContain(key);
    const short = configError({ secret: [OLD, 'c2hvcnQ='] });
    expect(short.message).toMatch(
      /^the `secret` option, key 2 of 2, is not a valid Fernet key: the Fernet key decodes to 5 bytes/,
    );
  });

  it('an empty entry, a repeated key and an empty list are ConfigErrors', () => {
    expect(configError({ env: { AUTHNZERVER_SECRET: `${OLD},,${NEW}` } }).message).toContain(
      'key 2 of 3, is empty',
    );
    expect(configError({ env: { AUTHNZERVER_SECRET: `${OLD},` } }).message).toContain(
      'key 2 of 2, is empty',
    );
    const repeated = configError({ secret: [OLD, NEW, OLD] });
    expect(repeated.message).toBe('the `secret` option, key 3 of 3, is the same key as key 1');
    expect(configError({ secret: [] }).message).toBe(
      'the `secret` option is an empty list of keys',
    );
  });
});

let server: AuthnzerverTestServer;
const clients: Authnzerver[] = [];

const client = (secret: string[]): Authnzerver => {
  const made = new Authnzerver({
    url: server.url,
    secret,
    env: {},
    timeouts: { request: 60_000 },
    // Every extra send is counted as a refusal here: on a busy machine, a read slower than the attempt timeout
    // would be sent again for that. The attempt timeout is tested in test/core/retry.test.ts.
    retry: { attemptTimeout: 0 },
  });
  clients.push(made);
  return made;
};

describe('a rolling key switch under load, in process', () => {
  beforeAll(async () => {
    server = await createTestServer({ secret: OLD, rateLimits: false, loginBackoff: false });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  describe('under load', underLoad);
  describe('refused keys, logs, hooks and traces', refusedKeysAndReports);
});

function underLoad(): void {
  it('0 failed calls, no write run twice, and every extra round trip counted', async () => {
    const ip = '203.0.113.50';
    // Step 1 of the rotation is done: the app has the new key second. The server then restarts with it.
    const first = client([OLD, NEW]);
    const made = await first.sessionNew({ ...WRITE, client_ipaddr: ip });
    expect(made.success).toBe(true);
    const token = made.success ? made.response.session_token : '';
    const call = (app: Authnzerver) => (index: number) =>
      index % 2 === 0
        ? app.sessionNew({ ...WRITE, client_ipaddr: ip })
        : app.sessionExists({ session_token: token, client_ipaddr: ip });

    let switched = false;
    const phase1 = await load(400, 24, call(first), (done) => {
      if (done === 100 && !switched) {
        switched = true;
        server.setSecret(NEW);
      }
    });
    // Steps 2 and 3 of the rotation: app instances with the new key first, then with only the new key.
    const second = client([NEW, OLD]);
    const third = client([NEW]);
    const [phase2, phase3] = await Promise.all([
      load(200, 12, call(second)),
      load(200, 12, call(third)),
    ]);
    const results = [...phase1, ...phase2, ...phase3];

    const failed = results.filter((r) => !r.success);
    expect(failed.map((r) => `${r.failure}: ${r.failureReason}`)).toEqual([]);
    // Every write reached the in-memory server once: each request id once in what the server decrypted and ran,
    // and one session per write in its store.
    const writeIds = server.received.filter((r) => r.type === 'session-new').map((r) => r.reqid);
    expect(new Set(writeIds).size).toBe(writeIds.length);
    expect(writeIds.length).toBe(1 + 200 + 100 + 100);

    const extra = results.reduce((sum, r) => sum + r.attempts - 1, 0);
    const stats = [first, second, third].map((app) => app.keyStatus);
    console.log(
      `rotation in process: ${results.length} calls, 0 failed, ${writeIds.length} writes each run once, ` +
        `${extra} extra round trips (server refusals: ${server.refused}; per client: ` +
        `${stats.map((s) => s.extraRoundTrips).join(', ')})`,
    );
    // Every extra send was a refusal followed by the next key: the counts agree.
    expect(server.refused).toBe(extra);
    expect(stats.reduce((sum, s) => sum + s.extraRoundTrips, 0)).toBe(extra);
    // The first calls after the switch were sealed with the old key: at least one refusal. The others start on
    // the new key, and steady state is one round trip.
    expect(stats[0]).toMatchObject({ count: 2, current: 1 });
    expect(stats[0]?.extraRoundTrips).toBeGreaterThan(0);
    expect(stats.slice(1).map((s) => [s.current, s.extraRoundTrips])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    const steady = await first.sessionExists({ session_token: token, client_ipaddr: ip });
    expect([steady.success, steady.attempts]).toEqual([true, 1]);
  });
}

function refusedKeysAndReports(): void {
  it('a client whose every key is refused gets `unauthorized`, as with one key; then one send per key', async () => {
    const strangers = client([generateFernetKey(), generateFernetKey()]);
    const before = server.received.length;
    const result = await strangers.sessionNew({ ...WRITE, client_ipaddr: '203.0.113.51' });
    // The first call keeps trying (a fleet half-way through a rotation looks the same), up to its budget.
    expect([result.failure, result.statusCode, result.attempts]).toEqual([
      'unauthorized',
      401,
      2 * KEY_ROUNDS,
    ]);
    const next = await strangers.sessionNew({ ...WRITE, client_ipaddr: '203.0.113.51' });
    expect([next.failure, next.attempts]).toEqual(['unauthorized', 2]);
    expect(server.received.length).toBe(before);
  });

  it('logs the key switch at info, hooks and traces see it as `key-refused`, and no key is in either', async () => {
    const other = generateFernetKey();
    const lines: string[] = [];
    const record = (...args: unknown[]): void => void lines.push(JSON.stringify(args));
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const retries: RetryEvent[] = [];
    const app = new Authnzerver({
      url: server.url,
      secret: [other, server.secret],
      env: {},
      logger,
      logLevel: 'info',
      hooks: { onRetry: (event) => void retries.push(event) },
    });
    clients.push(app);
    const traces: CallTrace[] = [];
    const onEnd = (trace: unknown): void => void traces.push(trace as CallTrace);
    subscribe(`tracing:${CALL_CHANNEL}:asyncEnd`, onEnd);
    let result: ResponseTuple<unknown, unknown>;
    try {
      result = await app.sessionNew({ ...WRITE, client_ipaddr: '203.0.113.52' });
    } finally {
      unsubscribe(`tracing:${CALL_CHANNEL}:asyncEnd`, onEnd);
    }
    expect([result.success, result.attempts]).toEqual([true, 2]);
    expect(
      traces.map((t) => [t.attempts, t.failure, t.retries.map((r) => [r.reason, r.failure])]),
    ).toEqual([[2, null, [['key-refused', 'unauthorized']]]]);
    expect(JSON.stringify(traces)).not.toContain(server.secret);
    // Sent twice, run once: the refused send ran nothing.
    expect(server.received.filter((r) => r.reqid === result.reqid)).toHaveLength(1);
    expect(retries.map((e) => [e.reason, e.delayMs, e.failure])).toEqual([
      ['key-refused', 0, 'unauthorized'],
    ]);
    expect(lines.join('\n')).toContain('again with the next key of `secret`');
    for (const key of [other, server.secret]) expect(lines.join('\n')).not.toContain(key);
  });
}

describe('a restart with the new key, on the same port', () => {
  it('the client keeps its URL: its next call is refused once, sent again with the new key, then remembered', async () => {
    const before = await createTestServer({ secret: OLD, rateLimits: false });
    const app = new Authnzerver({ url: before.url, secret: [OLD, NEW], env: {} });
    try {
      expect((await app.sessionNew({ ...WRITE, client_ipaddr: '203.0.113.60' })).success).toBe(
        true,
      );
      await before.close();
      const after = await createTestServer({ secret: NEW, rateLimits: false, port: before.port });
      try {
        expect(after.url).toBe(before.url);
        // A read: it may also meet a connection the old server closed, and be sent again for that.
        const read = { session_token: 'no-such-session', client_ipaddr: '203.0.113.60' };
        const first = await app.sessionExists(read);
        const second = await app.sessionExists(read);
        // The new server decrypted both and said no (a session it does not have): `rejected`, not a failed call.
        expect([first.failure, second.failure, second.attempts]).toEqual([
          'rejected',
          'rejected',
          1,
        ]);
        expect(first.attempts).toBeGreaterThanOrEqual(2);
        expect(app.keyStatus).toMatchObject({ current: 1, extraRoundTrips: 1 });
        expect([after.refused, after.received.length]).toEqual([1, 2]);
      } finally {
        await after.close();
      }
    } finally {
      await app.close();
    }
  });
});

const WRITE = {
  ip_address: '203.0.113.50',
  user_agent: 'rotation-test',
  user_id: null,
  expires: '2099-01-01T00:00:00.000000',
  extra_info_json: null,
} as const;

describe('the sync API rotates too', () => {
  let thread: ServerThread;
  beforeAll(async () => {
    thread = await startServerThread();
  });
  afterAll(async () => {
    await thread.close();
  });

  it('sends again with the next key, remembers it, and shares the memory with the async API', async () => {
    const app = new Authnzerver({
      url: thread.url,
      secret: [generateFernetKey(), thread.secret],
      env: {},
      // The first sync call starts the worker thread: a generous deadline, whatever the machine's load.
      timeouts: { request: 60_000 },
    });
    try {
      const first = app.sync.sessionExists(READ_BODY);
      expect([first.success, first.attempts]).toEqual([true, 2]);
      const second = app.sync.sessionExists(READ_BODY);
      expect([second.success, second.attempts]).toEqual([true, 1]);
      const asynchronous = await app.sessionExists(READ_BODY);
      expect([asynchronous.success, asynchronous.attempts]).toEqual([true, 1]);
      expect(app.keyStatus).toMatchObject({ count: 2, current: 1, extraRoundTrips: 1 });
    } finally {
      await app.close();
    }
  });
});
