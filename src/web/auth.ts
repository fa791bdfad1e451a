/**
 * The web core: `createWebAuth` and the per-request context. It reads a request (client IP, Bearer API key or
 * session cookie, CSRF rule), gives the handler a typed session, and runs the actions (log-in without fixation,
 * sign-up with email verification, log-out, API keys, guards and limits) through the typed client. Server
 * failures fail closed (503, or 429 with Retry-After) and never touch the cookie.
 */
import type { Authnzerver } from '../../generated/client.js';
import type { SessionInfo } from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';
import { ApiKeys } from './apikeys.js';
import { SessionCache } from './cache.js';
import { SessionCookie } from './cookies.js';
import { fernetSealer, type Sealer } from './crypto.js';
import { isSafeMethod, normalizeOrigin, OriginCheck, originOf } from './csrf.js';
import {
  bearerChallenge,
  challenged,
  failure,
  failureResponse,
  fromResult,
  invalidInput,
  wantsJson,
  type CallResult,
} from './failure.js';
import { parseServerDate, pythonDatetime } from './dates.js';
import { clientIp, type ClientIpResolver } from './ip.js';
import { consoleMailer } from './mailer.js';
import { checkWebAuthKeys } from './options.js';
import type {
  AccessQuery,
  ActionResult,
  ApiKeyInfo,
  AuthContext,
  AuthenticateOptions,
  AuthenticateResult,
  AuthFailure,
  AuthRequest,
  IssueApiKeyInput,
  IssuedApiKey,
  Mailer,
  Principal,
  RequestEnv,
  Session,
  SignupValue,
  UserSession,
  WebAuth,
  WebAuthOptions,
  WebLogger,
} from './types.js';

const DAY = 86_400;
const ANONYMOUS_USER_ID = 2;
const NONE: Session = Object.freeze({ kind: 'none' });

/**
 * The longest values the auth server keeps whole, refused here before anything is sent: it stores only the first
 * 256 characters of a password (so a longer one would be silently cut), and its database columns for the email
 * address and the full name hold 280 characters.
 */
export const INPUT_LIMITS = Object.freeze({ password: 256, email: 280, fullName: 280 });

/** The session row out of a session-exists result. */
function sessionOf(result: CallResult<{ session_info: SessionInfo }>): CallResult<SessionInfo> {
  return result.ok
    ? { ok: true, value: result.value.session_info, messages: result.messages }
    : result;
}

/** A session-exists answer as the typed session. */
function toSession(info: SessionInfo): Session {
  const expires = parseServerDate(info.expires);
  if (info.user_id === ANONYMOUS_USER_ID || info.user_role === 'anonymous') {
    return { kind: 'anonymous', expires };
  }
  if (!info.is_active) return NONE;
  return {
    kind: 'user',
    userId: info.user_id,
    systemId: info.system_id,
    email: info.email,
    fullName: info.full_name,
    role: info.user_role,
    emailVerified: info.email_verified,
    expires,
  };
}

function ok<T>(value: T, messages: readonly string[] = []): ActionResult<T> {
  return { ok: true, value, messages };
}

function fail<T>(f: AuthFailure): ActionResult<T> {
  return { ok: false, failure: f };
}

/** The checked email-verification payload. */
interface EmailTokenPayload {
  readonly ema: string;
  readonly ver: 1;
}

/** The web core, shared by every request of an app. */
class WebAuthCore implements WebAuth {
  readonly client: Authnzerver;
  readonly cookie: SessionCookie;
  readonly ip: ClientIpResolver;
  readonly trustsProxy: boolean;
  readonly origins: readonly string[] | null;
  readonly csrf: OriginCheck;
  readonly csrfEnabled: boolean;
  readonly anonymousSeconds: number;
  readonly userSeconds: number;
  readonly apiKeys: ApiKeys | null;
  readonly emailSealer: Sealer | null;
  readonly emailTtl: number;
  readonly emailUrl: (token: string, origin: string) => string;
  readonly emailSubject: string;
  readonly appName: string;
  readonly notifyExisting: boolean;
  readonly loginUrl: (origin: string) => string;
  /** Addresses whose verification is running in this process: a second use of a link at once does nothing. */
  readonly verifying = new Set<string>();
  readonly mailer: Mailer;
  readonly cache: SessionCache | null;
  readonly logger: WebLogger | undefined;
  readonly now: () => number;
  /** Requests per user in the current window, for `limitRequests`. */
  readonly windows = new Map<string, { start: number; count: number }>();

  constructor(options: WebAuthOptions) {
    checkWebAuthKeys(options);
    if (typeof (options as unknown) !== 'object' || (options as unknown) === null) {
      throw new TypeError('createWebAuth: options must be an object with at least `client`');
    }
    const client = options.client as Authnzerver | null | undefined;
    if (
      typeof client !== 'object' ||
      client === null ||
      typeof (client.sessionExists as unknown) !== 'function'
    ) {
      throw new TypeError(
        'createWebAuth: `client` must be an Authnzerver client (new Authnzerver(...))',
      );
    }
    this.client = client;
    this.cookie = new SessionCookie(options.cookie);
    this.trustsProxy = (options.trustProxy ?? false) !== false;
    this.ip = clientIp(options.trustProxy ?? false);
    const origin = options.origin;
    const list = origin === undefined ? null : typeof origin === 'string' ? [origin] : [...origin];
    if (list?.length === 0) throw new TypeError('origin: give at least one origin');
    this.origins =
      list?.map((o, i) => {
        const normal = normalizeOrigin(o);
        if (normal === null) {
          throw new TypeError(
            `origin${list.length > 1 ? `[${i}]` : ''}: must be scheme://host[:port]`,
          );
        }
        return normal;
      }) ?? null;
    const csrf = options.csrf ?? {};
    this.csrfEnabled = csrf.enabled ?? true;
    this.csrf = new OriginCheck(csrf.trustedOrigins ?? [], csrf.allowMissingOrigin ?? false);
    this.anonymousSeconds = positive(
      options.sessions?.anonymousSeconds,
      DAY,
      'sessions.anonymousSeconds',
    );
    this.userSeconds = positive(options.sessions?.userSeconds, 7 * DAY, 'sessions.userSeconds');
    this.now = options.now ?? Date.now;
    this.apiKeys = options.apiKeys === undefined ? null : new ApiKeys(options.apiKeys, client);
    const ev = options.emailVerification;
    this.emailSealer =
      ev === undefined ? null : fernetSealer(ev.secret, 'emailVerification.secret');
    this.emailTtl = positive(ev?.ttlSeconds, 7200, 'emailVerification.ttlSeconds');
    this.emailUrl =
      ev?.url ?? ((token, o) => `${o}/verify-email?token=${encodeURIComponent(token)}`);
    this.emailSubject = ev?.subject ?? 'Verify your email address';
    this.appName = ev?.appName ?? 'authnzerver';
    this.notifyExisting = ev?.notifyExisting ?? true;
    if (typeof this.notifyExisting !== 'boolean') {
      throw new TypeError('emailVerification.notifyExisting: must be a boolean');
    }
    this.loginUrl = ev?.loginUrl ?? ((o) => `${o}/login`);
    this.mailer = options.mailer ?? consoleMailer();
    this.cache =
      options.cache === undefined || options.cache === false
        ? null
        : new SessionCache(options.cache);
    this.logger = options.logger;
  }

  cookieName(secure: boolean): string {
    return this.cookie.name(secure);
  }

  clearCache(): void {
    this.cache?.clear();
  }

  failureResponse(
    f: AuthFailure,
    setCookies: readonly string[] = [],
    request?: AuthRequest,
  ): Response {
    return failureResponse(
      f,
      setCookies,
      request === undefined ? false : wantsJson(request.headers),
    );
  }

  /** The 401 of a route that needs a user: with a `Bearer` challenge when the app takes API keys. */
  unauthenticated(): AuthFailure {
    const f = failure('unauthenticated');
    return this.apiKeys === null ? f : challenged(f, this.apiKeys.challenge());
  }

  /**
   * The CSRF rule for a request: null when it passes, else the 403, logged at warn with the method, the path
   * (never the query), what the request showed (its Origin, or its Referer's origin) and the allowed origins.
   */
  checkCsrf(request: AuthRequest, appOrigins: readonly string[]): AuthFailure | null {
    const seen = this.csrf.refusal(request.headers, appOrigins);
    if (seen === null) return null;
    const allowed = [...appOrigins, ...this.csrf.trusted].join(', ');
    this.warn(
      `refused a cross-site ${request.method.toUpperCase()} ${pathForLog(request.url)}: it showed ${seen}; ` +
        `allowed origins: ${allowed} (set the \`origin\` option, or csrf.trustedOrigins)`,
    );
    return failure('csrf');
  }

  warn(message: string): void {
    this.logger?.warn?.(`authnzerver/web: ${message}`);
  }

  /** Looks a token up, through the cache when it is on. */
  lookup(token: string, ip: string): Promise<CallResult<SessionInfo>> {
    const fetch = (): Promise<CallResult<SessionInfo>> =>
      this.call<{ session_info: SessionInfo }>('session-exists', () =>
        this.client.sessionExists({ session_token: token, client_ipaddr: ip }),
      ).then(sessionOf);
    return this.cache === null ? fetch() : this.cache.lookup(token, this.now(), fetch);
  }

  /** Runs one client call and reads its result: the success value, a rejection, or a failure to answer. */
  async call<S>(
    type: string,
    run: () => Promise<{
      success: boolean;
      response: unknown;
      messages: readonly string[];
      failure: string | null;
    }>,
  ): Promise<CallResult<S>> {
    let result;
    try {
      result = await run();
    } catch (error) {
      if (RequestValidationError.is(error)) {
        return {
          ok: false,
          rejected: false,
          failure: invalidInput('a field is too long or malformed'),
        };
      }
      this.warn(`${type} could not be sent`);
      return { ok: false, rejected: false, failure: failure('unavailable') };
    }
    const read = fromResult<S>(result);
    if (!read.ok && !read.rejected) {
      this.warn(
        `${type} failed (${result.failure ?? 'unknown'}): answering ${read.failure.status}`,
      );
    }
    return read;
  }

  async authenticate(
    request: AuthRequest,
    env: RequestEnv = {},
    options: AuthenticateOptions = {},
  ): Promise<AuthenticateResult> {
    const headers = request.headers;
    const ip = this.ip(env.remoteAddress, this.trustsProxy ? headers.get('x-forwarded-for') : null);
    // The request's own origin when it is one of the app's (so links and cookies stay on the host in use), else
    // the app's first; without an `origin` option, the request's.
    const own = originOf(request.url);
    const origin =
      this.origins === null ? own : this.origins.includes(own) ? own : (this.origins[0] as string);
    const secure = this.cookie.isSecure(origin);
    const ctx = new Context(this, request, env, ip, origin, secure);

    const authorization = headers.get('authorization');
    if (authorization !== null && /^bearer\s/i.test(authorization)) {
      // An API-key request: the cookie is not read, so CSRF does not apply.
      const bearer = authorization.slice(7).trim();
      if (this.apiKeys === null) {
        return ctx.refuse(
          challenged(failure('invalid-api-key'), bearerChallenge(undefined, 'invalid_token')),
        );
      }
      const checked = await this.apiKeys.verify(
        bearer,
        request,
        ip,
        this.origins?.[0] ?? origin,
        this.now(),
      );
      if (!checked.ok) {
        if (!checked.rejected)
          this.warn(`apikey verification failed: answering ${checked.failure.status}`);
        return ctx.refuse(checked.failure);
      }
      ctx.apiKey = checked.value;
      ctx.user = {
        userId: checked.value.userId,
        role: checked.value.role,
        via: 'apikey',
        email: null,
      };
      return { ok: true, context: ctx };
    }

    let read = this.cookie.read(headers.get('cookie'), secure);
    if (read instanceof Promise) read = await read;
    if (read.state !== 'absent' && this.csrfEnabled && !isSafeMethod(request.method)) {
      const refused = this.checkCsrf(request, this.origins ?? [origin]);
      if (refused !== null) return ctx.refuse(refused);
    }
    if (read.state === 'refused') {
      this.warn('refused a malformed or wrongly signed session cookie');
      ctx.emit(this.cookie.clear(secure));
    } else if (read.state === 'present') {
      const found = await this.lookup(read.token, ip);
      if (found.ok) {
        ctx.adopt(read.token, found.value);
      } else if (found.rejected) {
        ctx.emit(this.cookie.clear(secure));
      } else {
        // A transient failure: fail closed, and keep the cookie (the user is not logged out).
        return ctx.refuse(found.failure);
      }
    }
    if (options.createAnonymous === true && ctx.session.kind === 'none') {
      const made = await ctx.ensureSession();
      if (!made.ok) return ctx.refuse(made.failure);
    }
    return { ok: true, context: ctx };
  }

  /** Opens an email verification token: the email it is bound to, or null. */
  async openEmailToken(token: string): Promise<string | null> {
    if (this.emailSealer === null) return null;
    const text = await this.emailSealer.open(token, this.now(), this.emailTtl);
    if (text === null) return null;
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return null;
    }
    const p = payload as Partial<EmailTokenPayload> | null;
    if (typeof p !== 'object' || p === null || p.ver !== 1 || typeof p.ema !== 'string')
      return null;
    return p.ema;
  }

  /** Counts one request of a user in the current window, and gives the count and the seconds left. */
  countRequest(userId: number, windowSeconds: number): { count: number; left: number } {
    const now = this.now();
    const key = `${userId}:${windowSeconds}`;
    let w = this.windows.get(key);
    if (w === undefined || now - w.start >= windowSeconds * 1000) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.pruneWindows(now);
    }
    w.count += 1;
    return {
      count: w.count,
      left: Math.max(1, Math.ceil((w.start + windowSeconds * 1000 - now) / 1000)),
    };
  }

  pruneWindows(now: number): void {
    for (const [key, w] of this.windows) {
      const seconds = Number(key.slice(key.indexOf(':') + 1));
      if (now - w.start >= seconds * 1000) this.windows.delete(key);
    }
  }
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${option}: must be a number > 0`);
  }
  return value;
}

/** A required form field: a non-empty string of at most `max` characters, or the 400 that names it. */
function requiredString(value: unknown, field: string, max: number): string | AuthFailure {
  if (typeof value !== 'string' || value.trim() === '') return invalidInput(`${field} is required`);
  if (value.length > max) return invalidInput(`${field} must be at most ${max} characters`);
  return value;
}

/** A request URL's path for a log line: no query or fragment, control characters escaped, cut to 200. */
function pathForLog(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  let path = start < 0 ? '/' : url.slice(start);
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  if (path.length > 200) path = `${path.slice(0, 200)}…`;
  return JSON.stringify(path).slice(1, -1);
}

/** What `user-new` said of an address that already has an account (its failure reply). */
function existingAccount(
  created: CallResult<unknown>,
): { readonly resend: boolean; readonly email: unknown } | null {
  if (created.ok || !created.rejected) return null;
  const reply = (created.response ?? {}) as {
    user_id?: unknown;
    send_verification?: unknown;
    user_email?: unknown;
  };
  // "user exists" is the server's reason; its reply also names the existing user (which is never passed on).
  if (created.reason !== 'user exists' && typeof reply.user_id !== 'number') return null;
  return { resend: reply.send_verification === true, email: reply.user_email };
}

/** What `user-lookup-email` says of a user, as far as verification needs. */
interface UserLookup {
  readonly user_info: {
    readonly email_verified?: unknown;
    readonly is_active?: unknown;
    readonly user_role?: unknown;
  } | null;
}

/** Whether a user row is a sign-up still waiting for its email to be verified (inactive, locked, unverified). */
function awaitsVerification(row: UserLookup['user_info']): boolean {
  return (
    row !== null &&
    row.email_verified === false &&
    row.is_active === false &&
    row.user_role === 'locked'
  );
}

/** One request's context. */
class Context implements AuthContext {
  readonly #core: WebAuthCore;
  readonly #request: AuthRequest;
  readonly #sink: ((value: string) => void) | undefined;
  readonly #secure: boolean;
  readonly clientIp: string;
  readonly origin: string;
  readonly setCookies: string[] = [];
  session: Session = NONE;
  user: Principal | null = null;
  apiKey: ApiKeyInfo | null = null;
  /** The current session's token and row; null without one. */
  #token: string | null = null;
  #info: SessionInfo | null = null;

  constructor(
    core: WebAuthCore,
    request: AuthRequest,
    env: RequestEnv,
    ip: string,
    origin: string,
    secure: boolean,
  ) {
    this.#core = core;
    this.#request = request;
    this.#sink = env.setCookie;
    this.clientIp = ip;
    this.origin = origin;
    this.#secure = secure;
  }

  get wantsJson(): boolean {
    return wantsJson(this.#request.headers);
  }

  emit(value: string): void {
    if (this.#sink === undefined) this.setCookies.push(value);
    else this.#sink(value);
  }

  refuse(f: AuthFailure): AuthenticateResult {
    return { ok: false, failure: f, setCookies: this.setCookies };
  }

  /** Takes a session row as the request's session. */
  adopt(token: string, info: SessionInfo): void {
    this.#token = token;
    this.#info = info;
    this.session = toSession(info);
    this.user =
      this.session.kind === 'user'
        ? {
            userId: this.session.userId,
            role: this.session.role,
            via: 'session',
            email: this.session.email,
          }
        : null;
  }

  #drop(): void {
    this.#token = null;
    this.#info = null;
    this.session = NONE;
    this.user = null;
  }

  /** The CSRF rule for actions that change who is logged in: always checked for unsafe methods. */
  #checkOrigin(): AuthFailure | null {
    const core = this.#core;
    if (!core.csrfEnabled || isSafeMethod(this.#request.method) || this.apiKey !== null)
      return null;
    return core.checkCsrf(this.#request, core.origins ?? [this.origin]);
  }

  /** session-new for a user (or anonymous with null); the token and expiry. */
  async #newSession(
    userId: number | null,
  ): Promise<ActionResult<{ token: string; expires: Date }>> {
    const core = this.#core;
    const seconds = userId === null ? core.anonymousSeconds : core.userSeconds;
    const made = await core.call<{ session_token: string; expires: string }>('session-new', () =>
      core.client.sessionNew({
        ip_address: this.clientIp,
        user_agent: this.#request.headers.get('user-agent') ?? '',
        user_id: userId,
        expires: pythonDatetime(core.now() + seconds * 1000),
        extra_info_json: null,
        client_ipaddr: this.clientIp,
      }),
    );
    if (!made.ok) return fail(made.rejected ? failure('unavailable') : made.failure);
    return ok({ token: made.value.session_token, expires: parseServerDate(made.value.expires) });
  }

  async #setSession(token: string, expires: Date): Promise<void> {
    this.emit(await this.#core.cookie.set(token, expires, this.#secure, this.#core.now()));
  }

  /** Deletes a token on the server (best effort) and drops it from the cache. */
  async #kill(token: string): Promise<boolean> {
    const core = this.#core;
    core.cache?.delete(token);
    const deleted = await core.call('session-delete', () =>
      core.client.sessionDelete({ session_token: token, client_ipaddr: this.clientIp }),
    );
    core.cache?.delete(token);
    return deleted.ok || deleted.rejected;
  }

  /** Makes an anonymous session, sets its cookie and takes it as the request's session. */
  async #anonymous(): Promise<ActionResult<Session>> {
    const made = await this.#newSession(null);
    if (!made.ok) return made;
    await this.#setSession(made.value.token, made.value.expires);
    this.#token = made.value.token;
    this.#info = null;
    this.session = { kind: 'anonymous', expires: made.value.expires };
    this.user = null;
    return ok(this.session);
  }

  async ensureSession(): Promise<ActionResult<Session>> {
    if (this.session.kind !== 'none') return ok(this.session);
    if (this.apiKey !== null) return ok(this.session);
    return this.#anonymous();
  }

  async login(email: unknown, password: unknown): Promise<ActionResult<UserSession>> {
    const core = this.#core;
    const csrf = this.#checkOrigin();
    if (csrf !== null) return fail(csrf);
    const e = requiredString(email, 'email', INPUT_LIMITS.email);
    if (typeof e !== 'string') return fail(e);
    const p = requiredString(password, 'password', INPUT_LIMITS.password);
    if (typeof p !== 'string') return fail(p);

    const previous = this.#token;
    const wasAnonymous = this.session.kind === 'anonymous';
    let loginToken: string;
    if (wasAnonymous && previous !== null) {
      loginToken = previous;
    } else {
      // user-login needs a session to run on: a short-lived one, made for it and gone after it.
      const made = await this.#newSession(null);
      if (!made.ok) return made;
      loginToken = made.value.token;
    }
    core.cache?.delete(loginToken);
    const login = await core.call<{ user_id: number; user_role: string }>('user-login', () =>
      core.client.userLogin({
        session_token: loginToken,
        email: e,
        password: p,
        client_ipaddr: this.clientIp,
      }),
    );
    if (!login.ok && !login.rejected) {
      // Transient: keep the cookie as it is; a session made only for this log-in goes.
      if (loginToken !== previous) await this.#kill(loginToken);
      return login;
    }
    // user-login deletes the session it was given, whatever the answer: make sure, and forget it here. Any
    // earlier session of this browser (an anonymous one, or another user's) ends too.
    await this.#kill(loginToken);
    if (previous !== null && previous !== loginToken) await this.#kill(previous);
    this.#drop();

    if (!login.ok) {
      // A refused log-in: the server's messages for the user. An app that gave this visitor an anonymous
      // session gets a fresh one in place of the one user-login deleted; otherwise none is made.
      if (wasAnonymous) {
        const fresh = await this.#anonymous();
        if (!fresh.ok) this.emit(core.cookie.clear(this.#secure));
      } else if (previous !== null) {
        this.emit(core.cookie.clear(this.#secure));
      }
      return fail(failure('login-refused', login.messages));
    }

    const { user_id: userId, user_role: role } = login.value;
    const made = await this.#newSession(userId);
    if (!made.ok) {
      this.emit(core.cookie.clear(this.#secure));
      return made;
    }
    await this.#setSession(made.value.token, made.value.expires);
    const found = await core.lookup(made.value.token, this.clientIp);
    if (found.ok && toSession(found.value).kind === 'user') {
      this.adopt(made.value.token, found.value);
    } else {
      this.#token = made.value.token;
      this.session = {
        kind: 'user',
        userId,
        systemId: '',
        email: e.trim().toLowerCase(),
        fullName: null,
        role,
        emailVerified: true,
        expires: made.value.expires,
      };
      this.user = { userId, role, via: 'session', email: this.session.email };
    }
    return ok(this.session as UserSession, login.messages);
  }

  async logout(): Promise<ActionResult<null>> {
    const csrf = this.#checkOrigin();
    if (csrf !== null) return fail(csrf);
    const token = this.#token;
    if (token !== null) {
      const core = this.#core;
      core.cache?.delete(token);
      const deleted = await core.call('session-delete', () =>
        core.client.sessionDelete({ session_token: token, client_ipaddr: this.clientIp }),
      );
      core.cache?.delete(token);
      // Already gone counts as done; a transient failure keeps the session and the cookie, to try again.
      if (!deleted.ok && !deleted.rejected) return deleted;
    }
    if (this.apiKey === null) this.emit(this.#core.cookie.clear(this.#secure));
    this.#drop();
    return ok(null);
  }

  async signup(input: {
    fullName: unknown;
    email: unknown;
    password: unknown;
  }): Promise<ActionResult<SignupValue>> {
    const core = this.#core;
    if (core.emailSealer === null) {
      throw new TypeError(
        'signup: createWebAuth needs the `emailVerification` option to send verification links',
      );
    }
    if (core.origins === null) {
      // A link built from the request's Host header could point anywhere (link poisoning).
      throw new TypeError(
        'signup: createWebAuth needs the `origin` option, the origin links in email point to',
      );
    }
    const csrf = this.#checkOrigin();
    if (csrf !== null) return fail(csrf);
    const fullName = requiredString(input.fullName, 'fullName', INPUT_LIMITS.fullName);
    if (typeof fullName !== 'string') return fail(fullName);
    const email = requiredString(input.email, 'email', INPUT_LIMITS.email);
    if (typeof email !== 'string') return fail(email);
    const password = requiredString(input.password, 'password', INPUT_LIMITS.password);
    if (typeof password !== 'string') return fail(password);

    const created = await core.call<{ user_email: string; send_verification: boolean }>(
      'user-new',
      () =>
        core.client.userNew({ full_name: fullName, email, password, client_ipaddr: this.clientIp }),
    );
    if (!created.ok && !created.rejected) return created;
    // A new account, and an address that already has one, are answered alike: the same status, page and
    // messages (the server words both replies alike on purpose). Only the email differs.
    const existing = existingAccount(created);
    if (!created.ok && existing === null) return fail(failure('rejected', created.messages));
    const reply = created.ok ? created.value.user_email : existing?.email;
    const to = typeof reply === 'string' ? reply : email.trim().toLowerCase();
    const sendLink = created.ok ? created.value.send_verification : existing?.resend === true;
    try {
      if (sendLink) await this.#mailVerification(to);
      else if (existing !== null && core.notifyExisting) await this.#mailAccountExists(to);
    } catch {
      core.warn('the mailer failed to send a sign-up email');
      return fail(failure('unavailable', created.messages));
    }
    return ok({ email: to }, created.messages);
  }

  /** The verification email: a link with a token bound to the address. */
  async #mailVerification(to: string): Promise<void> {
    const core = this.#core;
    const payload: EmailTokenPayload = { ema: to, ver: 1 };
    const token = await (core.emailSealer as Sealer).seal(JSON.stringify(payload), core.now());
    const link = core.emailUrl(token, this.origin);
    const minutes = Math.round(core.emailTtl / 60);
    await core.mailer.send({
      to,
      subject: core.emailSubject,
      text: `Confirm your email address for ${core.appName} by opening this link within ${minutes} minutes:\n\n${link}\n\nIf you did not sign up, ignore this email.`,
      link,
      purpose: 'verify-email',
    });
  }

  /** The notice to the owner of an address someone signed up with again: no token, the log-in link. */
  async #mailAccountExists(to: string): Promise<void> {
    const core = this.#core;
    const link = core.loginUrl(this.origin);
    await core.mailer.send({
      to,
      subject: `Your ${core.appName} account`,
      text: `Someone tried to sign up for ${core.appName} with this email address, which already has an account. If it was you, log in here:\n\n${link}\n\nIf it was not you, you can ignore this email: nothing about your account has changed.`,
      link,
      purpose: 'account-exists',
    });
  }

  async verifyEmail(
    token: unknown,
    email?: string,
  ): Promise<ActionResult<{ readonly email: string }>> {
    const core = this.#core;
    if (core.emailSealer === null) {
      throw new TypeError('verifyEmail: createWebAuth needs the `emailVerification` option');
    }
    if (typeof token !== 'string' || token === '') return fail(invalidInput('token is required'));
    const bound = token.length > 4096 ? null : await core.openEmailToken(token);
    if (
      bound === null ||
      (email !== undefined && email.trim().toLowerCase() !== bound.toLowerCase())
    ) {
      return fail(failure('invalid-token'));
    }
    // One use at a time per address in this process: a link opened twice at once verifies at most once.
    const key = bound.toLowerCase();
    if (core.verifying.has(key)) return fail(failure('invalid-token'));
    core.verifying.add(key);
    try {
      // The token works once, and only for a sign-up still waiting: user-set-emailverified would also wake a
      // locked account (it re-activates any inactive user). Using the link marks the address verified, so a
      // second use finds it verified and does nothing.
      const found = await core.call<UserLookup>('user-lookup-email', () =>
        core.client.userLookupEmail({ email: bound, client_ipaddr: this.clientIp }),
      );
      if (!found.ok) return fail(found.rejected ? failure('invalid-token') : found.failure);
      if (!awaitsVerification(found.value.user_info)) return fail(failure('invalid-token'));
      const done = await core.call<{ user_id: number | null }>('user-set-emailverified', () =>
        core.client.userSetEmailverified({ email: bound, client_ipaddr: this.clientIp }),
      );
      if (!done.ok)
        return fail(done.rejected ? failure('invalid-token', done.messages) : done.failure);
      return ok({ email: bound }, done.messages);
    } finally {
      core.verifying.delete(key);
    }
  }

  async issueApiKey(input: IssueApiKeyInput = {}): Promise<ActionResult<IssuedApiKey>> {
    const core = this.#core;
    if (core.apiKeys === null)
      throw new TypeError('issueApiKey: createWebAuth needs the `apiKeys` option');
    const session = this.session;
    if (session.kind !== 'user' || this.#token === null) return fail(failure('unauthenticated'));
    const csrf = this.#checkOrigin();
    if (csrf !== null) return fail(csrf);
    return core.apiKeys.issue(input, {
      token: this.#token,
      userId: session.userId,
      role: session.role,
      ipAddress: this.#info?.ip_address ?? this.clientIp,
      userAgent: this.#info?.user_agent ?? this.#request.headers.get('user-agent') ?? '',
      clientIp: this.clientIp,
      origin: core.origins?.[0] ?? this.origin,
      nowMs: core.now(),
    });
  }

  async revokeApiKey(token: unknown): Promise<ActionResult<null>> {
    const core = this.#core;
    if (core.apiKeys === null)
      throw new TypeError('revokeApiKey: createWebAuth needs the `apiKeys` option');
    const user = this.user;
    if (user === null) return fail(failure('unauthenticated'));
    if (typeof token !== 'string' || token === '') return fail(invalidInput('token is required'));
    const csrf = this.#checkOrigin();
    if (csrf !== null) return fail(csrf);
    return core.apiKeys.revoke(token, user, this.clientIp, core.now());
  }

  /** A 403 for the caller: with an `insufficient_scope` challenge when the caller came with an API key. */
  #forbidden(messages: readonly string[] = []): AuthFailure {
    const f = failure('forbidden', messages);
    const keys = this.#core.apiKeys;
    return this.apiKey === null || keys === null
      ? f
      : challenged(f, keys.challenge('insufficient_scope'));
  }

  requireUser(): AuthFailure | null {
    return this.user === null ? this.#core.unauthenticated() : null;
  }

  requireApiKey(): AuthFailure | null {
    if (this.apiKey !== null) return null;
    const keys = this.#core.apiKeys;
    return challenged(failure('unauthenticated'), keys?.challenge() ?? bearerChallenge(undefined));
  }

  requireRole(...roles: readonly string[]): AuthFailure | null {
    if (this.user === null) return this.#core.unauthenticated();
    return roles.includes(this.user.role) ? null : this.#forbidden();
  }

  async requireAccess(query: AccessQuery): Promise<AuthFailure | null> {
    const user = this.user;
    if (user === null) return this.#core.unauthenticated();
    const core = this.#core;
    const checked = await core.call('user-check-access', () =>
      core.client.userCheckAccess({
        user_id: user.userId,
        user_role: user.role,
        action: query.action,
        target_name: query.targetName,
        target_owner: query.targetOwner ?? user.userId,
        target_visibility: query.targetVisibility ?? 'private',
        target_sharedwith: (query.targetSharedWith ?? []).join(','),
        client_ipaddr: this.clientIp,
      }),
    );
    if (checked.ok) return null;
    return checked.rejected ? this.#forbidden(checked.messages) : checked.failure;
  }

  async checkLimit(
    limitName: string,
    value: unknown,
    retryAfter?: number,
  ): Promise<AuthFailure | null> {
    const user = this.user;
    if (user === null) return this.#core.unauthenticated();
    if (value === null || value === undefined) return invalidInput('value is required');
    const core = this.#core;
    const checked = await core.call('user-check-limit', () =>
      core.client.userCheckLimit({
        user_id: user.userId,
        user_role: user.role,
        limit_name: limitName,
        value_to_check: value,
        client_ipaddr: this.clientIp,
      }),
    );
    if (checked.ok) return null;
    return checked.rejected ? failure('over-limit', checked.messages, retryAfter) : checked.failure;
  }

  async limitRequests(
    limitName = 'max_requests_per_minute',
    windowSeconds = 60,
  ): Promise<AuthFailure | null> {
    const user = this.user;
    if (user === null) return this.#core.unauthenticated();
    const { count, left } = this.#core.countRequest(user.userId, windowSeconds);
    return this.checkLimit(limitName, count, left);
  }

  apply(response: Response): Response {
    for (const value of this.setCookies) response.headers.append('set-cookie', value);
    return response;
  }
}

/**
 * Makes the web core for an app, once.
 *
 * @throws {TypeError} naming the option when an option is missing or malformed (secrets are never shown).
 */
export function createWebAuth(options: WebAuthOptions): WebAuth {
  return new WebAuthCore(options);
}
