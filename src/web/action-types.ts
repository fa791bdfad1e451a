/**
 * What the actions of the per-request context take and give back (`AuthContext` in `types.ts`): sign-up, log-in,
 * the profile, the password check, API keys and access checks.
 */

/** The claims of a presented API key, without its secret token. */
export interface ApiKeyInfo {
  readonly issuer: string;
  readonly audience: string;
  readonly subject: string;
  readonly version: string | number;
  readonly userId: number;
  readonly role: string;
  readonly ipAddress: string;
  readonly issuedAt: Date;
  readonly notBefore: Date;
  readonly expires: Date;
  /** `session` keys came from `apikey-new` (checked with `apikey-verify`), `nosession` from `apikey-new-nosession`. */
  readonly type: 'session' | 'nosession';
}

/**
 * What `signup` gives back on success: the same for a new address and for one that has an account, so a page
 * built from it cannot tell them apart.
 */
export interface SignupValue {
  /** The address the email goes to (trimmed, lower case). */
  readonly email: string;
}

/** What a user gives to sign up. */
export interface SignupInput {
  readonly fullName: string;
  readonly email: string;
  readonly password: string;
}

/** Options of `login`. */
export interface LoginOptions {
  /**
   * "Remember me": a long session (`sessions.rememberMe.seconds`) with a persistent cookie. Default `false`: a
   * short session (`sessions.userSeconds`) whose cookie ends when the browser closes.
   */
  readonly remember?: boolean | undefined;
}

/** What `editProfile` takes: either or both. */
export interface ProfileInput {
  /** The new display name, at once (`user-edit`). */
  readonly fullName?: unknown;
  /** A new address: a link goes to it, and it is applied when opened (`confirmEmailChange`). Needs step-up. */
  readonly email?: unknown;
}

/** What `editProfile` gives back. */
export interface ProfileValue {
  /** The name now. */
  readonly fullName: string | null;
  /** The new address a link went to; null when the email was not changed. */
  readonly pendingEmail: string | null;
}

/** What `checkPassword` takes: the password, and whom it is for (default: the session's user). */
export interface PasswordCheckInput {
  readonly password: unknown;
  readonly email?: unknown;
  readonly fullName?: unknown;
}

/** What to issue an API key for. */
export interface IssueApiKeyInput {
  /** Path prefix the key may be used on; default the option's `subject` (`/api/`). */
  readonly subject?: string | undefined;
  /** Default the option's `audience`. */
  readonly audience?: string | undefined;
  /** Default the option's `expiresDays` (30). */
  readonly expiresDays?: number | undefined;
  /** Default `1`. */
  readonly apiVersion?: string | number | undefined;
  /** Bind this key to the issuing session's IP address. Default: the option's `bindToIp` (`true`). */
  readonly bindToIp?: boolean | undefined;
}

/** A new API key. `token` is the Bearer value: show it once, never log it. */
export interface IssuedApiKey {
  readonly token: string;
  readonly info: ApiKeyInfo;
}

/** The target of a `user-check-access` question. */
export interface AccessQuery {
  /** e.g. `view`, `create`, `edit`, `delete`, `list`. */
  readonly action: string;
  /** The item type, e.g. `collection`, `dataset`, `object`. */
  readonly targetName: string;
  /** The owner's user id. Default: the caller. */
  readonly targetOwner?: number | undefined;
  /** `public`, `shared`, `private`, `unlisted`. Default `private`. */
  readonly targetVisibility?: string | undefined;
  /** User ids the item is shared with. Default none. */
  readonly targetSharedWith?: readonly number[] | undefined;
}
