/**
 * The in-memory authnzerver's user administration, as the server's `actions/admin.py` has it: listing and
 * looking up users (`user-list`, `user-lookup-email`, `user-lookup-match`, the last with SQLite's comparison
 * rules), editing a user (`user-edit`: a user its own name and email, a superuser more) and locking one
 * (`user-lock`, superusers only). The asking user's session must be live and match its id and role.
 */
import { ROLES } from '../permissions.js';
import { ADMIN_MESSAGES } from './messages.js';
import { internalUserLock } from './internal.js';
import { fail, failWithoutUser, userInfoReply, type ActionDict, type Body } from './replies.js';
import { isSystemUser, type Store, type UserRow } from './store.js';
import { asInteger, clone, pyBool } from './values.js';

/** The columns of the server's users table. */
const USER_COLUMNS = [
  'user_id',
  'system_id',
  'full_name',
  'password',
  'email',
  'email_verified',
  'is_active',
  'emailverify_sent_datetime',
  'emailforgotpass_sent_datetime',
  'emailchangepass_sent_datetime',
  'last_login_success',
  'last_login_try',
  'failed_login_tries',
  'extra_info',
  'created_on',
  'last_updated',
  'user_role',
];

/** What a superuser may change with `user-edit`. */
const SUPERUSER_EDITABLE = ['full_name', 'email', 'is_active', 'user_role', 'email_verified'];

/** `column == value` in SQLite for one user row (integer and boolean columns compare numerically). */
function columnEquals(row: UserRow, column: string, value: unknown): boolean {
  switch (column) {
    case 'user_id':
    case 'failed_login_tries':
      return asInteger(value) === row[column];
    case 'email_verified':
    case 'is_active':
      return asInteger(value) === (row[column] ? 1 : 0);
    case 'system_id':
    case 'full_name':
    case 'email':
    case 'user_role':
      return row[column] === value;
    default:
      // Datetimes are stored in another text form, and the password only as a hash.
      return false;
  }
}

/** Python's `str()` of a JSON value, near enough to compare values as text. */
const pyStr = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'boolean'
      ? pyBool(value)
      : JSON.stringify(value);

/** `user-list`: every user, or the one with `user_id`. */
export function userList(store: Store, body: Body): ActionDict {
  const rows =
    body.user_id === null
      ? store.sortedUsers()
      : [store.userById(body.user_id)].filter((row): row is UserRow => row !== undefined);
  return userInfoReply(
    rows.map((row) => store.userDict(row)),
    ADMIN_MESSAGES.found,
  );
}

/** `user-lookup-email`: the user with this email address, compared exactly. */
export function userLookupEmail(store: Store, body: Body): ActionDict {
  const user = store.userByEmail(body.email);
  if (user === undefined)
    return failWithoutUser('user email not found in DB', ADMIN_MESSAGES.notFound);
  return userInfoReply(store.userDict(user), ADMIN_MESSAGES.found);
}

/**
 * `user-lookup-match`: the users whose column `by` equals `match`, or with `by: 'extra_info'`, whose
 * `extra_info` holds every key and value of the dict `match` (as SQLite compares JSON values with text).
 */
export function userLookupMatch(store: Store, body: Body): ActionDict {
  const by = body.by;
  const match = body.match;
  const isDict = typeof match === 'object' && match !== null && !Array.isArray(match);
  if (isDict !== (by === 'extra_info'))
    return failWithoutUser(
      "invalid request: 'by' is 'extra_info' but 'match' is not a dict or 'match' is a dict and 'by' is not 'extra_info'",
      ADMIN_MESSAGES.badMatch,
    );
  const rows = store.sortedUsers();
  let found: UserRow[];
  if (isDict) {
    // SQLite compares each stored JSON value with Python's str() of the wanted value: only text can match.
    found = rows.filter((row) =>
      Object.entries(match as Record<string, unknown>).every(([key, wanted]) => {
        const stored = row.extra_info?.[key];
        return typeof stored === 'string' && stored === pyStr(wanted);
      }),
    );
  } else {
    if (typeof by !== 'string' || !USER_COLUMNS.includes(by))
      return failWithoutUser('exception in DB access', ADMIN_MESSAGES.notFound);
    found = rows.filter((row) => columnEquals(row, by, match));
  }
  return userInfoReply(
    found.map((row) => store.userDict(row)),
    ADMIN_MESSAGES.found,
  );
}

/**
 * The refusal of a `user-edit` that its asker may not make, or undefined when it may: a user (`authenticated`
 * or `staff`) its own name and email, a superuser anyone's name, email, activity, role and verification.
 */
function editRefused(
  store: Store,
  body: Body,
  update: Readonly<Record<string, unknown>>,
): ActionDict | undefined {
  const role = body.user_role;
  const sessionOk = store.sessionIsUser(body.session_token, body.user_id, role);
  const keys = Object.keys(update);
  if (
    asInteger(body.target_userid) === asInteger(body.user_id) &&
    (role === 'authenticated' || role === 'staff')
  ) {
    if (!sessionOk)
      return fail('no valid session found for originating user_id', ADMIN_MESSAGES.noUserSession, {
        user_info: null,
      });
    if (keys.some((key) => key !== 'full_name' && key !== 'email'))
      return failWithoutUser(
        `role '${role}' can't edit anything other than 'full_name', 'email'`,
        ADMIN_MESSAGES.extraKeys,
      );
    return undefined;
  }
  if (role !== 'superuser')
    return failWithoutUser('invalid session for edit attempt', ADMIN_MESSAGES.noSession);
  if (!sessionOk)
    return failWithoutUser('invalid session for edit attempt', ADMIN_MESSAGES.noSuperuserSession);
  if (keys.some((key) => !SUPERUSER_EDITABLE.includes(key)))
    return failWithoutUser(
      `role: 'superuser' is not allowed to edit items: '[${keys.map((key) => `'${key}'`).join(', ')}]'`,
      ADMIN_MESSAGES.extraKeys,
    );
  if ('user_role' in update && !(ROLES as readonly unknown[]).includes(update.user_role))
    return failWithoutUser('role change requested is not valid', ADMIN_MESSAGES.unknownRole);
  return undefined;
}

/** `user-edit`: changes a user as {@link editRefused} allows; never the system's anonymous and locked users. */
export function userEdit(store: Store, body: Body): ActionDict {
  const update = body.update_dict as Record<string, unknown>;
  if (isSystemUser(body.target_userid))
    return failWithoutUser(
      "invalid request: can't edit anonymous/locked users",
      ADMIN_MESSAGES.systemUser,
    );
  const refused = editRefused(store, body, update);
  if (refused !== undefined) return refused;
  const row = store.userById(body.target_userid);
  const badFlag = ['is_active', 'email_verified'].some(
    (key) => key in update && typeof update[key] !== 'boolean',
  );
  if (row === undefined || store.emailTaken(update.email, row) || badFlag)
    return failWithoutUser('exception when trying to update user', ADMIN_MESSAGES.updateFailed);
  store.touch(row, clone(update));
  return userInfoReply(store.userDict(row), ADMIN_MESSAGES.updated);
}

/** `user-lock`: a superuser locks or unlocks another user (not the system's anonymous and locked users). */
export function userLock(store: Store, body: Body): ActionDict {
  if (body.user_role !== 'superuser')
    return failWithoutUser(
      "user role is not 'superuser', required to toggle locks",
      ADMIN_MESSAGES.noLockPrivilege,
    );
  if (asInteger(body.target_userid) === asInteger(body.user_id))
    return failWithoutUser("can't toggle a lock state on self", ADMIN_MESSAGES.selfLock);
  if (body.action !== 'lock' && body.action !== 'unlock')
    return failWithoutUser(
      "action must be one of 'lock', 'unlock'",
      ADMIN_MESSAGES.unknownLockAction,
    );
  if (isSystemUser(body.target_userid))
    return failWithoutUser(
      "can't toggle lock state for system anonymous/locked accounts",
      ADMIN_MESSAGES.systemUser,
    );
  if (!store.sessionIsUser(body.session_token, body.user_id, body.user_role))
    return failWithoutUser(
      'invalid session for user attempting lock toggle',
      ADMIN_MESSAGES.noSuperuserSession,
    );
  return internalUserLock(store, body);
}
