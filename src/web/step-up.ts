/**
 * Step-up: `confirmPassword` checks the logged-in user's password (`user-passcheck`) and records the time in the
 * session's `extra_info_json` (`az_confirmed`, through `internal-session-edit`); `requireRecentAuth` is the guard
 * of a sensitive action, refusing with `reauthenticate` (403) when the last confirmation is older than asked.
 * `user-passcheck` has no back-off on the server, so wrong passwords are counted in the session
 * (`az_stepup_fails`) and the fifth one in a row ends it; they also count in the failed-log-in throttle
 * (`login-throttle.ts`), per user's email address and client address, across sessions and instances. `deleteAccount` (`user-delete`) needs both a recent
 * confirmation and the password.
 */
import { ConfigError } from '../core/errors.js';
import { ownSession } from './account.js';
import type { WebCore } from './core.js';
import { failure, INPUT_LIMITS, refuse, requiredString, succeed } from './failure.js';
import { admitPasswordCheck } from './login-throttle.js';
import { clearSessionCookie, endSession } from './sessions.js';
import type { RequestState } from './state.js';
import type { ActionResult, AuthFailure, UserSession } from './types.js';

/** The session key of the last password confirmation (epoch seconds). */
export const CONFIRMED_KEY = 'az_confirmed';
/** The session key of the wrong passwords given to `confirmPassword` in a row. */
export const FAILS_KEY = 'az_stepup_fails';
/** Wrong passwords in a row that end the session. */
export const MAX_STEP_UP_FAILS = 5;
/** How recent a confirmation `deleteAccount` and an email change need, by default: 5 minutes. */
export const DEFAULT_RECENT_SECONDS = 300;

/** Merges keys into the current session's `extra_info_json`, and into the request's copy of its row. */
async function editSession(
  core: WebCore,
  state: RequestState,
  token: string,
  update: Record<string, unknown>,
): Promise<boolean> {
  core.cache?.delete(token);
  const edited = await core.call('internal-session-edit', () =>
    core.settings.client.internalSessionEdit({
      target_session_token: token,
      update_dict: update,
      client_ipaddr: state.clientIp,
    }),
  );
  core.cache?.delete(token);
  if (!edited.ok) return false;
  if (state.info !== null && state.token === token) {
    state.info = { ...state.info, extra_info_json: { ...state.info.extra_info_json, ...update } };
  }
  return true;
}

/** Seconds since the session's last password confirmation; null when there is none. */
function confirmedAgo(core: WebCore, state: RequestState): number | null {
  const at = state.info?.extra_info_json?.[CONFIRMED_KEY];
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  const ago = core.now() / 1000 - at;
  // A time in the future is not ours: refuse it rather than trust it.
  return ago < -60 ? null : Math.max(0, ago);
}

/** The request's own session and the password given with it, or the failure (no session, bad input, CSRF). */
function withPassword(
  core: WebCore,
  state: RequestState,
  password: unknown,
):
  | { readonly token: string; readonly session: UserSession; readonly password: string }
  | AuthFailure {
  const own = ownSession(core, state);
  if ('code' in own) return own;
  const p = requiredString(password, 'password', INPUT_LIMITS.password);
  return typeof p === 'string' ? { ...own, password: p } : p;
}

/** Checks the user's password and records the time in the session. */
export async function confirmPassword(
  core: WebCore,
  state: RequestState,
  password: unknown,
): Promise<ActionResult<null>> {
  const own = withPassword(core, state, password);
  if ('code' in own) return refuse(own);
  const p = own.password;
  const { token } = own;
  const admitted = await admitPasswordCheck(core, state, own.session.email);
  if ('code' in admitted) return refuse(admitted);
  const checked = await core.call('user-passcheck', () =>
    core.settings.client.userPasscheck({
      session_token: token,
      password: p,
      client_ipaddr: state.clientIp,
    }),
  );
  await admitted.settle(checked.ok);
  if (!checked.ok && !checked.rejected) return refuse(checked.failure);
  if (!checked.ok) {
    const before = state.info?.extra_info_json?.[FAILS_KEY];
    const fails = (typeof before === 'number' ? before : 0) + 1;
    if (fails >= MAX_STEP_UP_FAILS) {
      // Someone is guessing the password of a session they hold: the session ends.
      await endSession(core, state, token);
      clearSessionCookie(core, state);
      state.drop();
      return refuse(core.unauthenticated());
    }
    await editSession(core, state, token, { [FAILS_KEY]: fails });
    return refuse(failure('rejected', checked.messages));
  }
  const recorded = await editSession(core, state, token, {
    [CONFIRMED_KEY]: Math.floor(core.now() / 1000),
    [FAILS_KEY]: 0,
  });
  return recorded ? succeed(null, checked.messages) : refuse(failure('unavailable'));
}

/** Checks a guard's age argument: the number, or a ConfigError naming it. */
export function checkMaxAge(maxAgeSeconds: unknown): number {
  if (typeof maxAgeSeconds !== 'number' || !Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) {
    throw new ConfigError('requireRecentAuth: maxAgeSeconds must be a number > 0', {
      option: 'maxAgeSeconds',
    });
  }
  return maxAgeSeconds;
}

/**
 * Null when the session's user confirmed the password within `maxAgeSeconds`; else 401 without a user, 403
 * `forbidden` for an API key (it cannot confirm a password), 403 `reauthenticate` for a session.
 *
 * @throws {ConfigError} when `maxAgeSeconds` is not a number > 0.
 */
export function requireRecentAuth(
  core: WebCore,
  state: RequestState,
  maxAgeSeconds: unknown,
): AuthFailure | null {
  const max = checkMaxAge(maxAgeSeconds);
  if (state.user === null) return core.unauthenticated();
  if (state.apiKey !== null) return failure('forbidden');
  const ago = confirmedAgo(core, state);
  return ago !== null && ago <= max ? null : failure('reauthenticate');
}

/** Deletes the user's own account (`user-delete`, with the password), after a recent confirmation. */
export async function deleteAccount(
  core: WebCore,
  state: RequestState,
  password: unknown,
): Promise<ActionResult<null>> {
  const own = withPassword(core, state, password);
  if ('code' in own) return refuse(own);
  const p = own.password;
  const recent = requireRecentAuth(core, state, DEFAULT_RECENT_SECONDS);
  if (recent !== null) return refuse(recent);
  const { session } = own;
  const deleted = await core.call('user-delete', () =>
    core.settings.client.userDelete({
      email: session.email,
      user_id: session.userId,
      password: p,
      client_ipaddr: state.clientIp,
    }),
  );
  if (!deleted.ok)
    return refuse(deleted.rejected ? failure('rejected', deleted.messages) : deleted.failure);
  // The server deleted the user's sessions with it.
  core.cache?.clear();
  clearSessionCookie(core, state);
  state.drop();
  return succeed(null, deleted.messages);
}
