/**
 * The options of the web layer's flows that reach beyond a session: bearer API keys, sign-up email verification,
 * password reset links, and the mailer that sends their messages. `options.ts` re-exports them with the rest of
 * `createWebAuth`'s options.
 */
import type { AuthRequest } from './types.js';

/** Bearer API keys: authnzerver's key claims, sealed with Fernet under the app's own key. */
export interface ApiKeyOptions {
  /** The Fernet key (44 characters of url-safe base64) that seals issued keys. Keep it apart from the others. */
  readonly secret: string;
  /**
   * The `iss` claim put in issued keys and required on presented ones. Default `authnzerver`.
   * @default 'authnzerver'
   */
  readonly issuer?: string | undefined;
  /**
   * The `aud` claim put in issued keys and required on presented ones. Default: the app's origin.
   * @default the app's origin
   */
  readonly audience?: string | undefined;
  /**
   * The `sub` claim of issued keys when the caller gives none: a path prefix the key may be used on. Default
   * `/api/`. A presented key is refused on a path outside its subject: 403 with `error="insufficient_scope"`.
   * @default '/api/'
   */
  readonly subject?: string | undefined;
  /**
   * Custom subject check in place of the path-prefix rule.
   * @default undefined (the path-prefix rule)
   */
  readonly checkSubject?: ((subject: string, request: AuthRequest) => boolean) | undefined;
  /**
   * Days until issued keys expire. Default 30.
   * @default 30
   */
  readonly expiresDays?: number | undefined;
  /**
   * Bind new keys to the IP address of the session that issues them (the key's `ipa` claim), as authnzerver's own
   * front end did: a bound key presented from another address is refused (401, `error="invalid_token"`). Default
   * `true`. `issueApiKey({ bindToIp })` decides for one key. The binding is sealed in the key, so it holds for
   * the key's life whatever this option says later.
   *
   * The risk of `false`: a key that leaks (a log, a repository, a shared script) works from anywhere until it
   * expires or is revoked. Keep it on unless the key's users move between addresses (mobile networks, CI
   * runners), and then keep their lifetime short.
   * @default true
   */
  readonly bindToIp?: boolean | undefined;
  /**
   * The `realm` of the `WWW-Authenticate: Bearer` challenge on API-key refusals (RFC 6750 §3). Default: none.
   * @default undefined (none)
   */
  readonly realm?: string | undefined;
}

/** Email verification tokens: Fernet under their own key, binding the email, with a lifetime. */
export interface EmailVerificationOptions {
  /** The Fernet key that seals verification tokens. Keep it apart from the others. */
  readonly secret: string;
  /**
   * How long a token is valid. Default 7200 (2 hours).
   * @default 7200 (2 hours)
   */
  readonly ttlSeconds?: number | undefined;
  /**
   * The link put in the email, from the token. Default `<origin>/verify-email?token=<token>`.
   * @default `<origin>/verify-email?token=<token>`
   */
  readonly url?: ((token: string, origin: string) => string) | undefined;
  /**
   * The email's subject line. Default `Verify your email address`.
   * @default 'Verify your email address'
   */
  readonly subject?: string | undefined;
  /**
   * The app's name for the email's text. Default `authnzerver`.
   * @default 'authnzerver'
   */
  readonly appName?: string | undefined;
  /**
   * Sign-up with an email address that already has an account answers exactly as a new sign-up does (the same
   * status, page and messages), so the form never tells whether an address is registered. With this option on
   * (the default), the address's owner gets an email saying so, with the log-in link, instead of a
   * verification link: the real owner learns someone (likely they) tried, and nobody else learns anything.
   * `false` sends nothing then. A pending account whose verification may be sent again (the server's
   * `verify_retry_wait`) gets a new verification link either way.
   * @default true
   */
  readonly notifyExisting?: boolean | undefined;
  /**
   * The log-in page's link in the "you already have an account" email. Default `<origin>/login`.
   * @default `<origin>/login`
   */
  readonly loginUrl?: ((origin: string) => string) | undefined;
}

/**
 * Password reset links (`requestPasswordReset`, `resetPassword`): Fernet tokens under their own key, bound to the
 * address and to a password epoch kept in the user's record, so a link works once.
 */
export interface PasswordResetOptions {
  /**
   * The Fernet key that seals reset tokens. It must differ from `emailVerification.secret` and `apiKeys.secret`,
   * so a token of one flow never opens in another.
   */
  readonly secret: string;
  /**
   * How long a reset link is valid. Default 1800 (30 minutes): a mailbox read later by someone else finds it dead.
   * @default 1800 (30 minutes)
   */
  readonly ttlSeconds?: number | undefined;
  /**
   * The link put in the email, from the token. Default `<origin>/reset-password?token=<token>`.
   * @default `<origin>/reset-password?token=<token>`
   */
  readonly url?: ((token: string, origin: string) => string) | undefined;
  /**
   * The email's subject line. Default `Reset your password`.
   * @default 'Reset your password'
   */
  readonly subject?: string | undefined;
  /**
   * The app's name for the email's text. Default: `emailVerification.appName`, else `authnzerver`.
   * @default `emailVerification.appName`, else 'authnzerver'
   */
  readonly appName?: string | undefined;
}

/** One email. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The link the email carries (verification, or log-in), for tests and the console. */
  readonly link?: string | undefined;
  /**
   * What the email is for: `verify-email` (a verification link), `account-exists` (a sign-up with an address
   * that has an account), `password-reset` (a reset link) or `change-email` (a link that confirms a new
   * address). Default, for your own messages: none.
   */
  readonly purpose?:
    'verify-email' | 'account-exists' | 'password-reset' | 'change-email' | undefined;
}

/** Sends email: `memoryMailer()` for tests, `consoleMailer()` for development, or your own. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
