/**
 * Sign-up and email verification. `signup` runs `user-new` and sends an email: a verification link whose token
 * (Fernet under the app's own key) is bound to the address, or, for an address that already has an account, a
 * notice to its owner; both answer alike, so the form never tells whether an address is registered.
 * `verifyEmail` opens a token and, only for a sign-up still waiting for it, marks the address verified: a link
 * works once, and never wakes a locked or deleted account.
 */
import { openPayload } from './crypto.js';
import { ConfigError } from '../core/errors.js';
import type { WebCore } from './core.js';
import {
  failure,
  INPUT_LIMITS,
  invalidInput,
  refuse,
  requiredString,
  succeed,
  type CallResult,
} from './failure.js';
import { checkOrigin } from './sessions.js';
import type { EmailSettings } from './settings.js';
import type { RequestState } from './state.js';
import type { ActionResult, SignupValue } from './types.js';

/** The checked email-verification payload. */
interface EmailTokenPayload {
  readonly ema: string;
  readonly ver: 1;
}

/** What `user-lookup-email` says of a user, as far as verification needs. */
interface UserLookup {
  readonly user_info: {
    readonly email_verified?: unknown;
    readonly is_active?: unknown;
    readonly user_role?: unknown;
  } | null;
}

/** The email settings of an action that needs them. */
export function emailSettings(core: WebCore, action: string): EmailSettings {
  const email = core.settings.email;
  if (email === null) {
    throw new ConfigError(
      `${action}: createWebAuth needs the \`emailVerification\` option to send verification links`,
      { option: 'emailVerification' },
    );
  }
  return email;
}

/** What `user-new` said of an address that already has an account (its failure reply). */
function existingAccount(
  created: CallResult<unknown>,
): { readonly resend: boolean; readonly email: unknown } | null {
  if (created.ok || !created.rejected) return null;
  const reply = (created.response ?? {}) as {
    user_id?: unknown;
    send_verification?: unknown;
    user_email?: unknown;
  };
  // "user exists" is the server's reason; its reply also names the existing user (which is never passed on).
  if (created.reason !== 'user exists' && typeof reply.user_id !== 'number') return null;
  return { resend: reply.send_verification === true, email: reply.user_email };
}

/** Whether a user row is a sign-up still waiting for its email to be verified (inactive, locked, unverified). */
export function awaitsVerification(row: UserLookup['user_info']): boolean {
  return (
    row !== null &&
    row.email_verified === false &&
    row.is_active === false &&
    row.user_role === 'locked'
  );
}

/** The verification email: a link with a token bound to the address. */
export async function mailVerification(
  core: WebCore,
  email: EmailSettings,
  origin: string,
  to: string,
): Promise<void> {
  const payload: EmailTokenPayload = { ema: to, ver: 1 };
  const token = await email.sealer.seal(JSON.stringify(payload), core.now());
  const link = email.url(token, origin);
  const minutes = Math.round(email.ttlSeconds / 60);
  await core.settings.mailer.send({
    to,
    subject: email.subject,
    text: `Confirm your email address for ${email.appName} by opening this link within ${minutes} minutes:\n\n${link}\n\nIf you did not sign up, ignore this email.`,
    link,
    purpose: 'verify-email',
  });
}

/** The notice to the owner of an address someone signed up with again: no token, the log-in link. */
async function mailAccountExists(
  core: WebCore,
  email: EmailSettings,
  origin: string,
  to: string,
): Promise<void> {
  const link = email.loginUrl(origin);
  await core.settings.mailer.send({
    to,
    subject: `Your ${email.appName} account`,
    text: `Someone tried to sign up for ${email.appName} with this email address, which already has an account. If it was you, log in here:\n\n${link}\n\nIf it was not you, you can ignore this email: nothing about your account has changed.`,
    link,
    purpose: 'account-exists',
  });
}

/**
 * Throws unless the app named its origin: the links in email are built from it, never from the request's Host
 * header, which could point anywhere (link poisoning).
 * @throws {ConfigError} naming `origin`
 */
export function needLinkOrigin(core: WebCore, action: string): void {
  if (core.settings.origins === null) {
    throw new ConfigError(
      `${action}: createWebAuth needs the \`origin\` option, the origin links in email point to`,
      { option: 'origin' },
    );
  }
}

/** `user-new`, then the verification link or the notice; the same answer either way. */
export async function signup(
  core: WebCore,
  state: RequestState,
  input: { fullName: unknown; email: unknown; password: unknown },
): Promise<ActionResult<SignupValue>> {
  const settings = emailSettings(core, 'signup');
  needLinkOrigin(core, 'signup');
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  const fullName = requiredString(input.fullName, 'fullName', INPUT_LIMITS.fullName);
  if (typeof fullName !== 'string') return refuse(fullName);
  const email = requiredString(input.email, 'email', INPUT_LIMITS.email);
  if (typeof email !== 'string') return refuse(email);
  const password = requiredString(input.password, 'password', INPUT_LIMITS.password);
  if (typeof password !== 'string') return refuse(password);

  const created = await core.call<{ user_email: string; send_verification: boolean }>(
    'user-new',
    () =>
      core.settings.client.userNew({
        full_name: fullName,
        email,
        password,
        client_ipaddr: state.clientIp,
      }),
  );
  if (!created.ok && !created.rejected) return created;
  // A new account, and an address that already has one, are answered alike: the same status, page and
  // messages (the server words both replies alike on purpose). Only the email differs.
  const existing = existingAccount(created);
  if (!created.ok && existing === null) return refuse(failure('rejected', created.messages));
  const reply = created.ok ? created.value.user_email : existing?.email;
  const to = typeof reply === 'string' ? reply : email.trim().toLowerCase();
  const sendLink = created.ok ? created.value.send_verification : existing?.resend === true;
  try {
    if (sendLink) await mailVerification(core, settings, state.origin, to);
    else if (existing !== null && settings.notifyExisting)
      await mailAccountExists(core, settings, state.origin, to);
  } catch {
    core.warn('the mailer failed to send a sign-up email');
    return refuse(failure('unavailable', created.messages));
  }
  return succeed({ email: to }, created.messages);
}

/** Opens an email verification token: the address it is bound to, or null. */
async function openEmailToken(
  core: WebCore,
  email: EmailSettings,
  token: string,
): Promise<string | null> {
  const p = await openPayload<EmailTokenPayload>(
    email.sealer,
    token,
    core.now(),
    email.ttlSeconds,
    {
      ema: 'string',
    },
  );
  return p === null ? null : p.ema;
}

/** Marks the address verified, once, for a sign-up still waiting; the same refusal for every other case. */
async function verifyWaiting(
  core: WebCore,
  state: RequestState,
  bound: string,
): Promise<ActionResult<{ readonly email: string }>> {
  // user-set-emailverified would also wake a locked account (it re-activates any inactive user). Using the link
  // marks the address verified, so a second use finds it verified and does nothing.
  const client = core.settings.client;
  const found = await core.call<UserLookup>('user-lookup-email', () =>
    client.userLookupEmail({ email: bound, client_ipaddr: state.clientIp }),
  );
  if (!found.ok) return refuse(found.rejected ? failure('invalid-token') : found.failure);
  if (!awaitsVerification(found.value.user_info)) return refuse(failure('invalid-token'));
  const done = await core.call<{ user_id: number | null }>('user-set-emailverified', () =>
    client.userSetEmailverified({ email: bound, client_ipaddr: state.clientIp }),
  );
  if (!done.ok)
    return refuse(done.rejected ? failure('invalid-token', done.messages) : done.failure);
  return succeed({ email: bound }, done.messages);
}

/** Opens a verification link's token and verifies its address, once. */
export async function verifyEmail(
  core: WebCore,
  state: RequestState,
  token: unknown,
  email?: string,
): Promise<ActionResult<{ readonly email: string }>> {
  const settings = emailSettings(core, 'verifyEmail');
  if (typeof token !== 'string' || token === '') return refuse(invalidInput('token is required'));
  const bound = token.length > 4096 ? null : await openEmailToken(core, settings, token);
  if (bound === null || (email !== undefined && email.trim().toLowerCase() !== bound.toLowerCase()))
    return refuse(failure('invalid-token'));
  // One use at a time per address in this process: a link opened twice at once verifies at most once.
  const key = bound.toLowerCase();
  if (core.verifying.has(key)) return refuse(failure('invalid-token'));
  core.verifying.add(key);
  try {
    return await verifyWaiting(core, state, bound);
  } finally {
    core.verifying.delete(key);
  }
}
