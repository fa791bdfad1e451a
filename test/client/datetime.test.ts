import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authnzerver, RequestValidationError } from '../../src/index.js';
import { createTestServer, type AuthnzerverTestServer } from '../../src/testing/index.js';
import { isoformat, strptimeMicros } from '../../src/testing/py.js';

/**
 * `datetime` arguments (session-new's `expires`) over the wire, against the test server: a `Date` goes out in the
 * server's format, a string as it is, and a Date the server cannot take is refused before anything is sent. The
 * formatter itself: test/core/datetime.test.ts.
 */

const IP = '203.0.113.5';
/** The server's format, as the client writes it: always six digits of fraction, no zone. */
const SERVER_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

const body = (expires: string | Date) =>
  ({
    ip_address: IP,
    user_agent: 'datetime-test',
    user_id: null,
    expires,
    extra_info_json: null,
    client_ipaddr: IP,
  }) as const;

describe('a datetime argument over the wire, against the test server', () => {
  let server: AuthnzerverTestServer;
  let client: Authnzerver;

  beforeAll(async () => {
    server = await createTestServer({ rateLimits: false });
    client = new Authnzerver({ url: server.url, secret: server.secret });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('sends a Date as the server parses it: microseconds present even when zero', async () => {
    const given = body(new Date(Date.UTC(2099, 0, 1)));
    const result = await client.sessionNew(given);
    const received = server.received.at(-1)!;
    // The envelope's JSON as the server decrypted it: the exact string it parses.
    expect(JSON.stringify(received.envelope)).toContain('"expires":"2099-01-01T00:00:00.000000"');
    const sent = (received.body as { expires: unknown }).expires as string;
    expect(sent).toBe('2099-01-01T00:00:00.000000');
    expect(sent).toMatch(SERVER_FORMAT);
    // The server's parser rule takes it, and stores the instant the Date was.
    expect(isoformat(strptimeMicros(sent))).toBe('2099-01-01T00:00:00');
    expect(result.success, result.failureReason ?? '').toBe(true);
    if (!result.success) return;
    expect(result.response.expires).toBe('2099-01-01T00:00:00');
    expect(server.authnzerver.listSessions().at(-1)?.expires).toBe('2099-01-01T00:00:00');
    // The caller's body is left as it was.
    expect(given.expires).toBeInstanceOf(Date);
  });

  it('keeps the milliseconds of a Date', async () => {
    const result = await client.sessionNew(body(new Date(Date.UTC(2099, 6, 4, 1, 2, 3, 45))));
    expect((server.received.at(-1)!.body as { expires: string }).expires).toBe(
      '2099-07-04T01:02:03.045000',
    );
    expect(result.success && result.response.expires).toBe('2099-07-04T01:02:03.045000');
  });

  it('sends a string as it is, as before', async () => {
    const result = await client.sessionNew(body('2099-01-01T00:00:00.000001Z'));
    expect((server.received.at(-1)!.body as { expires: string }).expires).toBe(
      '2099-01-01T00:00:00.000001Z',
    );
    expect(result.success && result.response.expires).toBe('2099-01-01T00:00:00.000001');
    // A string without the fraction still goes, and fails on the server as it does on the real one, which words
    // it as a database error (a write: not sent again).
    const bare = await client.sessionNew(body('2099-01-01T00:00:00'));
    expect(bare.failure).toBe('database-error');
    expect(bare.attempts).toBe(1);
    expect(bare.failureReason).toContain('DB error when making new session');
  });

  it('refuses an invalid Date, naming the field, with nothing sent', async () => {
    const before = server.hits;
    const error: unknown = await client
      .sessionNew(body(new Date('not a date')))
      .catch((e: unknown) => e);
    expect(RequestValidationError.is(error)).toBe(true);
    expect((error as RequestValidationError).issues).toEqual([
      {
        path: ['expires'],
        message: 'is an invalid Date (its time is NaN): expected a valid Date or a string',
      },
    ]);
    expect((error as Error).message).toContain('expires: is an invalid Date');
    expect(server.hits).toBe(before);
  });

  it('shows hooks the string that is sent', async () => {
    const seen: unknown[] = [];
    const hooked = new Authnzerver({
      url: server.url,
      secret: server.secret,
      hooks: {
        beforeRequest: (event) =>
          void seen.push((event.envelope.body as { expires: unknown }).expires),
      },
    });
    await hooked.sessionNew(body(new Date(Date.UTC(2099, 0, 1))));
    await hooked.close();
    expect(seen).toEqual(['2099-01-01T00:00:00.000000']);
  });
});
