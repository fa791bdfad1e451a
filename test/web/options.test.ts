import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { Authnzerver } from '../../src/index.js';
import { ConfigError, generateFernetKey } from '../../src/runtime.js';
import { authnzerver as expressAuth } from '../../src/web/adapters/express.js';
import { authnzerverPlugin } from '../../src/web/adapters/fastify.js';
import { authnzerver as honoAuth } from '../../src/web/adapters/hono.js';
import { createWebAuth, type WebAuthOptions } from '../../src/web/index.js';

/**
 * Unknown option keys of the web layer (issue 20): a misspelt key of `createWebAuth`'s options, of an option
 * object nested in them, or of an adapter's options, is a `ConfigError` naming its full path and the nearest
 * known key; `orgin` no longer silently changes which origins CSRF accepts. No value given under a misspelt key
 * (a secret) reaches the message.
 */

const client = new Authnzerver({ url: 'http://127.0.0.1:13431/', secret: generateFernetKey() });
const SECRET = generateFernetKey();
const KEY = generateFernetKey();

afterAll(() => client.close());

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

describe('createWebAuth’s options', () => {
  it.each([
    [
      'a misspelt top-level key',
      { orgin: 'https://app.example' },
      'orgin',
      'did you mean `origin`?',
    ],
    [
      'a misspelt cookie key, with a secret under it',
      { cookie: { signingSecert: SECRET } },
      'cookie.signingSecert',
      'did you mean `cookie.signingSecret`?',
    ],
    [
      'a misspelt sessions key',
      { sessions: { userSecond: 60 } },
      'sessions.userSecond',
      'did you mean `sessions.userSeconds`?',
    ],
    [
      'a misspelt csrf key',
      { csrf: { trustedOrigin: ['https://other.example'] } },
      'csrf.trustedOrigin',
      'did you mean `csrf.trustedOrigins`?',
    ],
    [
      'a csrf key at the top',
      { trustedOrigins: ['https://other.example'] },
      'trustedOrigins',
      'did you mean `csrf.trustedOrigins`?',
    ],
    [
      'a misspelt apiKeys key',
      { apiKeys: { secret: KEY, expireDays: 3 } },
      'apiKeys.expireDays',
      'did you mean `apiKeys.expiresDays`?',
    ],
    [
      'a misspelt emailVerification key',
      { emailVerification: { secret: KEY, ttlSecond: 60 } },
      'emailVerification.ttlSecond',
      'did you mean `emailVerification.ttlSeconds`?',
    ],
    ['a misspelt cache key', { cache: { ttl: 100 } }, 'cache.ttl', 'did you mean `cache.ttlMs`?'],
    [
      'a key close to none',
      { cookie: { domain: 'app.example' } },
      'cookie.domain',
      'the options of `cookie` are name, secure, sameSite, signingSecret',
    ],
  ])('refuses %s, naming its full path', (_name, extra, option, hint) => {
    // As a plain JavaScript caller would pass it: no types to catch the key.
    const error = configError(() => createWebAuth({ client, ...extra } as never));
    expect(error.option).toBe(option);
    expect(error.message).toBe(`createWebAuth: unknown option \`${option}\`; ${hint}`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(KEY);
  });

  it('refuses a nested option that is not an object (cache may be false)', () => {
    const error = configError(() => createWebAuth({ client, cookie: 'azsession' } as never));
    expect(error.option).toBe('cookie');
    expect(error.message).toBe(
      'createWebAuth: `cookie` must be an object; the options of `cookie` are name, secure, sameSite, signingSecret',
    );
    expect(() => createWebAuth({ client, cache: false })).not.toThrow();
  });

  it('accepts every known key', () => {
    const options: WebAuthOptions = {
      client,
      origin: 'https://app.example',
      cookie: { name: 'sid', secure: true, sameSite: 'strict', signingSecret: SECRET },
      sessions: { anonymousSeconds: 60, userSeconds: 120 },
      trustProxy: 1,
      csrf: { trustedOrigins: ['https://other.example'], allowMissingOrigin: false, enabled: true },
      apiKeys: {
        secret: KEY,
        issuer: 'me',
        audience: 'https://app.example',
        subject: '/api/',
        checkSubject: () => true,
        expiresDays: 3,
        bindToIp: false,
      },
      emailVerification: {
        secret: generateFernetKey(),
        ttlSeconds: 60,
        url: (token) => token,
        subject: 'Hi',
        appName: 'app',
      },
      mailer: { send: () => Promise.resolve() },
      cache: { ttlMs: 100, maxEntries: 10 },
      logger: console,
      now: Date.now,
    };
    expect(createWebAuth(options).cookieName(true)).toBe('__Host-sid');
  });
});

describe('the adapters’ options', () => {
  const auth = createWebAuth({ client });

  it('Express: refuses a misspelt key, and takes the known ones', () => {
    const error = configError(() => expressAuth(auth, { anonymos: true } as never));
    expect(error.option).toBe('anonymos');
    expect(error.message).toBe(
      'authnzerver/express: unknown option `anonymos`; did you mean `anonymous`?',
    );
    expect(typeof expressAuth(auth, { anonymous: true, onFailure: undefined })).toBe('function');
  });

  it('Hono: refuses a misspelt key, and takes the known ones', () => {
    const error = configError(() => honoAuth(auth, { remoteAdress: () => '::1' } as never));
    expect(error.option).toBe('remoteAdress');
    expect(error.message).toBe(
      'authnzerver/hono: unknown option `remoteAdress`; did you mean `remoteAddress`?',
    );
    expect(typeof honoAuth(auth, { remoteAddress: () => '::1', anonymous: false })).toBe(
      'function',
    );
  });

  it('Fastify: registering fails on a misspelt key; Fastify’s own plugin options pass', async () => {
    const bad = Fastify();
    const error: unknown = await bad
      .register(authnzerverPlugin, { auth, onFailre: () => undefined } as never)
      .ready()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await bad.close();
    expect(ConfigError.is(error), String(error)).toBe(true);
    expect((error as ConfigError).option).toBe('onFailre');
    expect((error as ConfigError).message).toBe(
      'authnzerverPlugin: unknown option `onFailre`; did you mean `onFailure`?',
    );

    const good = Fastify();
    await good.register(authnzerverPlugin, { auth, anonymous: true, logLevel: 'warn' }).ready();
    expect(typeof good.requireUser).toBe('function');
    await good.close();
  });
});
