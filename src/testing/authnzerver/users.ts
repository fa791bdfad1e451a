/**
 * The in-memory authnzerver's user accounts, as the server's `actions/user.py` and `actions/email.py` have
 * them: signing up (`user-new`, which makes an inactive, locked user until its email address is verified, and
 * may refresh a pending sign-up), deleting one's own account (`user-delete`), and the email bookkeeping
 * (`user-set-emailverified`, `user-set-emailsent`, and the two `user-sendemail-*` types, which cannot succeed at
 * the server's git HEAD). No email is sent.
 */
import { randomUUID } from 'node:crypto';
import { emailAcceptable, fullNameLooksLikeLink, normalizeEmail } from '../policy.js';
import { pyInt, PythonError, secondsBetween, squeeze, truthy, xhtmlEscape } from '../py.js';
import { USER_MESSAGES } from './messages.js';
import { fail, userReply, type ActionDict, type Body } from './replies.js';
import { previousRoles, type Store, type UserRow } from './store.js';
import { clip, clone, hashSecret, isoOrNull, verifySecret } from './values.js';

/** What a sign-up reply says of the user, whether made now or found. */
const signedUp = (row: UserRow, sendVerification: boolean) => ({
  user_email: row.email,
  user_id: row.user_id,
  system_id: row.system_id,
  send_verification: sendVerification,
});

/**
 * `user-new`: signs a user up, inactive and locked until `user-set-emailverified`. Signing up again with the
 * email address of a user still inactive after `verify_retry_wait` hours refreshes that sign-up.
 */
export function userNew(store: Store, body: Body): ActionDict {
  const refused = (reason: string, messages: string[], email: unknown = null): ActionDict => ({
    success: false,
    user_email: email,
    user_id: null,
    send_verification: false,
    failure_reason: reason,
    messages,
  });
  const rawEmail = String(body.email);
  if (!emailAcceptable(rawEmail)) return refused('invalid email', [USER_MESSAGES.invalidEmail]);
  const email = normalizeEmail(rawEmail);
  const fullName = squeeze(xhtmlEscape(String(body.full_name).normalize('NFKC')));
  if (fullNameLooksLikeLink(fullName))
    return refused('invalid full name', [USER_MESSAGES.linkInName]);
  let retryWait = pyInt(body.verify_retry_wait ?? 6) ?? 6;
  if (retryWait < 1) retryWait = 1;
  const systemId = typeof body.system_id === 'string' ? body.system_id : randomUUID();
  const password = clip(String(body.password));
  const check = store.passwordCheck(fullName, email, password);
  if (!check.ok) return refused('invalid password', check.messages, email);
  const messages = [...check.messages, USER_MESSAGES.created];

  const given = body.extra_info;
  const extraOk = !truthy(given) || (typeof given === 'object' && !Array.isArray(given));
  const extraInfo = {
    ...(truthy(given) ? clone(given as Record<string, unknown>) : {}),
    provenance: 'request-created',
    type: 'normal-user',
    verify_retry_wait: retryWait,
  };
  const existing = store.userByEmail(email);
  if (extraOk && existing === undefined && !store.systemIdTaken(systemId)) {
    const row = store.insertUser({
      email,
      password,
      fullName,
      role: 'locked',
      active: false,
      verified: false,
      extraInfo,
      systemId,
      emailverifySent: store.now(),
    });
    return { success: true, ...signedUp(row, true), messages };
  }
  if (existing === undefined) return refused('DB issue with user creation', messages);
  if (existing.emailverify_sent_datetime === null)
    throw new PythonError(
      "TypeError: unsupported operand type(s) for -: 'datetime' and 'NoneType'",
    );
  const resend =
    !existing.is_active &&
    secondsBetween(existing.emailverify_sent_datetime, store.now()) > retryWait * 3600;
  if (resend && extraOk) {
    store.touch(existing, {
      full_name: fullName,
      password: hashSecret(password),
      email_verified: false,
      is_active: false,
      emailverify_sent_datetime: store.now(),
      user_role: 'locked',
      extra_info: extraInfo,
    });
  }
  return {
    success: false,
    ...signedUp(existing, resend),
    failure_reason: 'user exists',
    messages,
  };
}

/** `user-delete`: a user deletes its own account, with its password; superusers cannot be deleted. */
export function userDelete(store: Store, body: Body): ActionDict {
  const user = store.userById(body.user_id);
  if (user === undefined || user.email !== body.email)
    return userReply(body, 'invalid email', USER_MESSAGES.notVerified);
  if (!verifySecret(user.password, clip(String(body.password))))
    return userReply(body, 'invalid password', USER_MESSAGES.notVerified);
  if (user.user_role === 'superuser')
    return userReply(body, "can't delete superusers", USER_MESSAGES.superuserKept);
  store.deleteUser(user.user_id);
  return userReply(body, null, USER_MESSAGES.deleted);
}

/** `user-set-emailverified`: activates a signed-up user in its role from before the lock (or `authenticated`). */
export function userSetEmailverified(store: Store, body: Body): ActionDict {
  const user = store.userByEmail(body.email);
  if (user === undefined)
    return fail('could not find user in DB by email', USER_MESSAGES.verifiedNotSet, {
      user_id: null,
      is_active: false,
      user_role: 'locked',
    });
  if (user.extra_info === null) throw new PythonError("AttributeError: 'NoneType' has no get");
  const previous = previousRoles(user.extra_info);
  const role =
    user.user_role !== 'locked'
      ? user.user_role
      : previous.at(-1) !== 'locked'
        ? String(previous.at(-1))
        : 'authenticated';
  if (!user.is_active)
    store.touch(user, { is_active: true, email_verified: true, user_role: role });
  return {
    success: true,
    user_id: user.user_id,
    is_active: user.is_active,
    user_role: user.user_role,
    messages: [USER_MESSAGES.verifiedSet],
  };
}

/** `user-set-emailsent`: records when a sign-up or forgotten-password email went out. */
export function userSetEmailsent(store: Store, body: Body): ActionDict {
  const column =
    body.email_type === 'signup'
      ? 'emailverify_sent_datetime'
      : body.email_type === 'forgotpass'
        ? 'emailforgotpass_sent_datetime'
        : undefined;
  if (column === undefined)
    return fail('invalid request: invalid email_type requested', USER_MESSAGES.emailSentInvalid);
  const user = store.userByEmail(body.email);
  // The server's log line for this failure reads the missing row and raises (HTTP 400).
  if (user === undefined)
    throw new PythonError("AttributeError: 'NoneType' object has no attribute 'user_id'");
  store.touch(user, { [column]: store.now() });
  return {
    success: true,
    email: user.email,
    emailverify_sent_datetime: isoOrNull(user.emailverify_sent_datetime),
    emailforgotpass_sent_datetime: isoOrNull(user.emailforgotpass_sent_datetime),
    user_id: user.user_id,
    is_active: user.is_active,
    user_role: user.user_role,
    messages: [USER_MESSAGES.emailSentSet],
  };
}

/** `user-sendemail-signup`: at the server's git HEAD the schema and the action disagree, so it cannot succeed. */
export function userSendemailSignup(_store: Store, body: Body): ActionDict {
  if (!('account_verify_url' in body))
    return fail(
      "invalid request: missing 'account_verify_url' in request",
      USER_MESSAGES.signupEmailInvalid,
      { user_id: null, email_address: null, emailverify_sent_datetime: null },
    );
  throw new PythonError(
    "TypeError: string indices must be integers (created_info['send_verification'])",
  );
}

/** `user-sendemail-forgotpass`: the schema types `email_address` as int, so no user can match it. */
export function userSendemailForgotpass(): ActionDict {
  return fail('invalid user for forgot-pass email request', USER_MESSAGES.forgotpassEmailInvalid, {
    user_id: null,
    email_address: null,
    emailforgotpass_sent_datetime: null,
  });
}
