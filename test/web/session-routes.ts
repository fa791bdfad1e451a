/**
 * The test app's routes for the session lifetime policy and session data (`lifetime.test.ts`,
 * `session-data.test.ts`): a log-in that passes its options as sent (so bad ones reach the core), and the
 * session's data, read and patched.
 */
import type { ActionResult, LoginOptions } from '../../src/web/index.js';
import type { Route } from './apps.js';

/** An action's result as the route's reply. */
function answer<T>(
  result: ActionResult<T>,
  value: (v: T) => unknown,
): { status: number; json: unknown } {
  return result.ok
    ? { status: 200, json: { ok: true, value: value(result.value) } }
    : {
        status: result.failure.status,
        json: { ok: false, code: result.failure.code, message: result.failure.message },
      };
}

export const SESSION_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/session/login',
    handle: async (a, body) =>
      answer(
        await a.login(body['email'], body['password'], body['options'] as LoginOptions),
        (s) => ({ userId: s.userId, expires: s.expires.toISOString() }),
      ),
  },
  {
    method: 'GET',
    path: '/session/data',
    handle: (a) =>
      Promise.resolve({
        status: 200,
        json: { session: a.session.kind, userId: a.user?.userId ?? null, data: a.data },
      }),
  },
  {
    method: 'POST',
    path: '/session/data',
    handle: async (a, body) => answer(await a.setData(body['patch']), (data) => data),
  },
];
