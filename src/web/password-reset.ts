/**
 * Forgotten passwords. `requestPasswordReset` answers at once and alike for every address (registered or not,
 * locked or not); after the answer, an active account gets a link whose token (Fernet under the `passwordReset`
 * key) is bound to the address, the user and the account's password epoch (`az_pwepoch` in the user's
 * `extra_info`). `resetPassword` checks the token against the epoch, moves the epoch on (so the link works once),
 * sets the password with `user-resetpass-nosession` for an active account only (it never lifts a lock or
 * verifies an address), then ends every session of the user, since the server's reset keeps them.
 */
import { needLinkOrigin } from './signup.js';
import { openPayload } from './crypto.js';
import { ConfigError } from '../core/errors.js';
import type { PasswordResetSettings } from './account-settings.js';
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
import { checkOrigin, clearSessionCookie } from './sessions.js';
import type { RequestState } from './state.js';
import type { ActionResult } from './types.js';

/** The key of the password epoch in a user's `extra_info`. */
export const EPOCH_KEY = 'az_pwepoch';

/** The longest token a link may carry; a longer one is refused unread. */
export const MAX_TOKEN_LENGTH = 4096;

/** The checked reset payload: the address, the user, and the password epoch it was made in. */
interface ResetPayload {
  readonly prs: string;
  readonly uid: number;
  readonly pep: number;
  readonly ver: 1;
}

/** What the flows read of a user record. */
export interface UserRecord {
  readonly user_id: number;
  readonly email: string;
  readonly full_name: string | null;
  readonly is_active: boolean;
  readonly user_role: string;
  readonly email_verified: boolean;
  readonly extra_info: Record<string, unknown> | null;
}

/** The addresses whose reset runs in this process, per core: a link used twice at once resets once. */
const resetting = new WeakMap<WebCore, Set<string>>();

/** The password-reset settings, or a ConfigError naming what is missing. */
function resetSettings(core: WebCore, action: string): PasswordResetSettings {
  const settings = core.settings.passwordReset;
  if (settings === null) {
    throw new ConfigError(
      `${action}: createWebAuth needs the \`passwordReset\` option to send reset links`,
      { option: 'passwordReset' },
    );
  }
  return settings;
}

/** A user's password epoch: 0 until the first reset. */
export function epochOf(user: UserRecord): number {
  const value = user.extra_info?.[EPOCH_KEY];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : 0;
}

/** Whether an account may take a new password: active and not locked. */
export function isActiveAccount(user: UserRecord): boolean {
  return user.is_active && user.user_role !== 'locked';
}

/** `user-lookup-email`: the user with this address, null when there is none, or the failure to answer. */
export async function lookupUser(
  core: WebCore,
  state: RequestState,
  email: string,
): Promise<CallResult<UserRecord | null>> {
  const found = await core.call<{ user_info: UserRecord | null }>('user-lookup-email', () =>
    core.settings.client.userLookupEmail({ email, client_ipaddr: state.clientIp }),
  );
  if (found.ok) return { ok: true, value: found.value.user_info, messages: [] };
  return found.rejected ? { ok: true, value: null, messages: [] } : found;
}

/** After the neutral answer: the reset link, only for an active account. */
async function mailResetLink(
  core: WebCore,
  settings: PasswordResetSettings,
  state: RequestState,
  email: string,
): Promise<void> {
  const found = await lookupUser(core, state, email);
  if (!found.ok || found.value === null || !isActiveAccount(found.value)) return;
  const user = found.value;
  const payload: ResetPayload = {
    prs: user.email.toLowerCase(),
    uid: user.user_id,
    pep: epochOf(user),
    ver: 1,
  };
  const token = await settings.sealer.seal(JSON.stringify(payload), core.now());
  const link = settings.url(token, state.origin);
  const minutes = Math.round(settings.ttlSeconds / 60);
  await core.settings.mailer.send({
    to: user.email,
    subject: settings.subject,
    text: `Someone asked to reset the password of your ${settings.appName} account. To choose a new password, open this link within ${minutes} minutes:\n\n${link}\n\nIf it was not you, ignore this email: your password has not changed.`,
    link,
    purpose: 'password-reset',
  });
}

/**
 * Asks for a reset link. The answer is the same for every well-formed address, at once: the look-up and the
 * email run after it (`WebAuth.settled()` waits for them). Only an active account gets an email.
 */
function askReset(
  core: WebCore,
  state: RequestState,
  email: unknown,
): ActionResult<{ readonly email: string }> {
  const settings = resetSettings(core, 'requestPasswordReset');
  needLinkOrigin(core, 'requestPasswordReset');
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  const e = requiredString(email, 'email', INPUT_LIMITS.email);
  if (typeof e !== 'string') return refuse(e);
  const address = e.trim().toLowerCase();
  core.background('a password reset email', () => mailResetLink(core, settings, state, address));
  return succeed({ email: address });
}

/** {@link askReset}, as a promise: a `ConfigError` comes back as a rejection, as from the other flows. */
export function requestPasswordReset(
  core: WebCore,
  state: RequestState,
  email: unknown,
): Promise<ActionResult<{ readonly email: string }>> {
  return new Promise((resolve) => {
    resolve(askReset(core, state, email));
  });
}

/** Opens a reset token: its payload, or null for a forged, foreign, expired or malformed one. */
function openResetToken(
  core: WebCore,
  settings: PasswordResetSettings,
  token: string,
): Promise<ResetPayload | null> {
  return openPayload<ResetPayload>(settings.sealer, token, core.now(), settings.ttlSeconds, {
    prs: 'string',
    uid: 'number',
    pep: 'number',
  });
}

/**
 * Ends every session of a user: `session-delete-userid` with an empty `session_token`, since the server keeps
 * the session named there whatever `keep_current_session` says. The cache is emptied too.
 */
export async function endAllSessions(
  core: WebCore,
  state: RequestState,
  userId: number,
): Promise<boolean> {
  core.cache?.clear();
  const ended = await core.call('session-delete-userid', () =>
    core.settings.client.sessionDeleteUserid({
      session_token: '',
      user_id: userId,
      keep_current_session: false,
      client_ipaddr: state.clientIp,
    }),
  );
  await core.userSessionsEnded(userId);
  // "No sessions to delete" is a refusal, and as good as done.
  return ended.ok || ended.rejected;
}

/** The reset itself, for a token that opened: the checks against the user's record, then the changes. */
async function resetOnce(
  core: WebCore,
  state: RequestState,
  payload: ResetPayload,
  password: string,
): Promise<ActionResult<{ readonly email: string }>> {
  const client = core.settings.client;
  const found = await lookupUser(core, state, payload.prs);
  if (!found.ok) return refuse(found.failure);
  const user = found.value;
  if (
    user === null ||
    user.user_id !== payload.uid ||
    !isActiveAccount(user) ||
    epochOf(user) !== payload.pep
  )
    return refuse(failure('invalid-token'));
  // The policy first, so a refused password leaves the link usable.
  const policy = await core.call('user-validatepass', () =>
    client.userValidatepass({
      password,
      email: user.email,
      full_name: user.full_name ?? '',
      client_ipaddr: state.clientIp,
    }),
  );
  if (!policy.ok)
    return refuse(policy.rejected ? failure('rejected', policy.messages) : policy.failure);
  // The epoch moves on before the password changes: if anything fails after this, the link is spent, never reusable.
  const bumped = await core.call('internal-user-edit', () =>
    client.internalUserEdit({
      target_userid: user.user_id,
      update_dict: { extra_info: { [EPOCH_KEY]: payload.pep + 1 } },
      client_ipaddr: state.clientIp,
    }),
  );
  if (!bumped.ok) return refuse(bumped.rejected ? failure('unavailable') : bumped.failure);
  const reset = await core.call('user-resetpass-nosession', () =>
    client.userResetpassNosession({
      email_address: user.email,
      new_password: password,
      required_active: true,
      client_ipaddr: state.clientIp,
    }),
  );
  if (!reset.ok)
    return refuse(reset.rejected ? failure('rejected', reset.messages) : reset.failure);
  // The server's reset keeps every session: whoever held one (perhaps the reason for the reset) is out now.
  if (!(await endAllSessions(core, state, user.user_id)))
    core.warn('a password reset could not end the user\u2019s sessions');
  if (state.user?.userId === user.user_id && state.apiKey === null) {
    clearSessionCookie(core, state);
    state.drop();
  }
  return succeed({ email: user.email }, reset.messages);
}

/** Sets a new password with a reset link's token, once. */
export async function resetPassword(
  core: WebCore,
  state: RequestState,
  token: unknown,
  newPassword: unknown,
): Promise<ActionResult<{ readonly email: string }>> {
  const settings = resetSettings(core, 'resetPassword');
  const csrf = checkOrigin(core, state);
  if (csrf !== null) return refuse(csrf);
  if (typeof token !== 'string' || token === '') return refuse(invalidInput('token is required'));
  const password = requiredString(newPassword, 'newPassword', INPUT_LIMITS.password);
  if (typeof password !== 'string') return refuse(password);
  const payload =
    token.length > MAX_TOKEN_LENGTH ? null : await openResetToken(core, settings, token);
  if (payload === null) return refuse(failure('invalid-token'));
  let running = resetting.get(core);
  if (running === undefined) resetting.set(core, (running = new Set()));
  if (running.has(payload.prs)) return refuse(failure('invalid-token'));
  running.add(payload.prs);
  try {
    return await resetOnce(core, state, payload, password);
  } finally {
    running.delete(payload.prs);
  }
}
