/**
 * `src/web/settings.ts`: `createWebAuth`'s options read once into frozen settings. Each malformed option is a
 * `ConfigError` that names it (never its value); the defaults are the documented ones.
 */
import { describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { ConfigError } from '../../src/core/errors.js';
import { generateFernetKey } from '../../src/crypto/fernet.js';
import { resolveWebSettings } from '../../src/web/settings.js';

const client = new Authnzerver({ url: 'http://127.0.0.1:9/', secret: generateFernetKey() });
const KEY = generateFernetKey();

function errorOf(options: Record<string, unknown>): ConfigError {
  try {
    resolveWebSettings({ client, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`accepted: ${JSON.stringify(Object.keys(options))}`);
}

/** Bad options: what each is, the option the error names, and its message (or undefined: any message). */
const REFUSED: [Record<string, unknown>, string, string | undefined][] = [
  [{ client: undefined }, 'client', 'client: must be an Authnzerver client (new Authnzerver(...))'],
  [{ client: {} }, 'client', 'client: must be an Authnzerver client (new Authnzerver(...))'],
  [{ origin: [] }, 'origin', 'origin: give at least one origin'],
  [{ origin: 'app.test' }, 'origin', 'origin: must be scheme://host[:port]'],
  [{ origin: 42 }, 'origin', 'origin: must be scheme://host[:port]'],
  [
    { origin: ['https://a.test', 'https://b.test/x'] },
    'origin[1]',
    'origin[1]: must be scheme://host[:port]',
  ],
  [
    { sessions: { anonymousSeconds: 0 } },
    'sessions.anonymousSeconds',
    'sessions.anonymousSeconds: must be a number > 0',
  ],
  [
    { sessions: { userSeconds: Number.NaN } },
    'sessions.userSeconds',
    'sessions.userSeconds: must be a number > 0',
  ],
  [
    { sessions: { userSeconds: '60' } },
    'sessions.userSeconds',
    'sessions.userSeconds: must be a number > 0',
  ],
  [{ csrf: { enabled: 'no' } }, 'csrf.enabled', 'csrf.enabled: must be a boolean'],
  [{ now: 5 }, 'now', 'now: must be a function'],
  [
    { emailVerification: { secret: KEY, ttlSeconds: -1 } },
    'emailVerification.ttlSeconds',
    'emailVerification.ttlSeconds: must be a number > 0',
  ],
  [
    { emailVerification: { secret: KEY, url: 'https://x' } },
    'emailVerification.url',
    'emailVerification.url: must be a function',
  ],
  [
    { emailVerification: { secret: KEY, subject: '' } },
    'emailVerification.subject',
    'emailVerification.subject: must be a string',
  ],
  [
    { emailVerification: { secret: KEY, appName: 3 } },
    'emailVerification.appName',
    'emailVerification.appName: must be a string',
  ],
  [
    { emailVerification: { secret: KEY, notifyExisting: 'yes' } },
    'emailVerification.notifyExisting',
    'emailVerification.notifyExisting: must be a boolean',
  ],
  [
    { emailVerification: { secret: KEY, loginUrl: '/login' } },
    'emailVerification.loginUrl',
    'emailVerification.loginUrl: must be a function',
  ],
  [{ emailVerification: { secret: 'nope' } }, 'emailVerification.secret', undefined],
  [{ apiKeys: { secret: 'nope' } }, 'apiKeys.secret', undefined],
  [{ trustProxy: -1 }, 'trustProxy', undefined],
  [{ cookie: { name: '__x' } }, 'cookie.name', undefined],
  [{ cache: { ttlMs: 0 } }, 'cache.ttlMs', undefined],
];

describe('web settings', () => {
  it('have the documented defaults, and are frozen', () => {
    const s = resolveWebSettings({ client });
    expect(Object.isFrozen(s)).toBe(true);
    expect(s.origins).toBeNull();
    expect(s.csrfEnabled).toBe(true);
    expect(s.trustsProxy).toBe(false);
    expect(s.anonymousSeconds).toBe(86_400);
    expect(s.userSeconds).toBe(12 * 3600);
    expect(s.apiKeys).toBeNull();
    expect(s.email).toBeNull();
    expect(s.cache).toBeNull();
    expect(s.now).toBe(Date.now);
    expect(s.clientIp('::ffff:10.0.0.1', '1.2.3.4')).toBe('10.0.0.1');
    expect(s.cookie.name(true)).toBe('__Host-azsession');
    const email = resolveWebSettings({ client, emailVerification: { secret: KEY } }).email;
    expect(email).toMatchObject({
      ttlSeconds: 7200,
      subject: 'Verify your email address',
      appName: 'authnzerver',
      notifyExisting: true,
    });
    expect(Object.isFrozen(email)).toBe(true);
    expect(email?.url('t+/=', 'https://app.test')).toBe(
      'https://app.test/verify-email?token=t%2B%2F%3D',
    );
    expect(email?.loginUrl('https://app.test')).toBe('https://app.test/login');
  });

  it('read the origins, normalised, and a trusting proxy setting', () => {
    const s = resolveWebSettings({
      client,
      origin: ['https://App.test:443', 'http://localhost:3000'],
      trustProxy: 1,
      cache: { ttlMs: 100 },
      sessions: { anonymousSeconds: 60, userSeconds: 120 },
      csrf: { enabled: false },
    });
    expect(s.origins).toEqual(['https://app.test', 'http://localhost:3000']);
    expect(Object.isFrozen(s.origins)).toBe(true);
    expect(s.trustsProxy).toBe(true);
    expect(s.cache).toEqual({ ttlMs: 100, maxEntries: 10_000, onEvent: null });
    expect([s.anonymousSeconds, s.userSeconds, s.csrfEnabled]).toEqual([60, 120, false]);
    expect(resolveWebSettings({ client, origin: 'https://a.test' }).origins).toEqual([
      'https://a.test',
    ]);
    expect(resolveWebSettings({ client, cache: false }).cache).toBeNull();
    const warnings: string[] = [];
    resolveWebSettings({ client, logger: { warn: (m) => warnings.push(m) } }).warn('hello');
    expect(warnings).toEqual(['authnzerver/web: hello']);
    resolveWebSettings({ client, logger: {} }).warn('nobody listens');
  });

  it.each(REFUSED)('%j is refused as %s', (options, option, message) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    if (message !== undefined) expect(error.message).toBe(message);
    expect(error.message).not.toContain('nope');
  });
});

describe('web settings (2)', () => {
  it('refuses options that are not an object', () => {
    for (const options of [null, 'x', 42]) {
      expect(() => resolveWebSettings(options as never)).toThrow(ConfigError);
    }
  });
});
