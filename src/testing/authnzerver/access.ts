/**
 * The in-memory authnzerver's access and limit checks, as the server's `actions/access.py` has them:
 * `user-check-access` and `user-check-limit`, on the role rules of `../permissions.ts`, and then against the
 * stored users (the asking user, the owner and the shared-with users must exist, be active and, for the asker,
 * hold the role given). The API key actions start with the same access check.
 */
import {
  checkItemAccess,
  checkRoleLimit,
  sharedWithIds,
  UnknownRoleError,
} from '../permissions.js';
import { pyInt, PythonError } from '../py.js';
import { ACCESS_MESSAGES } from './messages.js';
import { fail, verdict, type ActionDict, type Body } from './replies.js';
import type { Store } from './store.js';

/** What {@link checkAccess} asks, as the request gives it (unchecked JSON values). */
export interface AccessRequest {
  readonly userId: unknown;
  readonly role: unknown;
  readonly action: unknown;
  readonly targetName: unknown;
  readonly owner: unknown;
  readonly visibility: unknown;
  readonly sharedWith: unknown;
}

/**
 * The server's `check_user_access`: the model's answer, then whether the asking user exists with that role
 * and is active, then whether the owner and the shared-with users exist and are active.
 * @throws {PythonError} when the user id or owner is not an integer.
 */
export function checkAccess(store: Store, request: AccessRequest): ActionDict {
  const userId = pyInt(request.userId);
  const owner = pyInt(request.owner);
  if (userId === undefined || owner === undefined) throw new PythonError('ValueError: int()');
  try {
    const granted = checkItemAccess({
      userId,
      role: String(request.role),
      action: String(request.action),
      targetName: String(request.targetName),
      targetOwner: owner,
      visibility: String(request.visibility),
      sharedWith: request.sharedWith,
    });
    const ids = new Set([userId, owner, ...sharedWithIds(request.sharedWith)]);
    const asker = store.users.get(userId);
    if (asker === undefined || asker.user_role !== request.role || !asker.is_active)
      return fail('user initiating request is not valid', ACCESS_MESSAGES.checked(false));
    const found = [...ids].filter((id) => store.users.get(id)?.is_active === true);
    if (found.length !== ids.size)
      return fail(
        'users specified as owner or shared-with not found',
        ACCESS_MESSAGES.checked(false),
      );
    return verdict(granted, ACCESS_MESSAGES.checked(granted), 'action not permitted');
  } catch (error) {
    if (!(error instanceof UnknownRoleError) && !(error instanceof SyntaxError)) throw error;
    return fail('exception when checking the DB', ACCESS_MESSAGES.accessUnchecked);
  }
}

/** `user-check-access`: may this user, in this role, act on this item? */
export function userCheckAccess(store: Store, body: Body): ActionDict {
  return checkAccess(store, {
    userId: body.user_id,
    role: body.user_role,
    action: body.action,
    targetName: body.target_name,
    owner: body.target_owner,
    visibility: body.target_visibility,
    sharedWith: body.target_sharedwith,
  });
}

/** `user-check-limit`: is this value within the role's limit, for an active user with that role? */
export function userCheckLimit(store: Store, body: Body): ActionDict {
  const userId = pyInt(body.user_id);
  if (userId === undefined) throw new PythonError('ValueError: int()');
  let passed: boolean;
  try {
    passed = checkRoleLimit(String(body.user_role), String(body.limit_name), body.value_to_check);
  } catch (error) {
    if (!(error instanceof UnknownRoleError)) throw error;
    return fail('exception when checking the DB', ACCESS_MESSAGES.limitUnchecked);
  }
  const user = store.users.get(userId);
  if (user?.user_role !== String(body.user_role) || !user.is_active)
    return fail('user attempting access not found', ACCESS_MESSAGES.limitChecked(false));
  return verdict(passed, ACCESS_MESSAGES.limitChecked(passed), 'user is over limit');
}
