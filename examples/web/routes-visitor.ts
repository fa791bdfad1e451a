/**
 * The example app's routes for visitors: the home page, sign-up and its verification link (and sending it
 * again), log-in and log-out, and the forgotten-password pages. Each route takes the web core's context and the
 * request's fields and gives a {@link Reply}.
 */
import type { AuthContext } from 'authnzerver/web';
import { forgotPage, resendPage, resetPage, resetSentPage } from './account-pages.js';
import {
  failurePage,
  homePage,
  loginPage,
  signedUpPage,
  signupPage,
  verifiedPage,
} from './pages.js';
import {
  info,
  page,
  redirect,
  refusal,
  text,
  viewerOf,
  type Refused,
  type Route,
} from './reply.js';

/** Sign-up, verification and log-in. */
function signupRoutes(): Route[] {
  return [
    { method: 'GET', path: '/', handle: (auth) => page(200, homePage(viewerOf(auth))) },
    { method: 'GET', path: '/signup', handle: (auth) => page(200, signupPage(viewerOf(auth))) },
    {
      method: 'POST',
      path: '/signup',
      async handle(auth, { form }) {
        const fullName = text(form, 'fullName');
        const email = text(form, 'email');
        const result = await auth.signup({ fullName, email, password: text(form, 'password') });
        const values = { fullName: fullName ?? '', email: email ?? '' };
        if (!result.ok) {
          return page(
            result.failure.status,
            signupPage(viewerOf(auth), values, refusal(result.failure)),
          );
        }
        return page(200, signedUpPage(viewerOf(auth), values.email, info(...result.messages)));
      },
    },
    {
      method: 'GET',
      path: '/verify-email',
      async handle(auth, { query }) {
        const result = await auth.verifyEmail(text(query, 'token'));
        if (!result.ok) {
          return page(
            result.failure.status,
            verifiedPage(viewerOf(auth), undefined, refusal(result.failure)),
          );
        }
        return page(
          200,
          verifiedPage(viewerOf(auth), result.value.email, info(...result.messages)),
        );
      },
    },
    {
      method: 'GET',
      path: '/login',
      handle(auth) {
        if (auth.session.kind === 'user') return redirect('/account');
        // No session is made for the form: log-in makes the one it needs, so a crawler fills no table.
        return page(200, loginPage(viewerOf(auth)));
      },
    },
    {
      method: 'POST',
      path: '/login',
      async handle(auth, { form }) {
        const email = text(form, 'email');
        const result = await auth.login(email, text(form, 'password'), {
          remember: text(form, 'remember') === 'yes',
        });
        if (result.ok) return redirect('/account');
        return page(
          result.failure.status,
          loginPage(viewerOf(auth), email ?? '', refusal(result.failure)),
        );
      },
    },
  ];
}

/** A neutral request (reset link, verification link): the same page for every well-formed address. */
async function neutral(
  auth: AuthContext,
  ask: Promise<{ ok: boolean; failure?: Parameters<typeof refusal>[0] }>,
  form: (notice?: ReturnType<typeof refusal>) => string,
  done: () => string,
) {
  const result = await ask;
  if (!result.ok && result.failure !== undefined)
    return page(result.failure.status, form(refusal(result.failure)));
  return page(200, done());
}

/** Log-out, forgotten password and resending the verification link. */
function recoveryRoutes(refused: Refused): Route[] {
  return [
    {
      method: 'POST',
      path: '/logout',
      async handle(auth) {
        const result = await auth.logout();
        if (!result.ok) return refused('/logout', result.failure, auth);
        return page(200, failurePage({}, 'Logged out', info('You are logged out.')));
      },
    },
    {
      method: 'GET',
      path: '/forgot-password',
      handle: (auth) => page(200, forgotPage(viewerOf(auth))),
    },
    {
      method: 'POST',
      path: '/forgot-password',
      handle: (auth, { form }) =>
        neutral(
          auth,
          auth.requestPasswordReset(text(form, 'email')),
          (notice) => forgotPage(viewerOf(auth), notice),
          () => resetSentPage(viewerOf(auth)),
        ),
    },
    {
      method: 'GET',
      path: '/reset-password',
      handle: (auth, { query }) => page(200, resetPage(viewerOf(auth), text(query, 'token') ?? '')),
    },
    {
      method: 'POST',
      path: '/reset-password',
      async handle(auth, { form }) {
        const token = text(form, 'token');
        const result = await auth.resetPassword(token, text(form, 'password'));
        if (!result.ok) {
          return page(
            result.failure.status,
            resetPage(viewerOf(auth), token ?? '', refusal(result.failure)),
          );
        }
        const done = info('Your password is changed, and every session of your account has ended.');
        return page(200, loginPage(viewerOf(auth), result.value.email, done));
      },
    },
    {
      method: 'GET',
      path: '/resend-verification',
      handle: (auth) => page(200, resendPage(viewerOf(auth))),
    },
    {
      method: 'POST',
      path: '/resend-verification',
      handle: (auth, { form }) =>
        neutral(
          auth,
          auth.resendVerification(text(form, 'email')),
          (notice) => resendPage(viewerOf(auth), notice),
          () =>
            resendPage(
              viewerOf(auth),
              info('If this address waits for verification, we sent it a new link.'),
            ),
        ),
    },
  ];
}

/**
 * `POST /password-check`: the auth server's password policy on a password, as JSON (`{ valid, messages }`), for
 * live feedback on the sign-up and reset forms. The password goes to this app only.
 */
const passwordCheck: Route = {
  method: 'POST',
  path: '/password-check',
  async handle(auth, { form }) {
    const result = await auth.checkPassword({
      password: text(form, 'password'),
      email: text(form, 'email') ?? '',
      fullName: text(form, 'fullName') ?? '',
    });
    const body = result.ok
      ? { valid: result.value.valid, messages: result.messages }
      : { error: result.failure.code, message: result.failure.message };
    return {
      status: result.ok ? 200 : result.failure.status,
      type: 'json',
      body: JSON.stringify(body),
    };
  },
};

/** The visitor routes. */
export function visitorRoutes(refused: Refused): Route[] {
  return [...signupRoutes(), ...recoveryRoutes(refused), passwordCheck];
}
