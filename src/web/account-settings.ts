/**
 * The settings of the account flows (`password-reset.ts`, `account.ts`, `step-up.ts`, `profile.ts`): the
 * `passwordReset` option checked once, with its defaults. Its key must differ from the other Fernet keys of the
 * app, so a token of one flow (an email verification link, an API key) never opens in another.
 */
import { fernetSealer, type Sealer } from './crypto.js';
import { optionError } from './option-keys.js';
import type { WebAuthOptions } from './options.js';
import { fn, positive, text } from './settings.js';

/** The password-reset settings: the sealer of its tokens and the email's parts. */
export interface PasswordResetSettings {
  readonly sealer: Sealer;
  readonly ttlSeconds: number;
  readonly url: (token: string, origin: string) => string;
  readonly subject: string;
  readonly appName: string;
}

/**
 * Checks the `passwordReset` option: null without it.
 *
 * @throws {ConfigError} naming the option when it is malformed, or when its secret is another flow's.
 */
export function resolvePasswordReset(options: WebAuthOptions): PasswordResetSettings | null {
  const pr = options.passwordReset;
  if (pr === undefined) return null;
  if (typeof (pr as unknown) !== 'object' || (pr as unknown) === null) {
    throw optionError('passwordReset', 'must be an object with at least `secret`');
  }
  if (typeof (pr.secret as unknown) !== 'string') {
    throw optionError('passwordReset.secret', 'must be a Fernet key (npx authnzerver keygen)');
  }
  const others = [options.emailVerification?.secret, options.apiKeys?.secret];
  if (others.includes(pr.secret)) {
    throw optionError(
      'passwordReset.secret',
      'must differ from emailVerification.secret and apiKeys.secret (a token of one flow must not open in another)',
    );
  }
  return Object.freeze({
    sealer: fernetSealer(pr.secret, 'passwordReset.secret'),
    ttlSeconds: positive(pr.ttlSeconds, 1800, 'passwordReset.ttlSeconds'),
    url: fn(
      pr.url,
      (token: string, origin: string) =>
        `${origin}/reset-password?token=${encodeURIComponent(token)}`,
      'passwordReset.url',
    ),
    subject: text(pr.subject, 'Reset your password', 'passwordReset.subject'),
    appName: text(
      pr.appName,
      options.emailVerification?.appName ?? 'authnzerver',
      'passwordReset.appName',
    ),
  });
}
