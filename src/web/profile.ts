/**
 * A user's profile and address: `editProfile` changes the name at once (`user-edit`); a new email address is
 * only applied when its owner opens the link sent to it (`confirmEmailChange`, through `internal-user-edit`), and
 * asking for it needs a recent password confirmation. `resendVerification` sends a sign-up's verification link
 * again, answering alike for every address; `checkPassword` is the server's password policy
 * (`user-validatepass`) for live feedback on a form.
 */
import { openPayload } from './crypto.js';
import { ownSession } from './account.js';
import type { WebCore } from './core.js';
import { failure, INPUT_LIMITS, invalidInput, refuse, requiredString, succeed } from './failure.js';
import { isActiveAccount, lookupUser, MAX_TOKEN_LENGTH } from './password-reset.js';
import { checkOrigin } from './sessions.js';
import { awaitsVerification, emailSettings, mailVerification, needLinkOrigin } from './signup.js';
import type { EmailSettings } from './settings.js';
import { DEFAULT_RECENT_SECONDS, requireRecentAuth } from './step-up.js';
import type { RequestState } from './state.js';
import type { ActionResult, PasswordCheckInput, ProfileInput, ProfileValue } from './types.js';

/** The checked email-change payload: the user, the address it had, and the new one. */
interface ChangePayload {
  readonly chg: string;
  readonly old: string;
  readonly uid: number;
  readonly ver: 1;
}

/** An optional form field: undefined when absent, else checked as a required one. */
function optionalString(value: unknown, field: string, max: number) {
  return value === undefined ? undefined : requiredString(value, field, max);
}

/** Mails the link that applies a new address, sealed under the email-verification key. */
async function mailChangeLink(
  core: WebCore,
  settings: EmailSettings,
  origin: string,
  payload: ChangePayload,
): Promise<void> {
  const token = await settings.sealer.seal(JSON.stringify(payload), core.now());
  const link = `${origin}/confirm-email?token=${encodeURIComponent(token)}`;
  const minutes = Math.round(settings.ttlSeconds / 60);
  await core.settings.mailer.send({
    to: payload.chg,
    subject: 'Confirm your new email address',
    text: `Someone asked to use this address for a ${settings.appName} account. To confirm it, open this link within ${minutes} minutes:\n\n${link}\n\nIf it was not you, ignore this email: nothing will change.`,
    link,
    purpose: 'change-email',
  });
}

/** Changes the name at once, and sends a new address a link that applies it. */
export async function editProfile(
  core: WebCore,
  state: RequestState,
  input: ProfileInput,
): Promise<ActionResult<ProfileValue>> {
  const own = ownSession(core, state);
  if ('code' in own) return refuse(own);
  if (typeof (input as unknown) !== 'object' || (input as unknown) === null)
    return refuse(invalidInput('the input must be an object with fullName or email'));
  const fullName = optionalString(input.fullName, 'fullName', INPUT_LIMITS.fullName);
  if (typeof fullName === 'object') return refuse(fullName);
  const email = optionalString(input.email, 'email', INPUT_LIMITS.email);
  if (typeof email === 'object') return refuse(email);
  if (fullName === undefined && email === undefined)
    return refuse(invalidInput('give fullName or email'));
  const { token, session } = own;
  const address = email?.trim().toLowerCase();
  const changesEmail = address !== undefined && address !== session.email.toLowerCase();
  if (changesEmail) {
    if (!address.includes('@')) return refuse(invalidInput('email must be an email address'));
    emailSettings(core, 'editProfile');
    const recent = requireRecentAuth(core, state, DEFAULT_RECENT_SECONDS);
    if (recent !== null) return refuse(recent);
  }
  let name = session.fullName;
  if (fullName !== undefined) {
    const edited = await core.call<{ user_info: { full_name: string | null } }>('user-edit', () =>
      core.settings.client.userEdit({
        user_id: session.userId,
        user_role: session.role,
        session_token: token,
        target_userid: session.userId,
        update_dict: { full_name: fullName },
        client_ipaddr: state.clientIp,
      }),
    );
    if (!edited.ok)
      return refuse(edited.rejected ? failure('rejected', edited.messages) : edited.failure);
    await core.sessionEnded(token);
    name = edited.value.user_info.full_name;
  }
  if (!changesEmail) return succeed({ fullName: name, pendingEmail: null });
  const payload: ChangePayload = { chg: address, old: session.email, uid: session.userId, ver: 1 };
  try {
    await mailChangeLink(core, emailSettings(core, 'editProfile'), state.origin, payload);
  } catch {
    core.warn('the mailer failed to send an email-change link');
    return refuse(failure('unavailable'));
  }
  return succeed({ fullName: name, pendingEmail: address });
}

/** Opens an email-change token: its payload, or null. */
function openChangeToken(
  core: WebCore,
  settings: EmailSettings,
  token: string,
): Promise<ChangePayload | null> {
  return openPayload<ChangePayload>(settings.sealer, token, core.now(), settings.ttlSeconds, {
    chg: 'string',
    old: 'string',
    uid: 'number',
  });
}

/**
 * Applies a new address from its link: once (the account must still have the old address), for an active
 * account only, and marked verified, since its owner opened the link.
 */
export async function confirmEmailChange(
  core: WebCore,
  state: RequestState,
  token: unknown,
): Promise<ActionResult<{ readonly email: string }>> {
  const settings = emailSettings(core, 'confirmEmailChange');
  if (typeof token !== 'string' || token === '') return refuse(invalidInput('token is required'));
  const payload =
    token.length > MAX_TOKEN_LENGTH ? null : await openChangeToken(core, settings, token);
  if (payload === null) return refuse(failure('invalid-token'));
  const found = await lookupUser(core, state, payload.old);
  if (!found.ok) return refuse(found.failure);
  const user = found.value;
  if (user === null || user.user_id !== payload.uid || !isActiveAccount(user))
    return refuse(failure('invalid-token'));
  const edited = await core.call('internal-user-edit', () =>
    core.settings.client.internalUserEdit({
      target_userid: user.user_id,
      update_dict: { email: payload.chg, email_verified: true },
      client_ipaddr: state.clientIp,
    }),
  );
  // A refusal here is most often an address taken meanwhile: the link is no good.
  if (!edited.ok) return refuse(edited.rejected ? failure('invalid-token') : edited.failure);
  await core.userSessionsEnded(user.user_id);
  return succeed({ email: payload.chg });
}

/**
 * Sends the verification link again to a sign-up still waiting for it. The answer is the same for every
 * well-formed address, at once; the look-up and the email run after it.
 */
function askResend(
  core: WebCore,
  state: RequestState,
  email: unknown,
): ActionResult<{ readonly email: string }> {
  const settings = emailSettings(core, 'resendVerification');
  needLinkOrigin(core, 'resendVerification');
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  const e = requiredString(email, 'email', INPUT_LIMITS.email);
  if (typeof e !== 'string') return refuse(e);
  const address = e.trim().toLowerCase();
  core.background('a verification email', async () => {
    const found = await lookupUser(core, state, address);
    if (!found.ok || found.value === null || !awaitsVerification(found.value)) return;
    await mailVerification(core, settings, state.origin, found.value.email);
  });
  return succeed({ email: address });
}

/** {@link askResend}, as a promise: a `ConfigError` comes back as a rejection, as from the other flows. */
export function resendVerification(
  core: WebCore,
  state: RequestState,
  email: unknown,
): Promise<ActionResult<{ readonly email: string }>> {
  return new Promise((resolve) => {
    resolve(askResend(core, state, email));
  });
}

/** The server's password policy on a password: whether it passes, and the server's words on it. */
export async function checkPassword(
  core: WebCore,
  state: RequestState,
  input: PasswordCheckInput,
): Promise<ActionResult<{ readonly valid: boolean }>> {
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  if (typeof (input as unknown) !== 'object' || (input as unknown) === null)
    return refuse(invalidInput('the input must be an object with password'));
  const password = requiredString(input.password, 'password', INPUT_LIMITS.password);
  if (typeof password !== 'string') return refuse(password);
  const session = state.session.kind === 'user' ? state.session : null;
  const email = input.email ?? session?.email ?? '';
  const fullName = input.fullName ?? session?.fullName ?? '';
  if (typeof email !== 'string' || email.length > INPUT_LIMITS.email)
    return refuse(
      invalidInput(`email must be a string of at most ${INPUT_LIMITS.email} characters`),
    );
  if (typeof fullName !== 'string' || fullName.length > INPUT_LIMITS.fullName)
    return refuse(
      invalidInput(`fullName must be a string of at most ${INPUT_LIMITS.fullName} characters`),
    );
  const checked = await core.call('user-validatepass', () =>
    core.settings.client.userValidatepass({
      password,
      email,
      full_name: fullName,
      client_ipaddr: state.clientIp,
    }),
  );
  if (checked.ok) return succeed({ valid: true }, checked.messages);
  if (checked.rejected) return succeed({ valid: false }, checked.messages);
  return refuse(checked.failure);
}
