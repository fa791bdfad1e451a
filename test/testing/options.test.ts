import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specs } from '../../generated/specs.js';
import type { AuthnzerverRequests } from '../../generated/types.js';
import { ConfigError, generateFernetKey } from '../../src/runtime.js';
import {
  createRecorder,
  createTestServer,
  InMemoryAuthnzerver,
  startProtocolServer,
  type ProtocolServer,
} from '../../src/testing/index.js';

/**
 * Unknown option keys of the test kit (issue 20): a misspelt key of `createTestServer`'s options (nested ones
 * included), of `startProtocolServer`'s, `new InMemoryAuthnzerver`'s or `createRecorder`'s, and a fault of an
 * unknown kind or with a key its kind does not have, is a `ConfigError` naming it with the nearest known one:
 * a misspelt fault would otherwise be ignored, and a test would pass without the fault it means to inject.
 */

const SECRET = generateFernetKey();

/** The rejection of `start`, checked to be a `ConfigError`. */
async function rejected(start: () => Promise<{ close(): Promise<void> }>): Promise<ConfigError> {
  const outcome = await start().then(
    async (server) => {
      await server.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(ConfigError.is(outcome), String(outcome)).toBe(true);
  return outcome as ConfigError;
}

/** The error `run` throws, checked to be a `ConfigError`. */
function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(ConfigError.is(error), String(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('createTestServer’s options', () => {
  it.each([
    [
      'a misspelt top-level key',
      { loginBackof: { scale: 0 } },
      'loginBackof',
      'did you mean `loginBackoff`?',
    ],
    [
      'a misspelt loginBackoff key',
      { loginBackoff: { scal: 0 } },
      'loginBackoff.scal',
      'did you mean `loginBackoff.scale`?',
    ],
    [
      'a misspelt rateLimits key',
      { rateLimits: { brust: 1 } },
      'rateLimits.brust',
      'did you mean `rateLimits.burst`?',
    ],
    [
      'a misspelt key of the in-memory server’s admin, with a password under it',
      { authnzerver: { admin: { pasword: SECRET } } },
      'authnzerver.admin.pasword',
      'did you mean `authnzerver.admin.password`?',
    ],
    ['a misspelt tls key', { tls: { crt: 'x', key: 'y' } }, 'tls.crt', 'did you mean `tls.cert`?'],
    ['a secret under a misspelt key', { secert: SECRET }, 'secert', 'did you mean `secret`?'],
    [
      'a handler of no method',
      { handlers: { sessionExist: () => ({ success: true }) } },
      'handlers.sessionExist',
      'did you mean `handlers.sessionExists`?',
    ],
  ])('refuses %s, naming its full path', async (_name, options, option, hint) => {
    const error = await rejected(() => createTestServer(options as never));
    expect(error.option).toBe(option);
    expect(error.message).toBe(`createTestServer: unknown option \`${option}\`; ${hint}`);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a nested option that is not an object (false turns one off)', async () => {
    const error = await rejected(() => createTestServer({ loginBackoff: 0 } as never));
    expect(error.message).toBe(
      'createTestServer: `loginBackoff` must be an object or false; the options of `loginBackoff` are scale, lockAfter, lockSeconds',
    );
  });

  it('accepts every known key, `false` where it turns a part off, and a custom catalogue’s specs', async () => {
    const server = await createTestServer<AuthnzerverRequests, typeof specs>({
      specs,
      secret: SECRET,
      port: 0,
      handlers: { sessionExists: () => ({ httpStatus: 503 }) },
      authnzerver: { admin: { email: 'root@example.com', password: 'x' }, serverName: 'h' },
      rateLimits: { ipaddr: 1, user: 1, session: 1, apikey: 1, burst: 1, types: { 'x-y': 1 } },
      loginBackoff: { scale: 0, lockAfter: 1, lockSeconds: 1 },
      now: Date.now,
      allowedHosts: ['127.0.0.1'],
    });
    expect(server.authnzerver).toMatchObject({ admin: { email: 'root@example.com' } });
    await server.close();
    const off = await createTestServer({
      authnzerver: false,
      rateLimits: false,
      loginBackoff: false,
    });
    await off.close();
  });
});

describe('the other test-kit options', () => {
  it('startProtocolServer: refuses a misspelt key, nested ones included', async () => {
    const top = await rejected(() => startProtocolServer({ alowedHosts: ['x'] } as never));
    expect(top.option).toBe('alowedHosts');
    expect(top.message).toBe(
      'startProtocolServer: unknown option `alowedHosts`; did you mean `allowedHosts`?',
    );
    const nested = await rejected(() =>
      startProtocolServer({ tls: { cert: 'c', key: 'k', requestCrt: true } } as never),
    );
    expect(nested.option).toBe('tls.requestCrt');
    const server = await startProtocolServer({ secret: SECRET, port: undefined });
    await server.close();
  });

  it('new InMemoryAuthnzerver: refuses a misspelt key', () => {
    const error = thrown(() => new InMemoryAuthnzerver({ serverNmae: 'x' } as never));
    expect(error.option).toBe('serverNmae');
    expect(error.message).toBe(
      'new InMemoryAuthnzerver: unknown option `serverNmae`; did you mean `serverName`?',
    );
  });

  it('createRecorder: refuses a misspelt key', () => {
    const error = thrown(() => createRecorder({ maxx: 1 } as never));
    expect(error.message).toBe('createRecorder: unknown option `maxx`; did you mean `max`?');
    expect(createRecorder({ max: 1, via: 'x' }).dropped).toBe(0);
  });
});

describe('faults', () => {
  let server: ProtocolServer;
  const KINDS =
    'the kinds are delay, slow-body, hang, reset, truncate, garbage, html-404, wrong-key, wrong-reqid, oversize, reply, database-error, status';

  beforeAll(async () => {
    server = await startProtocolServer();
  });

  afterAll(() => server.close());

  it.each([
    [
      'an unknown kind',
      { kind: 'dealy', ms: 5 },
      'kind',
      `server.fault: unknown fault kind \`dealy\`; did you mean \`delay\`? (${KINDS})`,
    ],
    [
      'a kind close to none',
      { kind: 'explode' },
      'kind',
      `server.fault: unknown fault kind \`explode\` (${KINDS})`,
    ],
    ['no kind', { ms: 5 }, 'kind', `server.fault: a fault needs a \`kind\` (${KINDS})`],
    [
      'a fault that is not an object',
      'delay',
      'kind',
      `server.fault: a fault must be an object with a \`kind\`; ${KINDS}`,
    ],
    [
      'a misspelt key of its kind',
      { kind: 'delay', msec: 5 },
      'msec',
      "server.fault({ kind: 'delay' }): unknown option `msec`; did you mean `ms`?",
    ],
    [
      'a key of another kind',
      { kind: 'status', status: 503, pieces: 2 },
      'pieces',
      "server.fault({ kind: 'status' }): unknown option `pieces`; the options are kind, status, body, headers",
    ],
  ])('refuses %s, and queues nothing', (_name, fault, option, message) => {
    const error = thrown(() => {
      server.fault(fault as never);
    });
    expect(error.option).toBe(option);
    expect(error.message).toBe(message);
    expect(server.pendingFaults()).toBe(0);
  });

  it('queues a fault of each kind with its keys', () => {
    server.fault({ kind: 'slow-body', ms: 1, pieces: 2 });
    server.fault({ kind: 'status', status: 503, body: 'x', headers: {} });
    server.fault({ kind: 'reset', when: 'on-connect' });
    expect(server.pendingFaults()).toBe(3);
    server.clearFaults();
  });
});
