/**
 * The in-memory authnzerver's internal actions, which trust their caller and check no session: the server's
 * `internal_toggle_user_lock` (which `user-lock` and the failed-login lock-out use too), `internal-user-lock`,
 * `internal-user-delete`, `internal-user-edit` and `internal-session-edit`, plus the lock-out itself: locking a
 * user after repeated failed log-ins and unlocking it when its time is up.
 */
import { addSeconds, PythonError, truthy } from '../py.js';
import { ADMIN_MESSAGES, INTERNAL_MESSAGES, USER_MESSAGES } from './messages.js';
import { fail, failWithoutUser, userInfoReply, type ActionDict, type Body } from './replies.js';
import { isSystemUser, previousRoles, sessionDetails, type Store } from './store.js';
import { asInteger, clone, mergeUpdate } from './values.js';

/** The columns of the users table that `internal-user-edit` may not change. */
const UNEDITABLE_COLUMNS = [
  'user_id',
  'system_id',
  'password',
  'emailverify_sent_datetime',
  'emailforgotpass_sent_datetime',
  'emailchangepass_sent_datetime',
  'last_login_success',
  'last_login_try',
  'failed_login_tries',
  'created_on',
  'last_updated',
];

/** The failure reason of an internal edit without changes. */
const NO_UPDATE = "invalid request: missing 'update_dict' in request";

/** The body's `update_dict`, or undefined when it is empty, which the internal edits refuse. */
function updateOf(body: Body): Record<string, unknown> | undefined {
  const update = body.update_dict as Record<string, unknown>;
  return Object.keys(update).length === 0 ? undefined : update;
}

/**
 * The server's `internal_toggle_user_lock`: locking makes a user inactive with role `locked` (remembering its
 * role) and ends its sessions; unlocking restores the role it had. Toggling to the state a user is in succeeds.
 */
export function toggleLock(store: Store, target: unknown, action: 'lock' | 'unlock'): ActionDict {
  const row = store.userById(target);
  if (row === undefined || row.extra_info === null)
    return failWithoutUser(
      'exception encountered when trying lock toggle action',
      ADMIN_MESSAGES.lockFailed,
    );
  const previous = previousRoles(row.extra_info);
  if ((row.user_role === 'locked') !== (action === 'lock')) {
    if (action === 'lock') {
      store.touch(row, {
        is_active: false,
        user_role: 'locked',
        extra_info: { ...row.extra_info, previous_user_roles: [...previous, row.user_role] },
      });
      store.deleteSessionsOf(row.user_id);
    } else {
      store.touch(row, { is_active: true, user_role: String(previous.at(-1)) });
    }
  }
  return userInfoReply(store.userDict(row), ADMIN_MESSAGES.lockToggled);
}

/**
 * Locks the account with this email after repeated failed log-ins, as the server's lock-out does, and schedules
 * its unlock after `unlockAfterSeconds`. Returns whether there was such a user to lock.
 */
export function lockOutUser(store: Store, email: unknown, unlockAfterSeconds: number): boolean {
  const row = store.userByEmail(email);
  if (row === undefined) return false;
  const locked = toggleLock(store, row.user_id, 'lock');
  if (locked.success)
    store.unlocks.push({ userId: row.user_id, at: addSeconds(store.now(), unlockAfterSeconds) });
  return locked.success;
}

/** Unlocks the users whose lock-out time is up. */
export function runDueUnlocks(store: Store): void {
  const now = store.now();
  for (let i = store.unlocks.length - 1; i >= 0; i--) {
    const due = store.unlocks[i];
    if (due === undefined || due.at > now) continue;
    store.unlocks.splice(i, 1);
    toggleLock(store, due.userId, 'unlock');
  }
}

/** `internal-user-lock`: locks or unlocks any user but the system's anonymous and locked users. */
export function internalUserLock(store: Store, body: Body): ActionDict {
  if (body.action !== 'lock' && body.action !== 'unlock')
    return failWithoutUser(
      "action must be either 'lock' or 'unlock'",
      ADMIN_MESSAGES.unknownLockAction,
    );
  if (isSystemUser(body.target_userid))
    return failWithoutUser("can't edit anonymous/locked users", ADMIN_MESSAGES.systemUser);
  return toggleLock(store, body.target_userid, body.action);
}

/** `internal-user-delete`: deletes a user, if there is one, with its sessions and keys; always succeeds. */
export function internalUserDelete(store: Store, body: Body): ActionDict {
  const target = asInteger(body.target_userid);
  if (target !== undefined) store.deleteUser(target);
  return { success: true, user_id: body.target_userid, messages: [USER_MESSAGES.deleted] };
}

/** `internal-user-edit`: changes any columns but ids, the password and the bookkeeping dates. */
export function internalUserEdit(store: Store, body: Body): ActionDict {
  const update = updateOf(body);
  if (update === undefined) return fail(NO_UPDATE, INTERNAL_MESSAGES.editMissing);
  const disallowed = UNEDITABLE_COLUMNS.filter((key) => key in update);
  if (disallowed.length > 0)
    return fail(
      `invalid request: disallowed keys in update_dict: {${disallowed.map((key) => `'${key}'`).join(', ')}}`,
      INTERNAL_MESSAGES.editDisallowed,
    );
  const row = store.userById(body.target_userid);
  if (row === undefined) return fail('no such user', INTERNAL_MESSAGES.editFailed);
  const changes = clone(update);
  const dbError = (): ActionDict =>
    fail('DB error when updating user info', INTERNAL_MESSAGES.editFailed);
  if (changes.extra_info !== undefined && changes.extra_info !== null) {
    if (typeof changes.extra_info !== 'object' || Array.isArray(changes.extra_info))
      return dbError();
    changes.extra_info = mergeUpdate(row.extra_info, changes.extra_info as Record<string, unknown>);
  } else changes.extra_info = row.extra_info;
  const columns = new Set(Object.keys(row));
  if (Object.keys(changes).some((key) => !columns.has(key)) || store.emailTaken(changes.email, row))
    return dbError();
  store.touch(row, changes);
  return userInfoReply(store.userDict(row), INTERNAL_MESSAGES.edited);
}

/** `internal-session-edit`: merges an update into a live session's `extra_info_json`. */
export function internalSessionEdit(store: Store, body: Body): ActionDict {
  const update = updateOf(body);
  if (update === undefined)
    return fail(NO_UPDATE, INTERNAL_MESSAGES.sessionEditMissing, { session_info: null });
  const session =
    typeof body.target_session_token === 'string'
      ? store.sessions.get(body.target_session_token)
      : undefined;
  if (session === undefined || session.expires <= store.now())
    return fail('no such session', INTERNAL_MESSAGES.sessionEditFailed, { session_info: null });
  const stored = session.extra_info_json;
  // A stored value that is not a dict fails the merge, and the server's log line for that fails too (HTTP 400).
  if (truthy(stored) && (typeof stored !== 'object' || Array.isArray(stored)))
    throw new PythonError("KeyError: 'target_userid'");
  const merged = mergeUpdate(
    truthy(stored) ? (stored as Record<string, unknown>) : null,
    clone(update),
  );
  session.extra_info_json = merged;
  return {
    success: true,
    session_info: {
      user_id: session.user_id,
      session_token: session.session_token,
      ...sessionDetails(session),
    },
    messages: [INTERNAL_MESSAGES.sessionEdited],
  };
}
