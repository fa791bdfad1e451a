/**
 * The public types of `authnzerver/web` (its options are in `options.ts`): the request it reads, the typed session
 * a handler sees, the per-request context with its actions (log-in, sign-up, log-out, API keys, guards) and the
 * failures it answers with (the inputs and values of the actions are in `action-types.ts`). Web-standard only: no Node types, so the core runs on Node, Bun, Deno, Workers and edge
 * runtimes.
 */
import type {
  ApiKeyInfo,
  SignupValue,
  LoginOptions,
  ProfileInput,
  ProfileValue,
  PasswordCheckInput,
  IssueApiKeyInput,
  IssuedApiKey,
  AccessQuery,
} from './action-types.js';

export type {
  ApiKeyInfo,
  SignupValue,
  SignupInput,
  LoginOptions,
  ProfileInput,
  ProfileValue,
  PasswordCheckInput,
  IssueApiKeyInput,
  IssuedApiKey,
  AccessQuery,
} from './action-types.js';

/**
 * What the core reads of a request: a web-standard `Request` fits, and so does any object with a method, the
 * full URL and a `get` for headers (the Express and Fastify adapters pass a light one, to build no `Request`).
 */
export interface AuthRequest {
  readonly method: string;
  /** The full URL as the app sees it, e.g. `https://app.example.com/account?x=1`. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** What an adapter knows that a `Request` does not: the socket's peer address, and where cookies go. */
export interface RequestEnv {
  /**
   * The TCP peer's address (`req.socket.remoteAddress`). Without it (a runtime that does not say), the client
   * IP is `0.0.0.0` unless a trusted proxy names it.
   */
  readonly remoteAddress?: string | undefined;
  /**
   * Called with each `Set-Cookie` value the core wants on the response, at once. Without it, the values collect
   * in {@link AuthContext.setCookies} and {@link AuthContext.apply} adds them to a `Response`.
   */
  readonly setCookie?: ((value: string) => void) | undefined;
}

/** No session: no cookie, or one that was refused or has expired. */
export interface NoSession {
  readonly kind: 'none';
}

/** An anonymous session (authnzerver's user 2). */
export interface AnonymousSession {
  readonly kind: 'anonymous';
  readonly expires: Date;
}

/** A logged-in user's session. */
export interface UserSession {
  readonly kind: 'user';
  readonly userId: number;
  readonly systemId: string;
  readonly email: string;
  readonly fullName: string | null;
  /** superuser, staff, authenticated, ... */
  readonly role: string;
  readonly emailVerified: boolean;
  readonly expires: Date;
}

/** The session of a request, typed by `kind`. */
export type Session = NoSession | AnonymousSession | UserSession;

/** Who is calling: the user of a session or of an API key. */
export interface Principal {
  readonly userId: number;
  readonly role: string;
  readonly via: 'session' | 'apikey';
  /** Known for sessions; null for API keys. */
  readonly email: string | null;
}

/**
 * Why a request or an action was refused, ready to answer: `status` and `retryAfter` for the HTTP reply,
 * `message` (generic) and `messages` (the auth server's, meant for end users) for the page. Never carries a
 * token, cookie, key, password or the server's `failure_reason`.
 */
export interface AuthFailure {
  readonly status: 400 | 401 | 403 | 413 | 429 | 503;
  readonly code: AuthFailureCode;
  /** A short text safe to show. */
  readonly message: string;
  /** The auth server's messages for the end user (may be empty). */
  readonly messages: readonly string[];
  /** Seconds, with status 429. */
  readonly retryAfter?: number | undefined;
  /**
   * The `WWW-Authenticate` value, on refusals of routes that take API keys (RFC 6750): `Bearer` when no key
   * was sent, `Bearer error="invalid_token"` (401) for a key that is not valid, `Bearer error="insufficient_scope"`
   * (403) for a valid key that may not do this.
   */
  readonly challenge?: string | undefined;
}

/**
 * | code | status | when |
 * | --- | --- | --- |
 * | `unavailable` | 503 | the auth server failed: network, timeout, 5xx, wrong secret, bad reply |
 * | `rate-limited` | 429 | the auth server answered 429, or the failed-log-in throttle refused (`loginThrottle`) |
 * | `over-limit` | 429 | the role's limit (`user-check-limit`) refused |
 * | `csrf` | 403 | an unsafe cookie request from another origin |
 * | `unauthenticated` | 401 | a guard needs a user and there is none |
 * | `reauthenticate` | 403 | `requireRecentAuth`: the user has not confirmed the password recently (step-up) |
 * | `forbidden` | 403 | wrong role, or `user-check-access` said no |
 * | `invalid-api-key` | 401 | a Bearer key that is forged, expired, revoked, for another audience, or bound to another IP |
 * | `api-key-scope` | 403 | a valid key used on a path outside its subject |
 * | `rejected` | 400 | the auth server said no to an action (sign-up, access...); see `messages` |
 * | `login-refused` | 401 | wrong email or password, unverified or locked account; see `messages` |
 * | `invalid-token` | 400 | an email verification or password reset token that is forged, expired, used, or for another email |
 * | `invalid-input` | 400 | a form field is missing, not a string, or too long (the message names it) |
 * | `too-large` | 413 | the request's body is over the app's limit (answered by the adapters' body parsers) |
 */
export type AuthFailureCode =
  | 'unavailable'
  | 'rate-limited'
  | 'over-limit'
  | 'csrf'
  | 'unauthenticated'
  | 'reauthenticate'
  | 'forbidden'
  | 'invalid-api-key'
  | 'api-key-scope'
  | 'rejected'
  | 'login-refused'
  | 'invalid-token'
  | 'invalid-input'
  | 'too-large';

/** An action's result. */
export type ActionResult<T> =
  | { readonly ok: true; readonly value: T; readonly messages: readonly string[] }
  | { readonly ok: false; readonly failure: AuthFailure };

/** The per-request context: the session, the caller, and every action. */
export interface AuthContext {
  /** The client's IP as authnzerver sees it (`client_ipaddr`). */
  readonly clientIp: string;
  /** The session from the cookie, after log-in/log-out updated. `none` for API-key requests. */
  readonly session: Session;
  /** The user making the request (by session or API key), or null. */
  readonly user: Principal | null;
  /** The presented API key's claims, or null. */
  readonly apiKey: ApiKeyInfo | null;
  /** The app's origin for this request, e.g. `https://app.example.com`. */
  readonly origin: string;
  /** `Set-Cookie` values collected (only when the adapter gave no `setCookie` sink). */
  readonly setCookies: readonly string[];
  /**
   * Whether the answer depends on who is asking: the request had a session, a session cookie or an API key, or
   * the answer sets a cookie. The adapters then send `Cache-Control: private, no-store` (`applyCachePolicy`).
   */
  readonly personal: boolean;
  /** The request headers every answer varies on: `Cookie`, and `Authorization` when the app takes API keys. */
  readonly varyOn: readonly string[];

  /**
   * Whether a refusal of this request should be answered as JSON: its `Accept` prefers JSON, or (when `Accept`
   * does not decide) it sent JSON or an API key.
   */
  readonly wantsJson: boolean;

  /**
   * Creates an anonymous session (and its cookie) when there is none, for an app that keeps state for visitors
   * before they log in. A log-in form does not need one: `login()` makes the session it needs.
   */
  ensureSession(): Promise<ActionResult<Session>>;
  /**
   * Logs in: `user-login` on the current anonymous session (or on a new one, made for it), then a new user
   * session and cookie. Every earlier token of this browser is dead afterwards (no fixation; logging in as
   * someone else ends the first user's session). A refused log-in leaves no session behind unless the request
   * had an anonymous one, which it then replaces.
   */
  login(
    email: unknown,
    password: unknown,
    options?: LoginOptions,
  ): Promise<ActionResult<UserSession>>;
  /** Deletes the session and clears the cookie. A server failure leaves both (503). */
  logout(): Promise<ActionResult<null>>;
  /**
   * The app's data kept in the session (the keys of its `extra_info_json` that do not start with `az_`), read
   * with the session: empty without a session. Never put secrets here: the auth server stores it in clear.
   */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * Merges `patch` into the session's data (`internal-session-edit`): a key set to `null` is removed, a nested
   * value is replaced whole. Refused with `invalid-input`, and nothing sent, when there is no session, a key
   * starts with `az_` (the SDK's), a value is not JSON, or the data would be over `sessions.maxDataBytes`.
   * Gives the data as it is now.
   */
  setData(patch: unknown): Promise<ActionResult<Readonly<Record<string, unknown>>>>;
  /**
   * `user-new`, then an email: a verification link bound to the address, or, when the address already has an
   * account, a notice to its owner (see `emailVerification.notifyExisting`). Both answer alike.
   */
  signup(input: {
    fullName: unknown;
    email: unknown;
    password: unknown;
  }): Promise<ActionResult<SignupValue>>;
  /**
   * Opens a verification token and marks the email verified (`user-set-emailverified`). Returns the email the
   * token is bound to; with `email`, the token must be bound to that one. A token works once, and only for an
   * account still waiting for verification: for a verified, locked or deleted account the answer is the same
   * `invalid-token` refusal as for a bad link, and nothing changes.
   */
  verifyEmail(token: unknown, email?: string): Promise<ActionResult<{ readonly email: string }>>;
  /** Issues a Bearer API key for the logged-in user (`apikey-new` on the current session). */
  issueApiKey(input?: IssueApiKeyInput): Promise<ActionResult<IssuedApiKey>>;
  /** Revokes one of the logged-in user's keys, by its Bearer value (`apikey-revoke`). */
  revokeApiKey(token: unknown): Promise<ActionResult<null>>;

  /**
   * Null when there is a user (session or API key), else a 401 failure (with a `Bearer` challenge when the app
   * takes API keys).
   */
  requireUser(): AuthFailure | null;
  /**
   * Null when the request came with a valid API key, else 401 with `WWW-Authenticate: Bearer` (a session
   * cookie is not enough).
   */
  requireApiKey(): AuthFailure | null;
  /** Null when the user has one of the roles, else 401 (no user) or 403. */
  requireRole(...roles: readonly string[]): AuthFailure | null;
  /** `user-check-access` for the caller; null when allowed. */
  requireAccess(query: AccessQuery): Promise<AuthFailure | null>;
  /** `user-check-limit` for the caller's role; null when `value` is within the limit `limitName`. */
  checkLimit(limitName: string, value: unknown): Promise<AuthFailure | null>;
  /**
   * The per-role request limit: counts the caller's requests in this process over a window of `windowSeconds`
   * (default 60) and asks `user-check-limit` with `limitName` (default `max_requests_per_minute`).
   */
  limitRequests(limitName?: string, windowSeconds?: number): Promise<AuthFailure | null>;

  /**
   * Asks for a password reset link. The answer is at once and the same for every well-formed address
   * (registered, unknown, locked or unverified): the look-up and the email run after it, and only an active
   * account gets one. The link's token is Fernet under `passwordReset.secret`, bound to the address, the user
   * and the password epoch, valid for `passwordReset.ttlSeconds`.
   */
  requestPasswordReset(email: unknown): Promise<ActionResult<{ readonly email: string }>>;
  /**
   * Sets a new password with a reset link's token, once (the password epoch moves on), for an active account
   * only (a lock stays, an unverified address stays unverified), then ends every session of the user. A refused
   * password comes back as `rejected` with the server's messages, and the link stays usable.
   */
  resetPassword(
    token: unknown,
    newPassword: unknown,
  ): Promise<ActionResult<{ readonly email: string }>>;
  /**
   * Changes the logged-in user's password, given the current one (`user-changepass`). The user's other sessions
   * end; this one stays, with a new token (and cookie). The server's policy messages come back on a refusal.
   */
  changePassword(current: unknown, next: unknown): Promise<ActionResult<null>>;
  /**
   * Ends every session of the user, this one too (its cookie is cleared); with `keepCurrent`, every session
   * but this one.
   */
  logoutEverywhere(options?: { keepCurrent?: boolean }): Promise<ActionResult<null>>;
  /**
   * Step-up: checks the logged-in user's password (`user-passcheck`) and records the time in the session
   * (`az_confirmed`). Five wrong passwords in a row end the session.
   */
  confirmPassword(password: unknown): Promise<ActionResult<null>>;
  /**
   * The guard of a sensitive action: null when the session's user confirmed the password within
   * `maxAgeSeconds`; else 401 (no user), 403 `forbidden` (an API key cannot confirm), or 403 `reauthenticate`
   * (send the user to confirm the password).
   *
   * @throws {ConfigError} when `maxAgeSeconds` is not a number > 0.
   */
  requireRecentAuth(maxAgeSeconds: number): AuthFailure | null;
  /**
   * Deletes the logged-in user's account (`user-delete`, which needs the password), after a confirmation in
   * the last 5 minutes (else `reauthenticate`). Every session of the user ends; the cookie is cleared.
   */
  deleteAccount(password: unknown): Promise<ActionResult<null>>;
  /**
   * Edits the logged-in user's profile: the name at once (`user-edit`); a new email address gets a link
   * (`<origin>/confirm-email?token=…`, sealed under `emailVerification.secret`) and changes only when it is
   * opened. Changing the email needs a confirmation in the last 5 minutes (else `reauthenticate`).
   */
  editProfile(input: ProfileInput): Promise<ActionResult<ProfileValue>>;
  /** Applies a new email address from its link, once, and marks it verified. */
  confirmEmailChange(token: unknown): Promise<ActionResult<{ readonly email: string }>>;
  /**
   * Sends a sign-up's verification link again. The answer is at once and the same for every well-formed
   * address; only an account still waiting for verification gets an email.
   */
  resendVerification(email: unknown): Promise<ActionResult<{ readonly email: string }>>;
  /**
   * The server's password policy on a password (`user-validatepass`), for live feedback on a sign-up or reset
   * form: `valid`, and the server's messages. Call it from the app's own endpoint only.
   */
  checkPassword(input: PasswordCheckInput): Promise<ActionResult<{ readonly valid: boolean }>>;

  /**
   * Adds the collected `Set-Cookie` values to a `Response` (for runtimes without an adapter), with the caching
   * rule: `Vary: Cookie`, and `Cache-Control: private, no-store` on a personal answer that has no
   * `Cache-Control` of its own.
   */
  apply(response: Response): Response;
}

/** What `authenticate` gives: a context, or a failure to answer at once (with the cookies to set on it). */
export type AuthenticateResult =
  | { readonly ok: true; readonly context: AuthContext }
  | { readonly ok: false; readonly failure: AuthFailure; readonly setCookies: readonly string[] };

/** Options of one `authenticate` call. */
export interface AuthenticateOptions {
  /** Create an anonymous session when there is none (first visit). Default `false`. */
  readonly createAnonymous?: boolean | undefined;
}

/** The core, made once per app by `createWebAuth`. */
export interface WebAuth {
  /**
   * Reads one request: the client IP, a Bearer API key (checked, CSRF-exempt) or the session cookie
   * (`session-exists`, or the cache), and the CSRF rule for unsafe methods. Never throws for server failures:
   * they come back as a failure (503, or 429 with `retryAfter`), and the cookie is kept.
   */
  authenticate(
    request: AuthRequest,
    env?: RequestEnv,
    options?: AuthenticateOptions,
  ): Promise<AuthenticateResult>;
  /**
   * The `Response` for a failure: its status, `Retry-After` on 429, `WWW-Authenticate` with a challenge, never
   * cached. Plain text, or JSON (`{ "error": code, "message", "messages" }`) when `request` asks for JSON.
   */
  failureResponse(
    failure: AuthFailure,
    setCookies?: readonly string[],
    request?: AuthRequest,
  ): Response;
  /** Drops every cached session (when the cache is on). */
  clearCache(): void;
  /**
   * Resolves once the work the core runs after answering has finished: the emails of `requestPasswordReset` and
   * `resendVerification`, which are not awaited by the request so that their answer takes the same time for
   * every address. Await it before a graceful shutdown, and in tests before reading the outbox.
   */
  settled(): Promise<void>;
  /** The resolved cookie name for a secure or plain origin (`__Host-azsession` or `azsession`). */
  cookieName(secure: boolean): string;
}
