/**
 * The options of `createWebAuth`, as an app writes them: the cookie, session lifetimes, CSRF, the client IP's
 * proxies, API keys, email verification, the mailer, the cache and the logger. `settings.ts` turns them into the
 * frozen settings the core runs on; `option-keys.ts` refuses keys that are not here.
 */
import type { Authnzerver } from '../../generated/client.js';
import type { AuthStore } from './store.js';
import type { AuthRequest } from './types.js';

/**
 * Which proxies may tell the client's address in `X-Forwarded-For`. `false` (the default): none, the socket's
 * peer is the client and the header is ignored. A number: that many proxies in front of the app (the address
 * that many hops back from the socket is the client's). A list: the addresses or CIDR ranges of the proxies
 * (`'10.0.0.0/8'`, `'::1'`, `'loopback'`, `'private'`); the client is the first address, walking back from the
 * socket, that is not one of them.
 */
export type TrustProxy = false | number | readonly string[];

/** The session cookie. */
export interface CookieOptions {
  /** The cookie's name; `__Host-` is put in front of it when the cookie is `Secure`. Default `azsession`. */
  readonly name?: string | undefined;
  /**
   * `true`: always `Secure` with the `__Host-` prefix; `false`: never (plain-HTTP development only); `'auto'`
   * (the default): when the app's origin (`WebAuthOptions.origin`, or else the request's URL) is https.
   */
  readonly secure?: boolean | 'auto' | undefined;
  /** `lax` (the default): sent on top-level navigations from other sites, never on their POSTs. */
  readonly sameSite?: 'lax' | 'strict' | undefined;
  /**
   * A secret for HMAC-SHA256 signing of the cookie value (at least 32 bytes of entropy; a string is used as its
   * UTF-8 bytes). With it, a cookie whose signature does not match is refused without a call to the server.
   * Give a list to rotate: the first signs, all verify.
   */
  readonly signingSecret?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
}

/** A remembered session: `login(email, password, { remember: true })`. */
export interface RememberMeOptions {
  /** The absolute lifetime of a remembered session, and of its persistent cookie. Default 30 days. */
  readonly seconds?: number | undefined;
  /** The idle timeout of a remembered session; `false`: none. Default 7 days. */
  readonly idleSeconds?: number | false | undefined;
}

/** Token rotation: a session past a fraction of its lifetime gets a new token, with the same expiry. */
export interface RotationOptions {
  /** The fraction of the session's lifetime after which its token is replaced, between 0 and 1. Default 0.5. */
  readonly after?: number | undefined;
  /** How long the replaced token still works, for requests already in flight. Default 30 seconds. */
  readonly graceSeconds?: number | undefined;
}

/**
 * The lifetime policy of the sessions the core creates (docs/web.md, "Session lifetime"): an absolute lifetime
 * set when a session is made (nothing extends it), an idle timeout, remember-me, optional token rotation, and the
 * size limit of `setData`.
 */
export interface SessionLifetimes {
  /** Anonymous sessions (first visit, before a log-in form). Default 1 day. */
  readonly anonymousSeconds?: number | undefined;
  /**
   * The absolute lifetime of a logged-in user's session without remember-me; its cookie is a browser-session
   * cookie (no `Expires`). Default 12 hours.
   */
  readonly userSeconds?: number | undefined;
  /**
   * The idle timeout of a session without remember-me: a session not seen for longer is refused and deleted.
   * `false`: none. Default 30 minutes.
   */
  readonly idleSeconds?: number | false | undefined;
  /**
   * "Last seen" is written to the session (`az_seen`) at most this often, never on every request. Must be
   * shorter than the idle timeouts. Default 60 seconds.
   */
  readonly touchSeconds?: number | undefined;
  /** Remembered sessions; `false`: `remember: true` gives an ordinary session. */
  readonly rememberMe?: false | RememberMeOptions | undefined;
  /** Token rotation; `{}` turns it on with its defaults. Default `false` (off). */
  readonly rotation?: false | RotationOptions | undefined;
  /** The largest `context.data` may grow, as UTF-8 JSON bytes. Default 4096. */
  readonly maxDataBytes?: number | undefined;
}

/** CSRF protection: unsafe methods with a session cookie must come from the app's own origin. */
export interface CsrfOptions {
  /** Other origins allowed to post (e.g. a second front end), exact `scheme://host[:port]`. */
  readonly trustedOrigins?: readonly string[] | undefined;
  /**
   * Allow an unsafe cookie request that has neither `Origin` nor `Referer` (some privacy tools strip both).
   * Default `false`: refused, since no browser omits `Origin` on a cross-origin POST today, but proxies may.
   */
  readonly allowMissingOrigin?: boolean | undefined;
  /** Turn the check off (only for an app that does its own). Default `true` (on). */
  readonly enabled?: boolean | undefined;
}

/** Bearer API keys: authnzerver's key claims, sealed with Fernet under the app's own key. */
export interface ApiKeyOptions {
  /** The Fernet key (44 characters of url-safe base64) that seals issued keys. Keep it apart from the others. */
  readonly secret: string;
  /** The `iss` claim put in issued keys and required on presented ones. Default `authnzerver`. */
  readonly issuer?: string | undefined;
  /** The `aud` claim put in issued keys and required on presented ones. Default: the app's origin. */
  readonly audience?: string | undefined;
  /**
   * The `sub` claim of issued keys when the caller gives none: a path prefix the key may be used on. Default
   * `/api/`. A presented key is refused on a path outside its subject: 403 with `error="insufficient_scope"`.
   */
  readonly subject?: string | undefined;
  /** Custom subject check in place of the path-prefix rule. */
  readonly checkSubject?: ((subject: string, request: AuthRequest) => boolean) | undefined;
  /** Days until issued keys expire. Default 30. */
  readonly expiresDays?: number | undefined;
  /**
   * Bind new keys to the IP address of the session that issues them (the key's `ipa` claim), as authnzerver's own
   * front end did: a bound key presented from another address is refused (401, `error="invalid_token"`). Default
   * `true`. `issueApiKey({ bindToIp })` decides for one key. The binding is sealed in the key, so it holds for
   * the key's life whatever this option says later.
   *
   * The risk of `false`: a key that leaks (a log, a repository, a shared script) works from anywhere until it
   * expires or is revoked. Keep it on unless the key's users move between addresses (mobile networks, CI
   * runners), and then keep their lifetime short.
   */
  readonly bindToIp?: boolean | undefined;
  /**
   * The `realm` of the `WWW-Authenticate: Bearer` challenge on API-key refusals (RFC 6750 §3). Default: none.
   */
  readonly realm?: string | undefined;
}

/** Email verification tokens: Fernet under their own key, binding the email, with a lifetime. */
export interface EmailVerificationOptions {
  /** The Fernet key that seals verification tokens. Keep it apart from the others. */
  readonly secret: string;
  /** How long a token is valid. Default 7200 (2 hours). */
  readonly ttlSeconds?: number | undefined;
  /** The link put in the email, from the token. Default `<origin>/verify-email?token=<token>`. */
  readonly url?: ((token: string, origin: string) => string) | undefined;
  /** The email's subject line. Default `Verify your email address`. */
  readonly subject?: string | undefined;
  /** The app's name for the email's text. Default `authnzerver`. */
  readonly appName?: string | undefined;
  /**
   * Sign-up with an email address that already has an account answers exactly as a new sign-up does (the same
   * status, page and messages), so the form never tells whether an address is registered. With this option on
   * (the default), the address's owner gets an email saying so, with the log-in link, instead of a
   * verification link: the real owner learns someone (likely they) tried, and nobody else learns anything.
   * `false` sends nothing then. A pending account whose verification may be sent again (the server's
   * `verify_retry_wait`) gets a new verification link either way.
   */
  readonly notifyExisting?: boolean | undefined;
  /** The log-in page's link in the "you already have an account" email. Default `<origin>/login`. */
  readonly loginUrl?: ((origin: string) => string) | undefined;
}

/**
 * Password reset links (`requestPasswordReset`, `resetPassword`): Fernet tokens under their own key, bound to the
 * address and to a password epoch kept in the user's record, so a link works once.
 */
export interface PasswordResetOptions {
  /**
   * The Fernet key that seals reset tokens. It must differ from `emailVerification.secret` and `apiKeys.secret`,
   * so a token of one flow never opens in another.
   */
  readonly secret: string;
  /** How long a reset link is valid. Default 1800 (30 minutes): a mailbox read later by someone else finds it dead. */
  readonly ttlSeconds?: number | undefined;
  /** The link put in the email, from the token. Default `<origin>/reset-password?token=<token>`. */
  readonly url?: ((token: string, origin: string) => string) | undefined;
  /** The email's subject line. Default `Reset your password`. */
  readonly subject?: string | undefined;
  /** The app's name for the email's text. Default: `emailVerification.appName`, else `authnzerver`. */
  readonly appName?: string | undefined;
}

/** One email. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The link the email carries (verification, or log-in), for tests and the console. */
  readonly link?: string | undefined;
  /**
   * What the email is for: `verify-email` (a verification link), `account-exists` (a sign-up with an address
   * that has an account), `password-reset` (a reset link) or `change-email` (a link that confirms a new
   * address). Default, for your own messages: none.
   */
  readonly purpose?:
    'verify-email' | 'account-exists' | 'password-reset' | 'change-email' | undefined;
}

/** Sends email: `memoryMailer()` for tests, `consoleMailer()` for development, or your own. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The optional session cache (off by default). */
export interface SessionCacheOptions {
  /**
   * How long a `session-exists` answer is kept, in milliseconds. Default 5000. This is the staleness bound: a
   * session deleted by another process (or expired on the server, or its user locked) may still be accepted
   * here for at most this long. Log-in and log-out through this process clear the entry at once.
   */
  readonly ttlMs?: number | undefined;
  /** At most this many entries (oldest dropped first). Default 10000. */
  readonly maxEntries?: number | undefined;
}

/** One count of the failed-log-in throttle: how many failures a window allows. */
export interface LoginWindowOptions {
  /**
   * Failed attempts allowed in one window; the next attempt is refused (429, with Retry-After) until the window
   * ends, without a call to the auth server. A whole number ≥ 1.
   * @default 10
   */
  readonly maxFailures?: number | undefined;
  /**
   * The window, in seconds. It starts with the first attempt after the last window ended, and nothing extends it.
   * @default 3600 for `perEmail`, 60 for `perIp`
   */
  readonly windowSeconds?: number | undefined;
}

/**
 * The failed-log-in throttle (docs/web.md, "The failed-log-in throttle"): failed password checks (`login`,
 * `confirmPassword`, `changePassword`) counted in the `store`, per email address and per client address, in front
 * of the auth server's own back-off, which each server process keeps alone. Unknown addresses are counted and
 * refused exactly as known ones are.
 */
export interface LoginThrottleOptions {
  /**
   * The count per email address (trimmed, lower case), whatever client tries it: many addresses guessing one
   * account's password. A successful log-in resets it. `false` turns it off.
   * @default { maxFailures: 10, windowSeconds: 3600 } (the server's `userlocktries` and `userlocktime`)
   */
  readonly perEmail?: false | LoginWindowOptions | undefined;
  /**
   * The count per client address (`trustProxy` decides which; an IPv6 address counts by its /64), whatever
   * email it tries: one client trying many accounts. A success does not reset it; it only takes back its own
   * attempt. `false` turns it off.
   * @default { maxFailures: 10, windowSeconds: 60 } (the server's `user-login` limit per address)
   */
  readonly perIp?: false | LoginWindowOptions | undefined;
  /**
   * A secret (at least 32 bytes; the same on every instance) under which the store keys are HMAC-SHA256 hashes
   * of the addresses. Without it they are SHA-256 hashes: never an address in clear, but someone who reads the
   * store could test a guessed address against them. Changing it starts every count again.
   * @default none (SHA-256)
   */
  readonly secret?: string | Uint8Array | undefined;
}

/** Anything console-like; only ever given redacted text (no token, cookie, key or password). */
export interface WebLogger {
  warn?: ((message: string) => void) | undefined;
  error?: ((message: string) => void) | undefined;
}

/** The options of `createWebAuth`. Only `client` is required. */
export interface WebAuthOptions {
  /** The typed client that talks to authnzerver. */
  readonly client: Authnzerver;
  /**
   * The app's own origin(s), `https://app.example.com`: used for CSRF checks, for the cookie's `Secure` in
   * `'auto'` mode, as default API-key audience and for links in email. Default: the request's own origin.
   * Set it behind a proxy, where the request URL the app sees is not the public one.
   */
  readonly origin?: string | readonly string[] | undefined;
  readonly cookie?: CookieOptions | undefined;
  readonly sessions?: SessionLifetimes | undefined;
  /** Default `false`: `X-Forwarded-For` is ignored. See {@link TrustProxy}. */
  readonly trustProxy?: TrustProxy | undefined;
  readonly csrf?: CsrfOptions | undefined;
  /** Bearer API keys; without it, `Authorization: Bearer` is refused with 401 and keys cannot be issued. */
  readonly apiKeys?: ApiKeyOptions | undefined;
  /** Sign-up email verification; without it, `signup` cannot send a verification link. */
  readonly emailVerification?: EmailVerificationOptions | undefined;
  /** Password reset links; without it, `requestPasswordReset` and `resetPassword` cannot run. */
  readonly passwordReset?: PasswordResetOptions | undefined;
  /** Default: `consoleMailer()`. */
  readonly mailer?: Mailer | undefined;
  /** Default `false` (off). */
  readonly cache?: false | SessionCacheOptions | undefined;
  /**
   * Where the layer keeps state between requests (the request windows of `limitRequests`, the counts of the
   * failed-log-in throttle). Default
   * `memoryStore()`, this process's memory: with several app instances, use a shared one (`redisStore()`), or a
   * limit of N requests becomes N per instance.
   */
  readonly store?: AuthStore | undefined;
  /**
   * The failed-log-in throttle, counted in `store` (so shared by every instance on a shared store). `false`
   * turns it off (the auth server's per-process back-off is then all there is). See {@link LoginThrottleOptions}.
   * @default {} (on: 10 failures per email address an hour, 10 per client address a minute)
   */
  readonly loginThrottle?: false | LoginThrottleOptions | undefined;
  /** Where warnings go (server failures, refused cookies), redacted. Default: none. */
  readonly logger?: WebLogger | undefined;
  /** The clock, in milliseconds. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}
