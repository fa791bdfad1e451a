/**
 * The in-memory authnzerver's log-in and password actions, as the server's `actions/loginlogout.py`,
 * `passcheck.py`, `passchange.py` and `passreset.py` have them: `user-login` and `user-logout`,
 * `user-passcheck` with and without a session, `user-validatepass`, and changing and resetting a password with
 * and without a session. Passwords are compared after the server's truncation to 256 code points, and a new
 * one must pass the password policy.
 */
import { PythonError } from '../py.js';
import { LOGIN_MESSAGES, PASSWORD_MESSAGES } from './messages.js';
import { sessionDeleteUserid } from './sessions.js';
import { fail, userReply, verdict, type ActionDict, type Body } from './replies.js';
import type { Store, UserRow } from './store.js';
import { asInteger, clip, hashSecret, verifySecret } from './values.js';

/** The refusal of an action that needs the asking session, when it has expired or never was. */
const noSession = (): ActionDict =>
  fail('session does not exist', LOGIN_MESSAGES.noSession, { user_id: null });

/** The refusal of a user id and password, worded the same whether the user exists or not. */
const credentialsRefused = (reason: string, userId: number | null): ActionDict =>
  fail(reason, LOGIN_MESSAGES.mismatch, { user_id: userId });

const noMatch = (): ActionDict =>
  credentialsRefused("user does not exist or password doesn't match", null);

const inactive = (user: UserRow): ActionDict =>
  credentialsRefused('user exists but is inactive', user.user_id);

const accepted = (user: UserRow, message: string): ActionDict => ({
  success: true,
  user_id: user.user_id,
  user_role: user.user_role,
  messages: [message],
});

/** Whether a password, truncated as the server truncates it, is the user's. */
const passwordMatches = (user: UserRow, password: unknown): boolean =>
  verifySecret(user.password, clip(String(password)));

/** `user-login`: the session that logs in is always deleted; the app makes a new one for the user. */
export function userLogin(store: Store, body: Body): ActionDict {
  const session = store.liveSession(body.session_token);
  if (session === undefined) return noSession();
  const user = store.userByEmail(body.email);
  const ok =
    user !== undefined &&
    user.is_active &&
    user.email_verified &&
    passwordMatches(user, body.password);
  store.deleteSession(session.session_token);
  if (!ok) return noMatch();
  if (user.user_role === 'locked') return inactive(user);
  return accepted(user, LOGIN_MESSAGES.loggedIn);
}

/** `user-logout`: deletes the session when it belongs to the user. */
export function userLogout(store: Store, body: Body): ActionDict {
  const session = store.liveSession(body.session_token);
  const failed = (reason: string): ActionDict =>
    fail(reason, LOGIN_MESSAGES.logoutFailed, { user_id: body.user_id });
  if (session === undefined) return failed('session does not exist');
  if (asInteger(body.user_id) !== session.user_id) return failed('user does not exist');
  store.deleteSession(session.session_token);
  return { success: true, user_id: session.user_id, messages: [LOGIN_MESSAGES.loggedOut] };
}

/** The server's password check for a user: the password must match and the user be active and unlocked. */
function passcheck(user: UserRow | undefined, password: unknown): ActionDict {
  if (user === undefined || !passwordMatches(user, password)) return noMatch();
  if (user.is_active && user.user_role !== 'locked') return accepted(user, LOGIN_MESSAGES.verified);
  return inactive(user);
}

/** `user-passcheck`: the password of the session's user. */
export function userPasscheck(store: Store, body: Body): ActionDict {
  const session = store.liveSession(body.session_token);
  if (session === undefined) return noSession();
  return passcheck(store.users.get(session.user_id), body.password);
}

/** `user-passcheck-nosession`: the password of the user with this email address. */
export function userPasscheckNosession(store: Store, body: Body): ActionDict {
  return passcheck(store.userByEmail(body.email), body.password);
}

/** `user-validatepass`: the password policy's verdict on a password for a user. */
export function userValidatepass(store: Store, body: Body): ActionDict {
  // A running server applies its configured policy; the request's own policy kwargs are ignored.
  const check = store.passwordCheck(
    String(body.full_name),
    String(body.email),
    String(body.password),
  );
  return verdict(check.ok, check.messages, 'password is insecure or invalid');
}

/**
 * The server's `change_user_password`: the current password, then a new one that differs and passes the
 * policy. With a session, the user's other sessions are ended.
 */
function changePassword(store: Store, body: Body, withSession: boolean): ActionDict {
  const user = store.userById(body.user_id);
  if (user === undefined || user.email !== body.email || !user.is_active)
    return userReply(body, 'user does not exist', PASSWORD_MESSAGES.currentMismatch);
  const next = clip(String(body.new_password));
  if (!passwordMatches(user, body.current_password))
    return userReply(body, 'user password does not match', PASSWORD_MESSAGES.currentMismatch);
  if (verifySecret(user.password, next))
    return userReply(body, 'password did not change', PASSWORD_MESSAGES.unchanged);
  const check = store.passwordCheck(String(body.full_name), user.email, next);
  if (!check.ok)
    return userReply(body, 'new password is insecure', [
      ...check.messages,
      PASSWORD_MESSAGES.insecure,
    ]);
  store.touch(user, { password: hashSecret(next) });
  if (!withSession) return userReply(body, null, [...check.messages, PASSWORD_MESSAGES.changed]);
  sessionDeleteUserid(store, { session_token: body.session_token, user_id: user.user_id });
  return userReply(body, null, [
    ...check.messages,
    PASSWORD_MESSAGES.changed,
    PASSWORD_MESSAGES.otherSessionsEnded,
  ]);
}

/** `user-changepass`: changes a password, logged in; the user's other sessions end. */
export const userChangepass = (store: Store, body: Body): ActionDict =>
  changePassword(store, body, true);

/** `user-changepass-nosession`: changes a password without a session. */
export const userChangepassNosession = (store: Store, body: Body): ActionDict =>
  changePassword(store, body, false);

/**
 * The server's `verify_password_reset`: a new password for the user with this email address (active, or as
 * `required_active` says without a session) that passes the policy.
 */
function resetPassword(store: Store, body: Body, withSession: boolean): ActionDict {
  if (withSession && store.liveSession(body.session_token) === undefined)
    return fail('session does not exist', PASSWORD_MESSAGES.resetNoSession);
  const active = withSession ? true : body.required_active;
  const user = store.userByEmail(body.email_address);
  if (user === undefined || user.is_active !== active)
    return fail(
      withSession ? 'user does not exist' : 'user does not exist or is_active was not as required',
      PASSWORD_MESSAGES.resetInvalidUser,
    );
  const next = clip(String(body.new_password));
  if (user.full_name === null) throw new PythonError("AttributeError: 'NoneType' has no casefold");
  const check = store.passwordCheck(user.full_name, String(body.email_address), next);
  if (!check.ok)
    return withSession
      ? fail('invalid password', [PASSWORD_MESSAGES.resetInsecure, ...check.messages])
      : fail('invalid new password', [PASSWORD_MESSAGES.resetInsecureNew, ...check.messages]);
  store.touch(user, { password: hashSecret(next) });
  return { success: true, messages: [...check.messages, PASSWORD_MESSAGES.changed] };
}

/** `user-resetpass`: resets an active user's password, with a live session. */
export const userResetpass = (store: Store, body: Body): ActionDict =>
  resetPassword(store, body, true);

/** `user-resetpass-nosession`: resets a password without a session. */
export const userResetpassNosession = (store: Store, body: Body): ActionDict =>
  resetPassword(store, body, false);
