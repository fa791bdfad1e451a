/**
 * A logged-in user's own account: changing the password (`user-changepass`, which ends the user's other sessions
 * itself; the current session then gets a new token, so a token seen before the change is dead) and logging out
 * everywhere (`session-delete-userid`, keeping the current session or not).
 */
import type { WebCore } from './core.js';
import { failure, INPUT_LIMITS, invalidInput, refuse, requiredString, succeed } from './failure.js';
import { endAllSessions } from './password-reset.js';
import { REMEMBER } from './lifetime-settings.js';
import { admitPasswordCheck } from './login-throttle.js';
import { extraOf } from './session-data.js';
import {
  checkOrigin,
  clearSessionCookie,
  endSession,
  newSession,
  setSessionCookie,
} from './sessions.js';
import type { RequestState } from './state.js';
import type { ActionResult, AuthFailure, UserSession } from './types.js';

/** The request's own user session and its token, or the failure: 401 without one (an API key has none). */
export function ownSession(
  core: WebCore,
  state: RequestState,
): { readonly token: string; readonly session: UserSession } | AuthFailure {
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return csrf;
  if (state.session.kind !== 'user' || state.token === null || state.apiKey !== null)
    return core.unauthenticated();
  return { token: state.token, session: state.session };
}

/**
 * Gives the current session a new token at once (no grace: after a password change the old token must die): a
 * new session for the same user with the same expiry (the absolute lifetime does not grow), the same data and
 * remember-me choice (`newSession`, as the lifetime policy's rotation), then the old one is deleted and the cookie
 * replaced, persistent only for a remembered session.
 */
export async function rotateSession(
  core: WebCore,
  state: RequestState,
  token: string,
  session: UserSession,
): Promise<ActionResult<null>> {
  const data = extraOf(state);
  const remember = data[REMEMBER] === true;
  const made = await newSession(core, state, session.userId, {
    remember,
    expiresMs: session.expires.getTime(),
    data,
  });
  if (!made.ok) return made;
  const fresh = made.value.token;
  await endSession(core, state, token);
  await setSessionCookie(core, state, fresh, made.value.expires, remember);
  const found = await core.lookup(fresh, state.clientIp);
  if (found.ok) state.adopt(fresh, found.value);
  else state.adoptUser(fresh, session);
  return succeed(null);
}

/** The server's reasons for refusing `user-changepass` once the current password has matched. */
const CURRENT_PASSWORD_MATCHED: ReadonlySet<string> = new Set([
  'password did not change',
  'new password is insecure',
]);

/**
 * Changes the password, given the current one. The server ends the user's other sessions; this one gets a new
 * token. The server's policy messages come back on a refusal. A wrong current password counts in the failed-log-in
 * throttle (`user-changepass` has no back-off on the server).
 */
export async function changePassword(
  core: WebCore,
  state: RequestState,
  current: unknown,
  next: unknown,
): Promise<ActionResult<null>> {
  const own = ownSession(core, state);
  if ('code' in own) return refuse(own);
  const currentPassword = requiredString(current, 'currentPassword', INPUT_LIMITS.password);
  if (typeof currentPassword !== 'string') return refuse(currentPassword);
  const newPassword = requiredString(next, 'newPassword', INPUT_LIMITS.password);
  if (typeof newPassword !== 'string') return refuse(newPassword);
  const { token, session } = own;
  const admitted = await admitPasswordCheck(core, state, session.email);
  if ('code' in admitted) return refuse(admitted);
  const changed = await core.call('user-changepass', () =>
    core.settings.client.userChangepass({
      user_id: session.userId,
      session_token: token,
      full_name: session.fullName ?? '',
      email: session.email,
      current_password: currentPassword,
      new_password: newPassword,
      client_ipaddr: state.clientIp,
    }),
  );
  // A refusal after the current password matched (the new one is the same, or too weak) is no wrong guess.
  await admitted.settle(
    changed.ok || (changed.rejected && CURRENT_PASSWORD_MATCHED.has(changed.reason ?? '')),
  );
  if (!changed.ok)
    return refuse(changed.rejected ? failure('rejected', changed.messages) : changed.failure);
  // The other sessions are gone on the server; none may live on in this process's cache.
  core.cache?.clear();
  const rotated = await rotateSession(core, state, token, session);
  if (!rotated.ok) {
    // The password did change; without a new token, the old one must not stay in use.
    await endSession(core, state, token);
    clearSessionCookie(core, state);
    state.drop();
    return rotated;
  }
  return succeed(null, changed.messages);
}

/** Options of `logoutEverywhere`. */
export interface LogoutEverywhereOptions {
  /** Keep this request's session (log out every other device). Default `false`: this one ends too. */
  readonly keepCurrent?: boolean | undefined;
}

/** Ends every session of the user: all of them, or all but the current one with `keepCurrent`. */
export async function logoutEverywhere(
  core: WebCore,
  state: RequestState,
  options: LogoutEverywhereOptions,
): Promise<ActionResult<null>> {
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  if (typeof (options as unknown) !== 'object' || (options as unknown) === null)
    return refuse(invalidInput('the options must be an object'));
  const keep = options.keepCurrent ?? false;
  if (typeof (keep as unknown) !== 'boolean')
    return refuse(invalidInput('keepCurrent must be a boolean'));
  const user = state.user;
  if (user === null) return refuse(core.unauthenticated());
  const token = state.token;
  if (keep && token !== null && state.apiKey === null) {
    core.cache?.clear();
    // The server keeps the session named in session_token (whatever keep_current_session says).
    const ended = await core.call('session-delete-userid', () =>
      core.settings.client.sessionDeleteUserid({
        session_token: token,
        user_id: user.userId,
        keep_current_session: true,
        client_ipaddr: state.clientIp,
      }),
    );
    core.cache?.clear();
    if (!ended.ok && !ended.rejected) return refuse(ended.failure);
    return succeed(null);
  }
  if (!(await endAllSessions(core, state, user.userId))) return refuse(failure('unavailable'));
  if (state.apiKey === null) {
    clearSessionCookie(core, state);
    state.drop();
  }
  return succeed(null);
}
