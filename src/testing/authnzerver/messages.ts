/**
 * Every message the in-memory authnzerver puts in a reply's `messages` list, worded exactly as the real server
 * words them (slips included, such as the missing space in {@link APIKEY_MESSAGES.refreshStale}), grouped by
 * the server's action modules. These are the strings an app shows its users; the failure reasons, meant for the
 * app, stay beside the checks that give them, and the password policy's own messages are in `../policy.ts`.
 */
import { pyBool } from './values.js';

/** `session-*`. */
export const SESSION_MESSAGES = {
  created: 'Generated session_token successfully. Session initiated.',
  notCreated: 'Could not create a new session.',
  found: 'Session look up successful.',
  notFound: 'Session look up failed.',
  deleted: (success: boolean): string => `Session delete processed, success: ${pyBool(success)}.`,
  userSessionsDeleted: (success: boolean): string =>
    `Sessions delete processed. Success: ${pyBool(success)}.`,
} as const;

/** `user-login`, `user-logout` and `user-passcheck*`. */
export const LOGIN_MESSAGES = {
  noSession: 'No session token provided.',
  mismatch: "Sorry, that user ID and password combination didn't work.",
  loggedIn: 'Login successful.',
  logoutFailed: 'Logout failed. Invalid session_token for user_id.',
  loggedOut: 'Logout successful.',
  verified: 'Verification successful.',
} as const;

/** `user-changepass*` and `user-resetpass*`. */
export const PASSWORD_MESSAGES = {
  currentMismatch: 'Your current password did not match the stored password.',
  unchanged: 'Your new password cannot be the same as your old password.',
  insecure:
    'The new password you entered is insecure. It must be at least 12 characters long and be sufficiently complex.',
  changed: 'Password changed successfully.',
  otherSessionsEnded: 'For security purposes, you have been logged out of all other sessions.',
  resetNoSession: 'Invalid session token for password reset request.',
  resetInvalidUser: 'Invalid user for password reset request.',
  resetInsecure: 'Insecure password for password reset request.',
  resetInsecureNew: 'Insecure new password for password reset request.',
} as const;

/** `user-new`, `user-delete`, `user-set-email*` and `user-sendemail-*`. */
export const USER_MESSAGES = {
  invalidEmail:
    "The email address provided doesn't seem to be a valid email address and cannot be used to sign up for an account on this server.",
  linkInName:
    'The full name provided appears to contain an HTTP link, and cannot be used to sign up for an account on this server.',
  created: 'User account created. Please verify your email address to log in.',
  notVerified: 'We could not verify your email address or password.',
  superuserKept: "Can't delete superusers.",
  deleted: 'User successfully deleted from DB.',
  verifiedNotSet: 'Email verification toggle request failed.',
  verifiedSet: 'Email verification toggle request succeeded.',
  emailSentInvalid: 'Invalid email sent notification request.',
  emailSentSet: 'Email sent notification request succeeded.',
  signupEmailInvalid: 'Invalid verify email request.',
  forgotpassEmailInvalid: 'Invalid password reset email request.',
} as const;

/** `user-list`, `user-lookup-*`, `user-edit` and `user-lock` (and `internal-user-lock`). */
export const ADMIN_MESSAGES = {
  found: 'User look up successful.',
  notFound: 'User look up failed.',
  badMatch: 'Invalid match condition provided.',
  systemUser: 'Editing anonymous/locked user accounts not allowed.',
  noUserSession: 'User session info not available for this user edit attempt.',
  noSuperuserSession: 'Superuser session info not available for this user edit attempt.',
  noSession: 'user_id or session info not available for this user edit attempt.',
  extraKeys: 'extra elements in update_dict not allowed',
  unknownRole: 'unknown role change request in update_dict',
  updateFailed: 'User update failed.',
  updated: 'User update successful.',
  noLockPrivilege: "You don't have lock/unlock privileges.",
  selfLock: "You can't lock/unlock your own user account.",
  unknownLockAction: 'Unknown action requested for toggle_user_lock.',
  lockFailed: 'User lock toggle failed.',
  lockToggled: 'User lock toggle successful.',
} as const;

/** `apikey-*`, with and without sessions. */
export const APIKEY_MESSAGES = {
  issueDenied: 'API key issuance failed. You are not allowed to issue an API key.',
  issueNoSession: 'Invalid session token for API key issuance request.',
  issueSessionMismatch:
    'DB session user_id, ip_address, user_agent, user_role does not match provided session info.',
  issued: (expires: string): string => `API key generated successfully, expires: ${expires}.`,
  verifyDenied: 'API key verification failed. You are not allowed to operate on this API key.',
  notVerified: 'API key could not be verified.',
  verified: (expires: string): string => `API key verified successfully. Expires: ${expires}.`,
  verifiedNoSession: (expires: string): string =>
    `No-session API key verified successfully. Expires: ${expires}.`,
  revokeDenied: 'API key revocation failed. You are not allowed to operate on this API key.',
  revoked: 'API key revocation processed.',
  revokeAllDenied: 'All API keys revocation failed. You are not allowed to delete API keys.',
  revokeAllInvalid: 'All API keys revocation failed. The API key presented is invalid.',
  revokedAll: 'All API keys revocation processed.',
  refreshInvalid:
    'API key refresh failed. The API key presented does not have a valid refresh token. You may need to login again to generate a new API key.',
  refreshStale:
    'API key refresh failed. The API key presented does not have a valid refresh token.You may need to login again to generate a new API key.',
} as const;

/** `user-check-access` and `user-check-limit`. */
export const ACCESS_MESSAGES = {
  checked: (granted: boolean): string =>
    `Access request check successful. Access granted: ${pyBool(granted)}.`,
  accessUnchecked: 'Could not validate access to the requested item.',
  limitChecked: (passed: boolean): string =>
    `Limit check successful. Limit check passed: ${pyBool(passed)}.`,
  limitUnchecked: 'Could not validate limit rule for the requested item.',
} as const;

/** `internal-*`. */
export const INTERNAL_MESSAGES = {
  editMissing: 'Invalid user-edit request: missing or invalid parameters.',
  editDisallowed: 'Invalid edit-user request: invalid update parameters.',
  editFailed: 'User info update failed.',
  edited: 'User-info update successful.',
  sessionEditMissing: 'Invalid session edit request: missing or invalid parameters.',
  sessionEditFailed: 'Session extra_info update failed.',
  sessionEdited: 'Session extra_info update successful.',
} as const;
