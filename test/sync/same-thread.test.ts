import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, ConfigError } from '../../src/index.js';
import { hostKey, servedOnThisThread, serveOnThisThread } from '../../src/sync/same-thread.js';
import {
  createTestServer,
  startProtocolServer,
  startTestServerThread,
  type TestServerThread,
} from '../../src/testing/index.js';

/**
 * A sync call blocks its thread until the reply comes, so a test server run by that same thread could never
 * answer: the call is refused at once with a ConfigError, before anything is sent. The test kit's server thread
 * (`startTestServerThread`) is the way to test sync code.
 *
 * Each refused call below has a deadline of ten minutes: were it sent, the test would hang until vitest's own
 * timeout and fail. That it throws, and the server saw nothing, is what is checked; no time is measured.
 */

const IP = '203.0.113.8';
const LONG = { timeout: 600_000 } as const;
const SESSION = {
  ip_address: IP,
  user_agent: 'sync-test',
  user_id: null,
  extra_info_json: null,
  client_ipaddr: IP,
} as const;

/** The ConfigError a call throws, or a failure naming what happened instead. */
function configErrorOf(call: () => unknown): ConfigError {
  try {
    const result = call();
    throw new Error(`expected a ConfigError, got a result: ${JSON.stringify(result)}`);
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    return error;
  }
}

describe('the record of the servers this thread serves', () => {
  it('writes every loopback spelling as one host', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      'localhost.',
      'app.localhost',
      '127.0.0.1',
      '127.1.2.3',
      '0.0.0.0',
      '[::1]',
      '::1',
      '[::]',
      '[::ffff:7f00:1]',
      '[::ffff:0:0]',
    ])
      expect(hostKey(host), host).toBe('loopback');
    for (const host of ['example.com', '10.0.0.1', '[::2]', 'localhost.example.com', '128.0.0.1'])
      expect(hostKey(host), host).not.toBe('loopback');
  });

  it('matches a URL by any loopback spelling and the port, until released', () => {
    const release = serveOnThisThread('127.0.0.1', 45_678);
    const again = serveOnThisThread('127.0.0.1', 45_678);
    try {
      for (const url of [
        'http://127.0.0.1:45678/',
        'http://localhost:45678/',
        'http://[::1]:45678/',
        'https://127.0.0.1:45678/',
        'http://[::ffff:127.0.0.1]:45678/',
        'http://0x7f.0.0.1:45678/', // the URL parser writes it 127.0.0.1
      ])
        expect(servedOnThisThread(new URL(url)), url).toBe(true);
      for (const url of [
        'http://127.0.0.1:45679/',
        'http://example.com:45678/',
        'http://127.0.0.1/',
      ])
        expect(servedOnThisThread(new URL(url)), url).toBe(false);
      release();
      release(); // a second release does nothing: the other server still listens
      expect(servedOnThisThread(new URL('http://127.0.0.1:45678/'))).toBe(true);
    } finally {
      again();
    }
    expect(servedOnThisThread(new URL('http://127.0.0.1:45678/'))).toBe(false);
  });

  it('is kept on globalThis under a Symbol.for key, so both builds of the package share it', async () => {
    const server = await startProtocolServer();
    try {
      const shared = (globalThis as Record<symbol, unknown>)[
        Symbol.for('authnzerver.servedOnThisThread')
      ];
      expect(shared).toBeInstanceOf(Map);
      expect((shared as Map<string, number>).get(`loopback:${server.port}`)).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('a sync call to a test server of this same thread', () => {
  it('is refused at once with a ConfigError that says why and how to fix it; nothing is sent', async () => {
    const server = await createTestServer();
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    try {
      const error = configErrorOf(() =>
        client.sync.sessionExists({ session_token: 'none', client_ipaddr: IP }, LONG),
      );
      expect(error.option).toBe('url');
      expect(error.message).toContain(`cannot call http://127.0.0.1:${server.port}`);
      expect(error.message).toContain('a test server of this same thread serves it');
      expect(error.message).toContain('startTestServerThread');
      expect(error.message).not.toContain(server.secret);
      expect(() =>
        client.requestSync('session-exists', { session_token: 'x', client_ipaddr: IP }, LONG),
      ).toThrow(ConfigError);
      expect(server.hits).toBe(0);
      expect(server.received).toEqual([]);
      // The async API is not affected.
      const result = await client.sessionExists({ session_token: 'none', client_ipaddr: IP });
      expect(result.failure).toBe('rejected');
      expect(server.received).toHaveLength(1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('is refused whichever loopback name the URL gives the server, and for the bare protocol server', async () => {
    const server = await startProtocolServer({ allowedHosts: ['localhost', '127.0.0.1', '[::1]'] });
    const clients = ['localhost', '[::1]', '127.0.0.1'].map(
      (host) => new Authnzerver({ url: `http://${host}:${server.port}/`, secret: server.secret }),
    );
    try {
      for (const client of clients) {
        const error = configErrorOf(() =>
          client.sync.request('anything', { client_ipaddr: IP }, LONG),
        );
        expect(error.option).toBe('url');
      }
      expect(server.hits).toBe(0);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await server.close();
    }
  });

  it('still checks the body first: a bad body is a RequestValidationError', async () => {
    const server = await createTestServer();
    const client = new Authnzerver({ url: server.url, secret: server.secret });
    try {
      expect(() => client.sync.sessionExists({ session_token: 1 } as never, LONG)).toThrow(
        /invalid body/,
      );
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('is allowed again once that server has closed (the record is released)', async () => {
    const server = await createTestServer();
    const url = server.url;
    const client = new Authnzerver({ url, secret: server.secret });
    await server.close();
    try {
      // Nothing listens there now: the call fails as a network failure, a tuple, not a ConfigError.
      const result = client.sync.sessionExists(
        { session_token: 'none', client_ipaddr: IP },
        { timeout: 30_000, retry: false },
      );
      expect(result.failure).toBe('network');
    } finally {
      await client.close();
    }
  });
});

describe('startTestServerThread: the test server in a thread of its own', () => {
  let server: TestServerThread;
  let client: Authnzerver;

  beforeAll(async () => {
    server = await startTestServerThread({ loginBackoff: { scale: 0 } });
    client = new Authnzerver({ url: server.url, secret: server.secret });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('answers sync calls, with users seeded by message, and shows what it received', async () => {
    const user = await server.authnzerver!.addUser({
      email: 'sync@example.com',
      password: 'Correct-Horse-Battery-9',
    });
    expect(user.email).toBe('sync@example.com');
    const session = client.sync.sessionNew({ ...SESSION, expires: new Date(Date.UTC(2099, 0, 1)) });
    expect(session.success, session.failureReason ?? '').toBe(true);
    if (!session.success) return;
    expect(
      (await server.authnzerver!.listSessions()).find(
        (s) => s.session_token === session.response.session_token,
      )?.expires,
    ).toBe('2099-01-01T00:00:00');
    const login = client.sync.userLogin({
      session_token: session.response.session_token,
      email: 'sync@example.com',
      password: 'Correct-Horse-Battery-9',
      client_ipaddr: IP,
    });
    expect(login.success, login.failureReason ?? '').toBe(true);
    expect(login.success && login.response.user_id).toBe(user.user_id);

    const received = await server.received();
    expect(received.map((r) => r.type)).toEqual(['session-new', 'user-login']);
    // The Date went over the wire in the server's format, from the sync API too.
    expect((received[0]!.body as { expires: unknown }).expires).toBe('2099-01-01T00:00:00.000000');
    expect(await server.authnzerver!.findUser('sync@example.com')).toMatchObject({
      user_id: user.user_id,
    });
    expect((await server.stats()).hits).toBe(2);
  });

  it('takes faults by message, and passes errors of the thread back as rejections', async () => {
    await server.fault({ kind: 'status', status: 500 });
    expect(await server.pendingFaults()).toBe(1);
    const result = client.sync.sessionExists({ session_token: 'none', client_ipaddr: IP });
    expect(result.failure).toBe('server-error');
    expect(await server.pendingFaults()).toBe(0);
    await expect(
      server.authnzerver!.addUser({ email: 'sync@example.com', password: 'Another-Pass-Word-1' }),
    ).rejects.toThrow('a user with email sync@example.com exists');
    await server.resetLimits();
    await server.idle();
  });

  it('changes its key by message', async () => {
    const old = server.secret;
    const other = await startTestServerThread({ authnzerver: false });
    try {
      expect(other.authnzerver).toBeUndefined();
      await other.setSecret(old);
      expect(other.secret).toBe(old);
      const c = new Authnzerver({ url: other.url, secret: old });
      // No in-memory authnzerver: a catalogue type gets HTTP 400, as an unknown type does.
      expect(c.sync.sessionExists({ session_token: 'none', client_ipaddr: IP }).failure).toBe(
        'bad-request',
      );
      await c.close();
    } finally {
      await other.close();
      await other.close(); // idempotent
    }
    await expect(other.received()).rejects.toThrow(/ended/);
  });

  it('refuses options that cannot go to another thread, and unknown ones, naming them', async () => {
    await expect(startTestServerThread({ handlers: {} } as never)).rejects.toThrow(
      /the option handlers cannot go to another thread/,
    );
    await expect(startTestServerThread({ now: () => 0 } as never)).rejects.toThrow(
      /the option now cannot go/,
    );
    await expect(startTestServerThread({ authnzerver: { now: () => 0 } } as never)).rejects.toThrow(
      /authnzerver.now/,
    );
    await expect(startTestServerThread({ ratelimits: false } as never)).rejects.toThrow(
      'unknown option ratelimits (did you mean rateLimits?)',
    );
  });

  it('rejects when its server cannot start, and ends its thread', async () => {
    await expect(startTestServerThread({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
