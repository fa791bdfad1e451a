/**
 * The known keys of `createWebAuth`'s options, for the one check of option keys (`../options.ts`): its own and
 * those of each option object nested in them (each adapter keeps its own beside its options). Each registry is typed by
 * its interface, so that an option added to an interface (or taken out) without its registry does not compile.
 * A misspelt key is a `ConfigError` naming its full path (`cookie.signingSecert`), with the nearest known key.
 */
import { ConfigError } from '../core/errors.js';
import { checkKeys, optionShape, orFalse, type OptionShape } from '../core/options.js';
import type {
  ApiKeyOptions,
  CookieOptions,
  CsrfOptions,
  EmailVerificationOptions,
  LoginThrottleOptions,
  LoginWindowOptions,
  RememberMeOptions,
  RotationOptions,
  PasswordResetOptions,
  SessionCacheOptions,
  SessionLifetimes,
  WebAuthOptions,
} from './options.js';

const COOKIE = optionShape<CookieOptions>({
  name: true,
  secure: true,
  sameSite: true,
  signingSecret: true,
});

const REMEMBER_ME = optionShape<RememberMeOptions>({ seconds: true, idleSeconds: true });

const ROTATION = optionShape<RotationOptions>({ after: true, graceSeconds: true });

const SESSIONS = optionShape<SessionLifetimes>(
  {
    anonymousSeconds: true,
    userSeconds: true,
    idleSeconds: true,
    touchSeconds: true,
    rememberMe: true,
    rotation: true,
    maxDataBytes: true,
  },
  { rememberMe: orFalse(REMEMBER_ME), rotation: orFalse(ROTATION) },
);

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

const PASSWORD_RESET = optionShape<PasswordResetOptions>({
  secret: true,
  ttlSeconds: true,
  url: true,
  subject: true,
  appName: true,
});

const CACHE = optionShape<SessionCacheOptions>({ ttlMs: true, maxEntries: true });

const LOGIN_WINDOW = optionShape<LoginWindowOptions>({ maxFailures: true, windowSeconds: true });

const LOGIN_THROTTLE = optionShape<LoginThrottleOptions>(
  { perEmail: true, perIp: true, secret: true },
  { perEmail: orFalse(LOGIN_WINDOW), perIp: orFalse(LOGIN_WINDOW) },
);

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
    passwordReset: true,
    mailer: true,
    cache: true,
    store: true,
    loginThrottle: true,
    logger: true,
    now: true,
  },
  {
    cookie: COOKIE,
    sessions: SESSIONS,
    csrf: CSRF,
    apiKeys: API_KEYS,
    emailVerification: EMAIL_VERIFICATION,
    passwordReset: PASSWORD_RESET,
    cache: orFalse(CACHE),
    loginThrottle: orFalse(LOGIN_THROTTLE),
  },
);

/**
 * Refuses `createWebAuth` options with a key it does not know, in them or in an option object nested in them.
 * @throws {ConfigError} e.g. `createWebAuth: unknown option \`orgin\`; did you mean \`origin\`?`
 */
export function checkWebAuthKeys(options: unknown): void {
  checkKeys(options, WEB_AUTH, 'createWebAuth');
}

/** A `ConfigError` for the option at `option` (a dotted path), saying what is wrong with it (never its value). */
export function optionError(option: string, why: string): ConfigError {
  return new ConfigError(`${option}: ${why}`, { option });
}
