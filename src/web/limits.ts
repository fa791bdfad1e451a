/**
 * Limits: `checkLimit` (authnzerver's `user-check-limit` for the caller's role) and `limitRequests`, which counts
 * the caller's requests over a window in the store (this process's memory by default, or Redis shared by every
 * instance) and asks `user-check-limit` whether the count is within the role's limit. A window starts with a
 * user's first request after the last one ended. Over it: 429 with Retry-After, the seconds left in the window.
 * A server that does not answer fails the request closed (503), never lets it through; a store that fails does
 * what its `whenDown` says.
 */
import type { WebCore } from './core.js';
import { failure, invalidInput } from './failure.js';
import type { RequestState } from './state.js';
import type { AuthFailure } from './types.js';

/** `user-check-limit` for the caller's role: null when `value` is within the limit `limitName`. */
export async function checkLimit(
  core: WebCore,
  state: RequestState,
  limitName: string,
  value: unknown,
  retryAfter?: number,
): Promise<AuthFailure | null> {
  const user = state.user;
  if (user === null) return core.unauthenticated();
  if (value === null || value === undefined) return invalidInput('value is required');
  const checked = await core.call('user-check-limit', () =>
    core.settings.client.userCheckLimit({
      user_id: user.userId,
      user_role: user.role,
      limit_name: limitName,
      value_to_check: value,
      client_ipaddr: state.clientIp,
    }),
  );
  if (checked.ok) return null;
  return checked.rejected ? failure('over-limit', checked.messages, retryAfter) : checked.failure;
}

/** Counts the caller's request in its window and checks the count against the role's limit. */
export function limitRequests(
  core: WebCore,
  state: RequestState,
  limitName: string,
  windowSeconds: number,
): Promise<AuthFailure | null> {
  const user = state.user;
  if (user === null) return Promise.resolve(core.unauthenticated());
  const store = core.settings.store;
  return store.increment(`limit:${user.userId}:${windowSeconds}`, windowSeconds * 1000).then(
    (counted) =>
      checkLimit(
        core,
        state,
        limitName,
        counted.value,
        Math.max(1, Math.ceil(counted.ttlMs / 1000)),
      ),
    () => {
      if (store.whenDown === 'open') {
        core.warn(
          'the store failed: limitRequests let a request through unchecked (whenDown: open)',
        );
        return null;
      }
      core.warn('the store failed: limitRequests refused a request with 503 (whenDown: closed)');
      return failure('unavailable');
    },
  );
}
