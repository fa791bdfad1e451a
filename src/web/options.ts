/**
 * The known keys of the web layer's options, for the one check of option keys (`../options.ts`): those of
 * `createWebAuth` and of each option object nested in them, and those of each adapter. Each registry is typed by
 * its interface, so that an option added to an interface (or taken out) without its registry does not compile.
 * A misspelt key is a `ConfigError` naming its full path (`cookie.signingSecert`), with the nearest known key.
 */
import type { RegisterOptions } from 'fastify';
import type { FastifyAuthOptions } from './adapters/fastify.js';
import type { ExpressAuthOptions } from './adapters/express.js';
import type { HonoAuthOptions } from './adapters/hono.js';
import type { ConfigError } from '../errors.js';
import { checkKeys, optionShape, orFalse, type OptionShape } from '../options.js';
import type {
  ApiKeyOptions,
  CookieOptions,
  CsrfOptions,
  EmailVerificationOptions,
  SessionCacheOptions,
  SessionLifetimes,
  WebAuthOptions,
} from './types.js';

const COOKIE = optionShape<CookieOptions>({
  name: true,
  secure: true,
  sameSite: true,
  signingSecret: true,
});

const SESSIONS = optionShape<SessionLifetimes>({ anonymousSeconds: true, userSeconds: true });

const CSRF = optionShape<CsrfOptions>({
  trustedOrigins: true,
  allowMissingOrigin: true,
  enabled: true,
});

const API_KEYS = optionShape<ApiKeyOptions>({
  secret: true,
  issuer: true,
  audience: true,
  subject: true,
  checkSubject: true,
  expiresDays: true,
  bindToIp: true,
  realm: true,
});

const EMAIL_VERIFICATION = optionShape<EmailVerificationOptions>({
  secret: true,
  ttlSeconds: true,
  url: true,
  subject: true,
  appName: true,
  notifyExisting: true,
  loginUrl: true,
});

const CACHE = optionShape<SessionCacheOptions>({ ttlMs: true, maxEntries: true });

/** `createWebAuth`'s options. `mailer` and `logger` are objects of the app's (any console-like logger), not checked. */
const WEB_AUTH: OptionShape = optionShape<WebAuthOptions>(
  {
    client: true,
    origin: true,
    cookie: true,
    sessions: true,
    trustProxy: true,
    csrf: true,
    apiKeys: true,
    emailVerification: true,
    mailer: true,
    cache: true,
    logger: true,
    now: true,
  },
  {
    cookie: COOKIE,
    sessions: SESSIONS,
    csrf: CSRF,
    apiKeys: API_KEYS,
    emailVerification: EMAIL_VERIFICATION,
    cache: orFalse(CACHE),
  },
);

const EXPRESS: OptionShape = optionShape<ExpressAuthOptions>({
  anonymous: true,
  onFailure: true,
  json: true,
});

/**
 * The plugin's own options, and those Fastify takes from every plugin's options object (`RegisterOptions`:
 * `prefix`, `logLevel`, `logSerializers`), which reach the plugin too.
 */
const FASTIFY: OptionShape = optionShape<FastifyAuthOptions & RegisterOptions>({
  auth: true,
  anonymous: true,
  onFailure: true,
  json: true,
  prefix: true,
  logLevel: true,
  logSerializers: true,
});

const HONO: OptionShape = optionShape<HonoAuthOptions>({
  anonymous: true,
  onFailure: true,
  json: true,
  remoteAddress: true,
});

/**
 * Refuses `createWebAuth` options with a key it does not know, in them or in an option object nested in them.
 * @throws {ConfigError} e.g. `createWebAuth: unknown option \`orgin\`; did you mean \`origin\`?`
 */
export function checkWebAuthKeys(options: unknown): void {
  checkKeys(options, WEB_AUTH, 'createWebAuth');
}

/** Refuses options of the Express middleware (`authnzerver(auth, options)`) with a key it does not know. */
export function checkExpressKeys(options: unknown): void {
  checkKeys(options, EXPRESS, 'authnzerver/express');
}

/**
 * The error for options of the Fastify plugin with a key neither it nor Fastify knows, or undefined. Returned, not
 * thrown: the plugin rejects with it, since Fastify (avvio) does not catch what a plugin throws synchronously.
 */
export function fastifyKeysError(options: unknown): ConfigError | undefined {
  try {
    checkKeys(options, FASTIFY, 'authnzerverPlugin');
    return undefined;
  } catch (error) {
    return error as ConfigError;
  }
}

/** Refuses options of the Hono middleware (`authnzerver(auth, options)`) with a key it does not know. */
export function checkHonoKeys(options: unknown): void {
  checkKeys(options, HONO, 'authnzerver/hono');
}
