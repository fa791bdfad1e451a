/**
 * The account routes of the test app (`apps.ts` mounts them on every framework): forgotten and reset password,
 * change password, log out everywhere, step-up and the guard behind it, account deletion, profile and email
 * change, resending verification and the password check. Each passes the form's fields as they came, so bad
 * input reaches the core unchanged.
 */
import type { Route } from './apps.js';
import { answer } from './apps.js';

const whoami = (a: Parameters<Route['handle']>[0]) => ({
  session: a.session.kind,
  userId: a.user?.userId ?? null,
});

/** The account routes. */
export const ACCOUNT_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/forgot',
    handle: async (a, body) => answer(await a.requestPasswordReset(body['email']), () => null),
  },
  {
    method: 'POST',
    path: '/reset',
    handle: async (a, body) =>
      answer(await a.resetPassword(body['token'], body['password']), (v) => v.email),
  },
  {
    method: 'POST',
    path: '/password',
    handle: async (a, body) =>
      answer(await a.changePassword(body['current'], body['next']), () => whoami(a)),
  },
  {
    method: 'POST',
    path: '/logout-everywhere',
    handle: async (a, body) =>
      answer(
        await a.logoutEverywhere(
          body['keepCurrent'] === undefined ? {} : { keepCurrent: body['keepCurrent'] as boolean },
        ),
        () => whoami(a),
      ),
  },
  {
    method: 'POST',
    path: '/confirm',
    handle: async (a, body) => answer(await a.confirmPassword(body['password']), () => null),
  },
  {
    method: 'POST',
    path: '/sensitive',
    guard: { kind: 'recent', maxAge: 300 },
    handle: (a) => Promise.resolve({ status: 200, json: whoami(a) }),
  },
  {
    method: 'POST',
    path: '/account/delete',
    handle: async (a, body) => answer(await a.deleteAccount(body['password']), () => null),
  },
  {
    method: 'POST',
    path: '/profile',
    handle: async (a, body) =>
      answer(
        await a.editProfile({
          ...('fullName' in body ? { fullName: body['fullName'] } : {}),
          ...('email' in body ? { email: body['email'] } : {}),
        }),
        (v) => v,
      ),
  },
  {
    method: 'GET',
    path: '/confirm-email',
    handle: async (a, _b, q) =>
      answer(await a.confirmEmailChange(q.get('token') ?? ''), (v) => v.email),
  },
  {
    method: 'POST',
    path: '/resend',
    handle: async (a, body) => answer(await a.resendVerification(body['email']), () => null),
  },
  {
    method: 'POST',
    path: '/password-check',
    handle: async (a, body) =>
      answer(
        await a.checkPassword({
          password: body['password'],
          ...('email' in body ? { email: body['email'] } : {}),
          ...('fullName' in body ? { fullName: body['fullName'] } : {}),
        }),
        (v) => v.valid,
      ),
  },
];
