import { casefold, codePoints, similarityRatio, squeeze } from './py.js';

/**
 * The in-memory server's checks of new accounts and passwords, written after authnzerver's rules and its
 * user-facing messages. Where the real server consults large external lists (10,000 common passwords, 3,000
 * disposable email domains, the public-suffix list, haveibeenpwned.com), this uses short built-in lists; the
 * real server, offline, also skips the haveibeenpwned.com check and accepts the password.
 */

/** The password rules of the running server's default policy (its `passpolicy` setting). */
export interface PasswordPolicy {
  /** @default 12 */
  readonly minLength: number;
  /** Percent similarity to the server's name, the email or the full name at which a password is refused. @default 50 */
  readonly maxSimilarity: number;
  /** Highest share of the password one character may take. @default 0.3 */
  readonly maxCharacterFrequency: number;
}

/** The policy a running authnzerver applies by default (12 characters, 50% similarity, 0.3 frequency). */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({
  minLength: 12,
  maxSimilarity: 50,
  maxCharacterFrequency: 0.3,
});

/** Very common passwords (a short list of our own; the real server checks a list of 10,000). */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  (
    '123456 123456789 12345678 12345 1234567 1234567890 1234 123123 111111 000000 654321 666666 121212 ' +
    '112233 123321 987654321 7777777 555555 11111111 password passw0rd password1 password12 password123 ' +
    'qwerty qwertyuiop qwerty123 asdfgh asdfghjkl zxcvbnm 1qaz2wsx qazwsx abc123 iloveyou letmein welcome ' +
    'monkey dragon master shadow sunshine princess football baseball superman batman trustno1 admin login ' +
    'secret hello freedom whatever starwars michael jennifer jordan hunter killer charlie donald ' +
    'aaaa aaaaaa aaaaaaa aaaaaaaa short changeme default guest test test123 root pass'
  ).split(' '),
);

/** Local parts that cannot sign up (system and role mailboxes). */
const RESERVED_LOCAL_PARTS: ReadonlySet<string> = new Set(
  (
    'admin administrator root postmaster hostmaster webmaster abuse noc security support sales ' +
    'marketing info mailer-daemon nobody noreply no-reply localhost www ftp mail smtp imap pop'
  ).split(' '),
);

/** Throw-away email domains (a few well-known ones; the real server checks about 3,000). */
const DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set([
  'mailinator.com',
  'guerrillamail.com',
  '10minutemail.com',
  'yopmail.com',
  'trashmail.com',
  'tempmail.com',
  'throwawaymail.com',
  'dispostable.com',
]);

const EMAIL_SHAPE =
  /^[a-zA-Z0-9.!#$%&’*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,253}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,253}[a-zA-Z0-9])?)*$/;

/** Whether an email address may sign up: its shape, one `@`, no reserved local part, no throw-away domain. */
export function emailAcceptable(email: string): boolean {
  // Python's `$` also matches before a final newline.
  if (!EMAIL_SHAPE.test(email.replace(/\n$/, ''))) return false;
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts as [string, string];
  if (RESERVED_LOCAL_PARTS.has(local)) return false;
  return !DISPOSABLE_DOMAINS.has(casefold(domain));
}

/** An email address as stored: both halves NFKC-normalized and case-folded. */
export function normalizeEmail(email: string): string {
  return email
    .split('@')
    .map((part) => casefold(part.normalize('NFKC')))
    .join('@');
}

/** Whether a full name looks like a link (the server refuses those): `http`, `://`, or a domain-like `.tld`. */
export function fullNameLooksLikeLink(fullName: string): boolean {
  const folded = casefold(fullName);
  return folded.includes('http') || fullName.includes('://') || /\.[a-z]{2,}/.test(folded);
}

/**
 * The server's password check, with its messages in its order: too short, too common, too similar to the
 * server, email or name, one character too frequent, all digits.
 *
 * @param serverName the server's host name, which the password must not resemble.
 * @returns whether the password is acceptable, and the messages for the end user.
 */
export function checkPassword(
  fullName: string,
  email: string,
  password: string,
  serverName: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): { ok: boolean; messages: string[] } {
  const messages: string[] = [];
  const lengthOk = codePoints(squeeze(password.trim())).length >= policy.minLength;
  if (!lengthOk)
    messages.push(
      `Your password is too short. It must have at least ${policy.minLength} characters.`,
    );
  const common = COMMON_PASSWORDS.has(casefold(password));
  if (common)
    messages.push(
      'Your password is on the list of the most common passwords and is vulnerable to guessing.',
    );
  const folded = squeeze(casefold(password).trim());
  const similar = [serverName, email, fullName].some(
    (other) => similarityRatio(folded, casefold(other)) * 100 >= policy.maxSimilarity,
  );
  if (similar)
    messages.push(
      'Your password is too similar to either the domain name of this server or your own name or email address.',
    );
  const chars = codePoints(password);
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  const frequent = [...counts.values()].some(
    (count) => count / chars.length > policy.maxCharacterFrequency,
  );
  if (frequent)
    messages.push(
      'Your password is not complex enough. One or more characters appear appear too frequently.',
    );
  const digits = /^\p{Nd}+$/u.test(password);
  if (digits) messages.push('Your password cannot be all numbers.');
  return { ok: lengthOk && !common && !similar && !frequent && !digits, messages };
}
