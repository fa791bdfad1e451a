import { describe, expect, it } from 'vitest';
import {
  Authnzerver,
  ConfigError,
  RequestValidationError,
  generateFernetKey,
  type Transport,
  type TransportOutcome,
} from '../../src/index.js';
import { READ_BODY, WRITE_BODY } from '../helpers/catalogue-handler.js';

/**
 * Bad input from JavaScript callers (who have no types to stop them): each case is a clear error that names the
 * field, thrown before anything is sent. The transport here only counts what reaches it; it has no network.
 */

class CountingTransport implements Transport {
  readonly name = 'counting';
  sent = 0;
  send(): Promise<TransportOutcome> {
    this.sent++;
    return Promise.resolve({ ok: true, response: { status: 500, headers: {}, body: '' } });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function client(options: { maxRequestBytes?: number } = {}): {
  client: Authnzerver;
  transport: CountingTransport;
} {
  const transport = new CountingTransport();
  return {
    client: new Authnzerver({
      url: 'http://authnzerver.test/',
      secret: generateFernetKey(),
      transport,
      ...options,
    }),
    transport,
  };
}

const cyclic: Record<string, unknown> = { client_ipaddr: '203.0.113.9' };
cyclic.self = cyclic;

/** [case, request type, body, reqid or options, the path the error names, a word of its message]. */
type Case = readonly [string, unknown, unknown, unknown, readonly (string | number)[], RegExp];

const CASES: readonly Case[] = [
  ['a number as the request type', 123, READ_BODY, undefined, ['type'], /non-empty string/],
  ['an empty request type', '', READ_BODY, undefined, ['type'], /non-empty string/],
  ['null as the request type', null, READ_BODY, undefined, ['type'], /non-empty string/],
  [
    'a negative timeout',
    'session-exists',
    READ_BODY,
    { timeout: -5 },
    ['options', 'timeout'],
    /positive/,
  ],
  [
    'a NaN timeout',
    'session-exists',
    READ_BODY,
    { timeout: Number.NaN },
    ['options', 'timeout'],
    /finite/,
  ],
  [
    'an infinite timeout',
    'session-exists',
    READ_BODY,
    { timeout: Infinity },
    ['options', 'timeout'],
    /finite/,
  ],
  [
    'a zero timeout',
    'session-exists',
    READ_BODY,
    { timeout: 0 },
    ['options', 'timeout'],
    /positive/,
  ],
  [
    'a string timeout',
    'session-exists',
    READ_BODY,
    { timeout: '500' },
    ['options', 'timeout'],
    /number/,
  ],
  [
    'an invalid Date deadline',
    'session-exists',
    READ_BODY,
    { deadline: new Date('nope') },
    ['options', 'deadline'],
    /valid Date/,
  ],
  [
    'a NaN deadline',
    'session-exists',
    READ_BODY,
    { deadline: Number.NaN },
    ['options', 'deadline'],
    /finite/,
  ],
  [
    'negative retries',
    'session-exists',
    READ_BODY,
    { retry: { retries: -1 } },
    ['options', 'retry', 'retries'],
    /non-negative integer/,
  ],
  [
    'a NaN backoff',
    'session-exists',
    READ_BODY,
    { retry: { backoff: Number.NaN } },
    ['options', 'retry', 'backoff'],
    /non-negative/,
  ],
  [
    'a non-boolean validateResponse',
    'session-exists',
    READ_BODY,
    { validateResponse: 'yes' },
    ['options', 'validateResponse'],
    /boolean/,
  ],
  [
    'a signal that is not one',
    'session-exists',
    READ_BODY,
    { signal: 'stop' },
    ['options', 'signal'],
    /AbortSignal/,
  ],
  ['a null body', 'session-exists', null, undefined, [], /must be an object/],
  ['an array body', 'session-exists', [], undefined, [], /must be an object/],
  ['a circular body', 'custom-type', cyclic, undefined, [], /JSON/],
  [
    'a BigInt in the body',
    'custom-type',
    { client_ipaddr: '203.0.113.9', n: 10n },
    undefined,
    [],
    /JSON/,
  ],
  [
    'a __proto__ key',
    'session-exists',
    JSON.parse('{"__proto__": {"x": 1}, "session_token": "t", "client_ipaddr": "203.0.113.9"}'),
    undefined,
    [],
    /__proto__/,
  ],
  ['an unknown key', 'session-exists', { ...READ_BODY, extra: 1 }, undefined, [], /extra/],
  [
    'NaN for a number',
    'session-new',
    { ...WRITE_BODY, user_id: Number.NaN },
    undefined,
    ['user_id'],
    /number/,
  ],
  [
    'an invalid Date for a datetime',
    'session-new',
    { ...WRITE_BODY, expires: new Date(Number.NaN) },
    undefined,
    ['expires'],
    /invalid Date/,
  ],
  [
    'a Date the server cannot hold (year 10000)',
    'session-new',
    { ...WRITE_BODY, expires: new Date(Date.UTC(10_000, 0, 1)) },
    undefined,
    ['expires'],
    /years 1 to 9999/,
  ],
  [
    'a number for a datetime',
    'session-new',
    { ...WRITE_BODY, expires: Date.UTC(2099, 0, 1) },
    undefined,
    ['expires'],
    /expected a Date or a string/,
  ],
  ['no client_ipaddr', 'session-exists', { session_token: 't' }, undefined, ['client_ipaddr'], /./],
  ['an object reqid', 'session-exists', READ_BODY, { reqid: { id: 1 } }, ['reqid'], /request id/],
  ['a float reqid', 'session-exists', READ_BODY, 1.5, ['reqid'], /request id/],
  ['an empty string reqid', 'session-exists', READ_BODY, '', ['reqid'], /request id/],
];

describe('bad input from JavaScript callers', () => {
  it.each(CASES)('%s: a RequestValidationError naming the field, nothing sent', async (...args) => {
    const [, type, body, extra, path, message] = args;
    const { client: c, transport } = client();
    const error: unknown = await c
      .request(type as never, body as never, extra as never)
      .catch((e: unknown) => e);
    expect(RequestValidationError.is(error), String(error)).toBe(true);
    const issues = (error as RequestValidationError).issues;
    if (path.length > 0) expect(issues.map((i) => i.path)).toContainEqual(path);
    expect((error as Error).message).toMatch(message);
    // The sync API refuses the same input the same way, on the calling thread.
    expect(() => c.requestSync(type as never, body as never, extra as never)).toThrow(
      RequestValidationError,
    );
    expect(transport.sent).toBe(0);
    await c.close();
  });

  it('a request over maxRequestBytes names its largest field, and is not sent', async () => {
    const { client: c, transport } = client();
    const password = 'x'.repeat(10 * 1024 * 1024);
    const error: unknown = await c
      .userLogin({
        session_token: 't',
        email: 'a@example.com',
        password,
        client_ipaddr: '203.0.113.9',
      })
      .catch((e: unknown) => e);
    expect(RequestValidationError.is(error)).toBe(true);
    expect((error as RequestValidationError).issues[0]?.path).toEqual(['password']);
    expect((error as Error).message).toMatch(/maxRequestBytes \(1048576\)/);
    // The value itself never appears in the error.
    expect((error as Error).message).not.toMatch(/xxxx/);
    expect(transport.sent).toBe(0);
    await c.close();
  });

  it('maxRequestBytes is configurable, and counts UTF-8 bytes', async () => {
    const { client: c, transport } = client({ maxRequestBytes: 200 });
    const body = { ...READ_BODY, session_token: 'é'.repeat(60) };
    const error: unknown = await c.sessionExists(body).catch((e: unknown) => e);
    expect((error as RequestValidationError).issues[0]?.path).toEqual(['session_token']);
    await c.sessionExists({ ...READ_BODY, session_token: 'e' }).catch(() => undefined);
    expect(transport.sent).toBe(1);
    await c.close();
  });

  it.each([
    ['maxRequestBytes', { maxRequestBytes: -1 }],
    ['maxResponseBytes', { maxResponseBytes: Number.NaN }],
    ['timeouts.request', { timeouts: { request: Infinity } }],
    ['timeouts.login', { timeouts: { login: -5 } }],
    ['validateResponses', { validateResponses: 'no' }],
  ])('a bad %s is a ConfigError naming it', (option, options) => {
    const make = (): Authnzerver =>
      new Authnzerver({
        url: 'http://authnzerver.test/',
        secret: generateFernetKey(),
        ...(options as object),
      });
    expect(make).toThrow(ConfigError);
    try {
      make();
    } catch (error) {
      expect((error as ConfigError).option).toBe(option);
    }
  });
});
