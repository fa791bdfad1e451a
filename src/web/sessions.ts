/**
 * The session life cycle: making a session (`session-new`) and its cookie, ending one (`session-delete`, and the
 * cache entry with it), an anonymous session for an app that keeps state for visitors, log-in without fixation
 * (every earlier token of the browser ends), and log-out. A server that does not answer leaves the session and its
 * cookie as they were.
 */
import { pythonDatetime, parseServerDate } from './dates.js';
import type { WebCore } from './core.js';
import { failure, INPUT_LIMITS, refuse, requiredString, succeed } from './failure.js';
import { isSafeMethod } from './csrf.js';
import {
  rememberOf,
  sessionMarks,
  userSessionSeconds,
  type NewSessionOptions,
} from './lifetime-settings.js';
import { admitPasswordCheck } from './login-throttle.js';
import { toSession, type RequestState } from './state.js';
import type { ActionResult, AuthFailure, LoginOptions, Session, UserSession } from './types.js';

/** The CSRF rule for actions that change who is logged in: checked for every unsafe method, cookie or not. */
export function checkOrigin(core: WebCore, state: RequestState): AuthFailure | null {
  if (!core.settings.csrfEnabled || isSafeMethod(state.request.method) || state.apiKey !== null)
    return null;
  return core.checkCsrf(state.request, core.settings.origins ?? [state.origin]);
}

/**
 * `session-new` for a user (or anonymous with null): the token and expiry. A user session's lifetime and marks
 * (`az_seen`, `az_remember`) follow the lifetime policy (`lifetime.ts`); `options` can fix its expiry and data.
 */
export async function newSession(
  core: WebCore,
  state: RequestState,
  userId: number | null,
  options: NewSessionOptions = {},
): Promise<ActionResult<{ token: string; expires: Date }>> {
  const { client, anonymousSeconds } = core.settings;
  const remember = options.remember === true;
  const seconds = userId === null ? anonymousSeconds : userSessionSeconds(core.settings, remember);
  const made = await core.call<{ session_token: string; expires: string }>('session-new', () =>
    client.sessionNew({
      ip_address: state.clientIp,
      user_agent: state.request.headers.get('user-agent') ?? '',
      user_id: userId,
      expires: pythonDatetime(options.expiresMs ?? core.now() + seconds * 1000),
      extra_info_json:
        userId === null ? null : { ...options.data, ...sessionMarks(core.now(), remember) },
      client_ipaddr: state.clientIp,
    }),
  );
  if (!made.ok) return refuse(made.rejected ? failure('unavailable') : made.failure);
  return succeed({
    token: made.value.session_token,
    expires: parseServerDate(made.value.expires),
  });
}

/**
 * Sets the cookie that carries a session's token until it expires; with `persistent` false, a browser-session
 * cookie (a user session without remember-me).
 */
export async function setSessionCookie(
  core: WebCore,
  state: RequestState,
  token: string,
  expires: Date,
  persistent = true,
): Promise<void> {
  state.emit(await core.settings.cookie.set(token, expires, state.secure, core.now(), persistent));
}

/** Clears the session cookie. */
export function clearSessionCookie(core: WebCore, state: RequestState): void {
  state.emit(core.settings.cookie.clear(state.secure));
}

/** Deletes a token on the server (best effort) and drops it from the cache: whether it is gone. */
export async function endSession(
  core: WebCore,
  state: RequestState,
  token: string,
): Promise<boolean> {
  core.cache?.delete(token);
  const deleted = await core.call('session-delete', () =>
    core.settings.client.sessionDelete({ session_token: token, client_ipaddr: state.clientIp }),
  );
  // Again after the call: a look-up that was in flight meanwhile is not kept.
  core.cache?.delete(token);
  return deleted.ok || deleted.rejected;
}

/** Makes an anonymous session, sets its cookie and takes it as the request's session. */
export async function startAnonymous(
  core: WebCore,
  state: RequestState,
): Promise<ActionResult<Session>> {
  const made = await newSession(core, state, null);
  if (!made.ok) return made;
  await setSessionCookie(core, state, made.value.token, made.value.expires);
  state.adoptAnonymous(made.value.token, made.value.expires);
  return succeed(state.session);
}

/** An anonymous session when there is none (and no API key). */
export function ensureSession(core: WebCore, state: RequestState): Promise<ActionResult<Session>> {
  if (state.session.kind !== 'none' || state.apiKey !== null)
    return Promise.resolve(succeed(state.session));
  return startAnonymous(core, state);
}

/** After a refused log-in: a fresh anonymous session for a visitor that had one, else no cookie at all. */
async function afterRefusedLogin(
  core: WebCore,
  state: RequestState,
  wasAnonymous: boolean,
  hadSession: boolean,
): Promise<void> {
  if (wasAnonymous) {
    const fresh = await startAnonymous(core, state);
    if (!fresh.ok) clearSessionCookie(core, state);
  } else if (hadSession) {
    clearSessionCookie(core, state);
  }
}

/** Takes the new user session: its row read back, or what the log-in said when the read fails. */
async function adoptLoggedIn(
  core: WebCore,
  state: RequestState,
  token: string,
  expires: Date,
  login: { userId: number; role: string; email: string },
): Promise<void> {
  const found = await core.lookup(token, state.clientIp);
  if (found.ok && toSession(found.value).kind === 'user') {
    state.adopt(token, found.value);
    return;
  }
  state.adoptUser(token, {
    kind: 'user',
    userId: login.userId,
    systemId: '',
    email: login.email,
    fullName: null,
    role: login.role,
    emailVerified: true,
    expires,
  });
}

/**
 * Logs in: `user-login` on the current anonymous session (or on a short-lived one made for it: the protocol
 * needs a session to log in on), then a new user session and cookie. Every earlier token of the browser ends.
 * The failed-log-in throttle (`login-throttle.ts`) counts the attempt first, and may refuse it before any call.
 */
export async function login(
  core: WebCore,
  state: RequestState,
  email: unknown,
  password: unknown,
  options: LoginOptions = {},
): Promise<ActionResult<UserSession>> {
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  const e = requiredString(email, 'email', INPUT_LIMITS.email);
  if (typeof e !== 'string') return refuse(e);
  const p = requiredString(password, 'password', INPUT_LIMITS.password);
  if (typeof p !== 'string') return refuse(p);
  const remember = rememberOf(core.settings, options);
  if (typeof remember !== 'boolean') return refuse(remember);
  // The failed-log-in throttle, before any server call: the same for every address, registered or not.
  const admitted = await admitPasswordCheck(core, state, e);
  if ('code' in admitted) return refuse(admitted);

  const previous = state.token;
  const wasAnonymous = state.session.kind === 'anonymous';
  let loginToken: string;
  if (wasAnonymous && previous !== null) {
    loginToken = previous;
  } else {
    const made = await newSession(core, state, null);
    if (!made.ok) return made;
    loginToken = made.value.token;
  }
  core.cache?.delete(loginToken);
  const login = await core.call<{ user_id: number; user_role: string }>('user-login', () =>
    core.settings.client.userLogin({
      session_token: loginToken,
      email: e,
      password: p,
      client_ipaddr: state.clientIp,
    }),
  );
  await admitted.settle(login.ok);
  if (!login.ok && !login.rejected) {
    // Transient: keep the cookie as it is; a session made only for this log-in goes.
    if (loginToken !== previous) await endSession(core, state, loginToken);
    return login;
  }
  // user-login deletes the session it was given, whatever the answer: make sure, and forget it here. Any
  // earlier session of this browser (an anonymous one, or another user's) ends too.
  await endSession(core, state, loginToken);
  if (previous !== null && previous !== loginToken) await endSession(core, state, previous);
  state.drop();
  if (!login.ok) {
    await afterRefusedLogin(core, state, wasAnonymous, previous !== null);
    return refuse(failure('login-refused', login.messages));
  }

  const { user_id: userId, user_role: role } = login.value;
  const made = await newSession(core, state, userId, { remember });
  if (!made.ok) {
    clearSessionCookie(core, state);
    return made;
  }
  await setSessionCookie(core, state, made.value.token, made.value.expires, remember);
  await adoptLoggedIn(core, state, made.value.token, made.value.expires, {
    userId,
    role,
    email: e.trim().toLowerCase(),
  });
  return succeed(state.session as UserSession, login.messages);
}

/** Deletes the session and clears the cookie; a server that does not answer leaves both (503). */
export async function logout(core: WebCore, state: RequestState): Promise<ActionResult<null>> {
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  const token = state.token;
  if (token !== null) {
    core.cache?.delete(token);
    const deleted = await core.call('session-delete', () =>
      core.settings.client.sessionDelete({ session_token: token, client_ipaddr: state.clientIp }),
    );
    core.cache?.delete(token);
    // Already gone counts as done; a transient failure keeps the session and the cookie, to try again.
    if (!deleted.ok && !deleted.rejected) return deleted;
  }
  if (state.apiKey === null) clearSessionCookie(core, state);
  state.drop();
  return succeed(null);
}
