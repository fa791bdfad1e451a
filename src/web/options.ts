/**
 * The options of `createWebAuth`, as an app writes them: the cookie, session lifetimes, CSRF, the client IP's
 * proxies, API keys, email verification, the mailer, the cache and the logger. `settings.ts` turns them into the
 * frozen settings the core runs on; `option-keys.ts` refuses keys that are not here.
 */
import type { Authnzerver } from '../../generated/client.js';
import type { AuthStore } from './store.js';
import type {
  ApiKeyOptions,
  EmailVerificationOptions,
  Mailer,
  PasswordResetOptions,
} from './flow-options.js';

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
  /**
   * The cookie's name; `__Host-` is put in front of it when the cookie is `Secure`. Default `azsession`.
   * @default 'azsession'
   */
  readonly name?: string | undefined;
  /**
   * `true`: always `Secure` with the `__Host-` prefix; `false`: never (plain-HTTP development only); `'auto'`
   * (the default): when the app's origin (`WebAuthOptions.origin`, or else the request's URL) is https.
   * @default 'auto'
   */
  readonly secure?: boolean | 'auto' | undefined;
  /**
   * `lax` (the default): sent on top-level navigations from other sites, never on their POSTs.
   * @default 'lax'
   */
  readonly sameSite?: 'lax' | 'strict' | undefined;
  /**
   * A secret for HMAC-SHA256 signing of the cookie value (at least 32 bytes of entropy; a string is used as its
   * UTF-8 bytes). With it, a cookie whose signature does not match is refused without a call to the server.
   * Give a list to rotate: the first signs, all verify.
   * @default undefined (unsigned)
   */
  readonly signingSecret?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
}

/** A remembered session: `login(email, password, { remember: true })`. */
export interface RememberMeOptions {
  /**
   * The absolute lifetime of a remembered session, and of its persistent cookie. Default 30 days.
   * @default 2592000 (30 days)
   */
  readonly seconds?: number | undefined;
  /**
   * The idle timeout of a remembered session; `false`: none. Default 7 days.
   * @default 604800 (7 days)
   */
  readonly idleSeconds?: number | false | undefined;
}

/** Token rotation: a session past a fraction of its lifetime gets a new token, with the same expiry. */
export interface RotationOptions {
  /**
   * The fraction of the session's lifetime after which its token is replaced, between 0 and 1. Default 0.5.
   * @default 0.5
   */
  readonly after?: number | undefined;
  /**
   * How long the replaced token still works, for requests already in flight. Default 30 seconds.
   * @default 30
   */
  readonly graceSeconds?: number | undefined;
}

/**
 * The lifetime policy of the sessions the core creates (docs/web.md, "Session lifetime"): an absolute lifetime
 * set when a session is made (nothing extends it), an idle timeout, remember-me, optional token rotation, and the
 * size limit of `setData`.
 */
export interface SessionLifetimes {
  /**
   * Anonymous sessions (first visit, before a log-in form). Default 1 day.
   * @default 86400 (1 day)
   */
  readonly anonymousSeconds?: number | undefined;
  /**
   * The absolute lifetime of a logged-in user's session without remember-me; its cookie is a browser-session
   * cookie (no `Expires`). Default 12 hours.
   * @default 43200 (12 hours)
   */
  readonly userSeconds?: number | undefined;
  /**
   * The idle timeout of a session without remember-me: a session not seen for longer is refused and deleted.
   * `false`: none. Default 30 minutes.
   * @default 1800 (30 minutes)
   */
  readonly idleSeconds?: number | false | undefined;
  /**
   * "Last seen" is written to the session (`az_seen`) at most this often, never on every request. Must be
   * shorter than the idle timeouts. Default 60 seconds.
   * @default 60
   */
  readonly touchSeconds?: number | undefined;
  /**
   * Remembered sessions; `false`: `remember: true` gives an ordinary session.
   * @default {} (30 days, 7 days idle)
   */
  readonly rememberMe?: false | RememberMeOptions | undefined;
  /**
   * Token rotation; `{}` turns it on with its defaults. Default `false` (off).
   * @default false
   */
  readonly rotation?: false | RotationOptions | undefined;
  /**
   * The largest `context.data` may grow, as UTF-8 JSON bytes. Default 4096.
   * @default 4096
   */
  readonly maxDataBytes?: number | undefined;
}

/** CSRF protection: unsafe methods with a session cookie must come from the app's own origin. */
export interface CsrfOptions {
  /**
   * Other origins allowed to post (e.g. a second front end), exact `scheme://host[:port]`.
   * @default []
   */
  readonly trustedOrigins?: readonly string[] | undefined;
  /**
   * Allow an unsafe cookie request that has neither `Origin` nor `Referer` (some privacy tools strip both).
   * Default `false`: refused, since no browser omits `Origin` on a cross-origin POST today, but proxies may.
   * @default false
   */
  readonly allowMissingOrigin?: boolean | undefined;
  /**
   * Turn the check off (only for an app that does its own). Default `true` (on).
   * @default true
   */
  readonly enabled?: boolean | undefined;
}

export type {
  ApiKeyOptions,
  EmailVerificationOptions,
  MailMessage,
  Mailer,
  PasswordResetOptions,
} from './flow-options.js';

/**
 * What happened to the session cache's view of other instances (`SessionCacheOptions.onEvent`): an invalidation
 * arrived (one session, or every session of a user; `dropped` entries went), or the store's channel went down
 * (the cache serves nothing until it is `up` again, and starts empty then).
 */
export type CacheEvent =
  | { readonly type: 'invalidated'; readonly scope: 'session' | 'user'; readonly dropped: number }
  | { readonly type: 'down'; readonly reason: string }
  | { readonly type: 'up' };

/** The optional session cache (off by default). */
export interface SessionCacheOptions {
  /**
   * How long a `session-exists` answer is kept, in milliseconds. Default 5000. Log-in and log-out through this
   * process clear the entry at once. With a store that carries messages (`memoryStore()` within one process,
   * `redisStore()` across processes), a session ended by another instance sharing the store is dropped when its
   * invalidation arrives (docs/web.md, "Many app instances"). Otherwise this is the staleness bound: a session
   * deleted by another process (or expired on the server, or its user locked) may still be accepted here for at
   * most this long.
   * @default 5000
   */
  readonly ttlMs?: number | undefined;
  /**
   * At most this many entries (oldest dropped first). Default 10000.
   * @default 10000
   */
  readonly maxEntries?: number | undefined;
  /**
   * Called on each {@link CacheEvent}, for metrics and tests. It is never given a token.
   * @default undefined (none)
   */
  readonly onEvent?: ((event: CacheEvent) => void) | undefined;
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
   * @default the request's own origin
   */
  readonly origin?: string | readonly string[] | undefined;
  /** @default {} (every field at its default) */
  readonly cookie?: CookieOptions | undefined;
  /** @default {} (every field at its default) */
  readonly sessions?: SessionLifetimes | undefined;
  /**
   * Default `false`: `X-Forwarded-For` is ignored. See {@link TrustProxy}.
   * @default false
   */
  readonly trustProxy?: TrustProxy | undefined;
  /** @default {} (on, the app's origin only) */
  readonly csrf?: CsrfOptions | undefined;
  /**
   * Bearer API keys; without it, `Authorization: Bearer` is refused with 401 and keys cannot be issued.
   * @default undefined (no API keys)
   */
  readonly apiKeys?: ApiKeyOptions | undefined;
  /**
   * Sign-up email verification; without it, `signup` cannot send a verification link.
   * @default undefined (no verification links)
   */
  readonly emailVerification?: EmailVerificationOptions | undefined;
  /**
   * Password reset links; without it, `requestPasswordReset` and `resetPassword` cannot run.
   * @default undefined (no reset links)
   */
  readonly passwordReset?: PasswordResetOptions | undefined;
  /**
   * Default: `consoleMailer()`.
   * @default consoleMailer()
   */
  readonly mailer?: Mailer | undefined;
  /**
   * Default `false` (off).
   * @default false
   */
  readonly cache?: false | SessionCacheOptions | undefined;
  /**
   * Where the layer keeps state between requests (the request windows of `limitRequests`, the counts of the
   * failed-log-in throttle). Default
   * `memoryStore()`, this process's memory: with several app instances, use a shared one (`redisStore()`), or a
   * limit of N requests becomes N per instance.
   * @default memoryStore()
   */
  readonly store?: AuthStore | undefined;
  /**
   * The failed-log-in throttle, counted in `store` (so shared by every instance on a shared store). `false`
   * turns it off (the auth server's per-process back-off is then all there is). See {@link LoginThrottleOptions}.
   * @default {} (on: 10 failures per email address an hour, 10 per client address a minute)
   */
  readonly loginThrottle?: false | LoginThrottleOptions | undefined;
  /**
   * Where warnings go (server failures, refused cookies), redacted. Default: none.
   * @default undefined (nothing is logged)
   */
  readonly logger?: WebLogger | undefined;
  /**
   * The clock, in milliseconds. Default `Date.now`.
   * @default Date.now
   */
  readonly now?: (() => number) | undefined;
}
