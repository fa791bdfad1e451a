import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { instrumentAuthnzerver } from '../../src/observe/otel.js';
import {
  ConfigError,
  generateFernetKey,
  RequestValidationError,
  resolveConfig,
  type CallOptions,
} from '../../src/runtime.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';

/**
 * Unknown option keys (issue 20): a misspelt key of the client's options, nested ones included, is a
 * `ConfigError` naming its full path with the nearest known key; one of a call's options is a
 * `RequestValidationError` under `options`, as a bad value there is. Either way nothing is sent, and no value
 * given under the misspelt key (a secret) reaches the message. The check itself: test/core/options.test.ts.
 */

const KEY = generateFernetKey();
const URL_ = 'http://127.0.0.1:13431/';
/** Stands for a secret passed under a misspelt key: it must never be in a message. */
const SECRET = generateFernetKey();

/** The error `run` throws, checked to be a `ConfigError`. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(ConfigError.is(error), String(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('the client’s options', () => {
  const base = { url: URL_, secret: KEY } as const;

  it.each([
    [
      'a misspelt top-level key',
      { ...base, validateResponse: false },
      'validateResponse',
      'unknown option `validateResponse`; did you mean `validateResponses`?',
    ],
    [
      'a misspelt key under timeouts',
      { ...base, timeouts: { requst: 1000 } },
      'timeouts.requst',
      'unknown option `timeouts.requst`; did you mean `timeouts.request`?',
    ],
    [
      'a misspelt key under retry',
      { ...base, retry: { retris: 1 } },
      'retry.retris',
      'unknown option `retry.retris`; did you mean `retry.retries`?',
    ],
    [
      'a misspelt hook',
      { ...base, hooks: { beforeRequst: () => undefined } },
      'hooks.beforeRequst',
      'unknown option `hooks.beforeRequst`; did you mean `hooks.beforeRequest`?',
    ],
    [
      'a nested key given at the top',
      { ...base, login: 45000 },
      'login',
      'unknown option `login`; did you mean `timeouts.login`?',
    ],
    [
      'a key close to none',
      { ...base, timeouts: { frobnicate: 1 } },
      'timeouts.frobnicate',
      'unknown option `timeouts.frobnicate`; the options of `timeouts` are connect, request, login',
    ],
    [
      'a nested option that is not an object',
      { ...base, timeouts: 5000 },
      'timeouts',
      '`timeouts` must be an object; the options of `timeouts` are connect, request, login',
    ],
    [
      'retry that is neither an object nor false',
      { ...base, retry: true },
      'retry',
      '`retry` must be an object or false; the options of `retry` are retries, backoff, maxBackoff, attemptTimeout, waitOnRateLimit',
    ],
    [
      'a secret under a misspelt key',
      { url: URL_, secret: KEY, secert: SECRET },
      'secert',
      'unknown option `secert`; did you mean `secret`?',
    ],
  ])('refuses %s, naming its full path', (_name, options, option, message) => {
    // As a plain JavaScript caller would pass it: no types to catch the key.
    const error = configError(() => resolveConfig(options as never));
    expect(error.option).toBe(option);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(KEY);
  });

  it('refuses options that are not an object (a URL string, null)', () => {
    for (const options of [URL_, null, 42]) {
      const error = configError(() => new Authnzerver(options as never));
      expect(error.option).toBe('options');
      expect(error.message).toMatch(/^the options must be an object/);
    }
  });

  it('sends nothing: the constructor throws before a request could be made', () => {
    let calls = 0;
    const fetch = (): Promise<Response> => {
      calls++;
      return Promise.resolve(new Response('', { status: 500 }));
    };
    configError(() => new Authnzerver({ ...base, fetch, timeouts: { requst: 1 } } as never));
    expect(calls).toBe(0);
  });

  it('accepts every known key, and known keys whose value is undefined', async () => {
    const client = new Authnzerver({
      ...base,
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      tlsCaFile: undefined,
      timeouts: { connect: 1000, request: 2000, login: 3000 },
      transport: 'undici',
      maxResponseBytes: 1000,
      maxRequestBytes: 1000,
      validateResponses: true,
      connections: 2,
      keepAliveTimeout: 1000,
      retry: { retries: 1, backoff: 1, maxBackoff: 2, attemptTimeout: 100, waitOnRateLimit: false },
      hooks: {
        beforeRequest: () => undefined,
        afterResponse: () => undefined,
        onRetry: () => undefined,
        onError: () => undefined,
      },
      logger: console,
      logLevel: 'silent',
      env: {},
    });
    expect(client.config.timeouts).toEqual({ connect: 1000, request: 2000, login: 3000 });
    await client.close();
    expect(resolveConfig({ ...base, retry: false, hooks: undefined }).retry.retries).toBe(0);
  });
});

describe('undefined is an absent option (exactOptionalPropertyTypes lets a config pass it)', () => {
  it('falls back to the environment and the defaults', () => {
    const env = { AUTHNZERVER_URL: URL_, AUTHNZERVER_SECRET: KEY };
    const config = resolveConfig({
      url: undefined,
      secret: undefined,
      timeouts: { request: undefined, login: 1000 },
      retry: { retries: undefined, backoff: 5 },
      maxRequestBytes: undefined,
      validateResponses: undefined,
      logLevel: undefined,
      env,
    });
    expect(config.summary).toMatchObject({ urlFrom: 'env', secretFrom: 'env' });
    expect(config.timeouts).toEqual({ connect: 5000, request: 5000, login: 1000 });
    expect(config.retry).toMatchObject({ retries: 2, backoff: 5 });
    expect(config.maxRequestBytes).toBe(1024 * 1024);
    expect(config.validateResponses).toBe(true);
  });

  it('the test server keeps its own clock when authnzerver.now is undefined', async () => {
    const at = Date.UTC(2030, 0, 1);
    const server = await createTestServer({ now: () => at, authnzerver: { now: undefined } });
    try {
      const user = server.authnzerver.addUser({ email: 'u@example.com', password: 'p' });
      expect(user.created_on.startsWith('2030-01-01')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

let server: AuthnzerverTestServer;
let client: Authnzerver;
const body = { session_token: 'no-such-token', client_ipaddr: '203.0.113.9' };

/** The error a call with these options is refused with; the server received nothing. */
async function refused(options: unknown): Promise<RequestValidationError> {
  const before = server.hits;
  const error: unknown = await client.sessionExists(body, options as CallOptions).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(RequestValidationError.is(error), String(error)).toBe(true);
  expect(server.hits, 'the server was sent nothing').toBe(before);
  return error as RequestValidationError;
}

describe('a call’s options', () => {
  beforeAll(async () => {
    server = await createTestServer();
    client = new Authnzerver({ url: server.url, secret: server.secret, retry: false });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  describe('unknown and bad keys', unknownKeys);
  describe('every entry point', everyEntryPoint);
});

function unknownKeys(): void {
  it.each([
    ['a misspelt key', { timeot: 100 }, ['options', 'timeot'], 'did you mean `options.timeout`?'],
    [
      'a misspelt key under retry',
      { retry: { retris: 0 } },
      ['options', 'retry', 'retris'],
      'did you mean `options.retry.retries`?',
    ],
    [
      'a retry key at the top',
      { retries: 0 },
      ['options', 'retries'],
      'did you mean `options.retry.retries`?',
    ],
    [
      'a key close to none',
      { frobnicate: 1 },
      ['options', 'frobnicate'],
      'the options of `options` are reqid, timeout, deadline, signal, validateResponse, retry',
    ],
    [
      'a secret under an unknown key',
      { password: SECRET },
      ['options', 'password'],
      'the options of `options` are reqid, timeout, deadline, signal, validateResponse, retry',
    ],
  ])('refuses %s before sending', async (_name, options, path, hint) => {
    const error = await refused(options);
    expect(error.requestType).toBe('session-exists');
    expect(error.issues).toEqual([{ path, message: `unknown option; ${hint}` }]);
    expect(error.message).toContain(`  - ${path.join('.')}: unknown option; ${hint}`);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses retry that is not an object or false, and options that are not an object', async () => {
    expect((await refused({ retry: 3 })).issues[0]?.path).toEqual(['options', 'retry']);
    const notObject = await refused('my-reqid');
    expect(notObject.issues).toEqual([
      {
        path: ['options'],
        message:
          'must be an object; the options are reqid, timeout, deadline, signal, validateResponse, retry',
      },
    ]);
  });

  it('lists every unknown key of one call', async () => {
    const error = await refused({ timeot: 1, retry: { backof: 1 } });
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual([
      'options.timeot',
      'options.retry.backof',
    ]);
  });
}

function everyEntryPoint(): void {
  it('refuses the same in request(), requestSync() and the sync methods, and sends nothing', () => {
    const before = server.hits;
    expect(() => client.sync.sessionExists(body, { timeot: 1 } as never)).toThrow(
      RequestValidationError,
    );
    expect(() => client.requestSync('session-exists', body, { timeot: 1 } as never)).toThrow(
      'options.timeot: unknown option; did you mean `options.timeout`?',
    );
    expect(server.hits).toBe(before);
    return expect(client.request('session-exists', body, { timeot: 1 } as never)).rejects.toThrow(
      RequestValidationError,
    );
  });

  it('still takes a request id in place of the options, and known keys set to undefined', async () => {
    const before = server.received.length;
    const [ok] = await client.request('session-exists', body, 7);
    expect(ok).toBe(false); // no such session: the server answered
    expect(server.received.at(-1)?.reqid).toBe(7);
    await client.sessionExists(body, {
      reqid: 'r-1',
      timeout: undefined,
      deadline: undefined,
      signal: undefined,
      validateResponse: undefined,
      retry: undefined,
    });
    expect(server.received.at(-1)?.reqid).toBe('r-1');
    await client.sessionExists(body, null as never);
    expect(server.received.length).toBe(before + 3);
  });

  it('health(): refuses an unknown key the same way', async () => {
    const error: unknown = await client.health({ timout: 100 } as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(RequestValidationError.is(error)).toBe(true);
    expect((error as RequestValidationError).issues).toEqual([
      { path: ['options', 'timout'], message: 'unknown option; did you mean `options.timeout`?' },
    ]);
  });
}

describe('instrumentAuthnzerver’s options', () => {
  it('refuses a misspelt key, and takes the known ones', () => {
    const error = configError(() => instrumentAuthnzerver({ reqidFromTrac: true } as never));
    expect(error.option).toBe('reqidFromTrac');
    expect(error.message).toBe(
      'instrumentAuthnzerver: unknown option `reqidFromTrac`; did you mean `reqidFromTrace`?',
    );
    instrumentAuthnzerver({ reqidFromTrace: false, filter: undefined }).disable();
  });
});
