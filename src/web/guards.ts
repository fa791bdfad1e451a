/**
 * The guards: whether the request's caller may go on. Each gives null to pass, or the failure to answer: 401 when
 * there is no user (with a `Bearer` challenge where API keys count), 403 when the user may not (with
 * `error="insufficient_scope"` for an API key, RFC 6750). `requireAccess` asks authnzerver (`user-check-access`)
 * and fails closed (503) when it does not answer.
 */
import type { WebCore } from './core.js';
import { bearerChallenge, challenged, failure } from './failure.js';
import type { RequestState } from './state.js';
import type { AccessQuery, AuthFailure } from './types.js';

/** A 403 for the caller: with an `insufficient_scope` challenge when the caller came with an API key. */
function forbidden(
  core: WebCore,
  state: RequestState,
  messages: readonly string[] = [],
): AuthFailure {
  const f = failure('forbidden', messages);
  const keys = core.settings.apiKeys;
  return state.apiKey === null || keys === null
    ? f
    : challenged(f, keys.challenge('insufficient_scope'));
}

/** A user, by session or API key. */
export function requireUser(core: WebCore, state: RequestState): AuthFailure | null {
  return state.user === null ? core.unauthenticated() : null;
}

/** A valid API key: a session cookie is not enough. */
export function requireApiKey(core: WebCore, state: RequestState): AuthFailure | null {
  if (state.apiKey !== null) return null;
  const keys = core.settings.apiKeys;
  return challenged(failure('unauthenticated'), keys?.challenge() ?? bearerChallenge(undefined));
}

/** A user with one of the roles. */
export function requireRole(
  core: WebCore,
  state: RequestState,
  roles: readonly string[],
): AuthFailure | null {
  if (state.user === null) return core.unauthenticated();
  return roles.includes(state.user.role) ? null : forbidden(core, state);
}

/** A user that `user-check-access` allows to act on the target. */
export async function requireAccess(
  core: WebCore,
  state: RequestState,
  query: AccessQuery,
): Promise<AuthFailure | null> {
  const user = state.user;
  if (user === null) return core.unauthenticated();
  const checked = await core.call('user-check-access', () =>
    core.settings.client.userCheckAccess({
      user_id: user.userId,
      user_role: user.role,
      action: query.action,
      target_name: query.targetName,
      target_owner: query.targetOwner ?? user.userId,
      target_visibility: query.targetVisibility ?? 'private',
      target_sharedwith: (query.targetSharedWith ?? []).join(','),
      client_ipaddr: state.clientIp,
    }),
  );
  if (checked.ok) return null;
  return checked.rejected ? forbidden(core, state, checked.messages) : checked.failure;
}
