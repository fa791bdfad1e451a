/**
 * The example app's routes for a logged-in user's account: the account page, step-up (`/confirm`), changing the
 * password, the profile and email change, logging out everywhere else, and deleting the account. Changing the
 * email and deleting the account need a recent password confirmation.
 */
import { changePasswordPage, confirmPage, deletePage, profilePage } from './account-pages.js';
import { accountPage, failurePage, verifiedPage } from './pages.js';
import {
  info,
  localPath,
  page,
  redirect,
  refusal,
  text,
  viewerOf,
  withRecentAuth,
  withUser,
  type Route,
} from './reply.js';

/** Step-up and the password. */
function passwordRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/confirm',
      handle: (auth, { query }) =>
        withUser(auth, () =>
          page(200, confirmPage(viewerOf(auth), localPath(text(query, 'next')))),
        ),
    },
    {
      method: 'POST',
      path: '/confirm',
      handle: (auth, { form }) =>
        withUser(auth, async () => {
          const next = localPath(text(form, 'next'));
          const result = await auth.confirmPassword(text(form, 'password'));
          if (result.ok) return redirect(next);
          if (auth.session.kind !== 'user') return redirect('/login');
          return page(
            result.failure.status,
            confirmPage(viewerOf(auth), next, refusal(result.failure)),
          );
        }),
    },
    {
      method: 'GET',
      path: '/account/password',
      handle: (auth) => withUser(auth, () => page(200, changePasswordPage(viewerOf(auth)))),
    },
    {
      method: 'POST',
      path: '/account/password',
      handle: (auth, { form }) =>
        withUser(auth, async () => {
          const result = await auth.changePassword(text(form, 'current'), text(form, 'next'));
          if (!result.ok) {
            return page(
              result.failure.status,
              changePasswordPage(viewerOf(auth), refusal(result.failure)),
            );
          }
          const session = auth.session;
          if (session.kind !== 'user') return redirect('/login');
          return page(200, accountPage(session, info(...result.messages)));
        }),
    },
  ];
}

/** The profile and the email address. */
function profileRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/account/profile',
      handle: (auth) =>
        withUser(auth, (s) =>
          page(200, profilePage(viewerOf(auth), { fullName: s.fullName ?? '', email: s.email })),
        ),
    },
    {
      method: 'POST',
      path: '/account/profile',
      handle: (auth, { form }) =>
        withUser(auth, async (s) => {
          const result = await auth.editProfile({ fullName: text(form, 'fullName') });
          const values = { fullName: text(form, 'fullName') ?? '', email: s.email };
          if (!result.ok)
            return page(
              result.failure.status,
              profilePage(viewerOf(auth), values, refusal(result.failure)),
            );
          return page(200, profilePage(viewerOf(auth), values, info('Your name is saved.')));
        }),
    },
    {
      method: 'POST',
      path: '/account/email',
      handle: (auth, { form }) =>
        withRecentAuth(auth, '/account/profile', async (s) => {
          const result = await auth.editProfile({ email: text(form, 'email') });
          const values = { fullName: s.fullName ?? '', email: text(form, 'email') ?? '' };
          if (!result.ok)
            return page(
              result.failure.status,
              profilePage(viewerOf(auth), values, refusal(result.failure)),
            );
          const sent = `We sent a link to ${result.value.pendingEmail ?? ''}: your address changes when it is opened.`;
          return page(200, profilePage(viewerOf(auth), values, info(sent)));
        }),
    },
    {
      method: 'GET',
      path: '/confirm-email',
      async handle(auth, { query }) {
        const result = await auth.confirmEmailChange(text(query, 'token'));
        if (!result.ok)
          return page(
            result.failure.status,
            verifiedPage(viewerOf(auth), undefined, refusal(result.failure)),
          );
        return page(
          200,
          verifiedPage(viewerOf(auth), result.value.email, info('Address changed.')),
        );
      },
    },
  ];
}

/** The account page, log-out everywhere else, and deletion. */
function accountRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/account',
      handle: (auth) => withUser(auth, (session) => page(200, accountPage(session))),
    },
    {
      method: 'POST',
      path: '/logout-everywhere',
      handle: (auth) =>
        withUser(auth, async (session) => {
          const result = await auth.logoutEverywhere({ keepCurrent: true });
          const notice = result.ok
            ? info('Every other session of your account has ended.')
            : refusal(result.failure);
          return page(result.ok ? 200 : result.failure.status, accountPage(session, notice));
        }),
    },
    {
      method: 'GET',
      path: '/account/delete',
      handle: (auth) =>
        withRecentAuth(auth, '/account/delete', () => page(200, deletePage(viewerOf(auth)))),
    },
    {
      method: 'POST',
      path: '/account/delete',
      handle: (auth, { form }) =>
        withRecentAuth(auth, '/account/delete', async () => {
          const result = await auth.deleteAccount(text(form, 'password'));
          if (!result.ok)
            return page(result.failure.status, deletePage(viewerOf(auth), refusal(result.failure)));
          return page(200, failurePage({}, 'Account deleted', info('Your account is deleted.')));
        }),
    },
  ];
}

/** The account routes. */
export function accountRoutesAll(): Route[] {
  return [...passwordRoutes(), ...profileRoutes(), ...accountRoutes()];
}
