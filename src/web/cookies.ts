/**
 * The session cookie: its name (`__Host-` prefix when Secure), its flags (HttpOnly, SameSite, Path=/, no Domain,
 * Max-Age and Expires from the session's expiry), reading it from a `Cookie` header, and the optional HMAC
 * signature around its value. Parsing and serialising are the `cookie` package's.
 */
import { optionError } from './option-keys.js';
import { parseCookie, stringifySetCookie } from 'cookie';
import { hmacSigner, type Signer } from './crypto.js';
import type { CookieOptions } from './options.js';

/** The default cookie name, before the `__Host-` prefix. */
export const DEFAULT_COOKIE_NAME = 'azsession';

/** The prefix that makes browsers require Secure, Path=/ and no Domain, so no subdomain can set or shadow it. */
export const HOST_PREFIX = '__Host-';

const NAME_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Session tokens are url-safe base64 (`token_urlsafe`); anything else in a cookie is refused unread. */
const TOKEN_CHARS = /^[A-Za-z0-9_-]{8,256}$/;

/** The cookie rules of one app. */
export class SessionCookie {
  readonly #base: string;
  readonly #secure: boolean | 'auto';
  readonly #sameSite: 'lax' | 'strict';
  readonly #signer: Signer | null;

  /** @throws {ConfigError} naming the option when one is malformed. */
  constructor(options: CookieOptions = {}) {
    const base = options.name ?? DEFAULT_COOKIE_NAME;
    if (!NAME_CHARS.test(base) || base.startsWith('__')) {
      throw optionError(
        'cookie.name',
        'must be a cookie token without a leading "__" (the prefix is added)',
      );
    }
    const sameSite = options.sameSite ?? 'lax';
    if (!['lax', 'strict'].includes(sameSite)) {
      throw optionError('cookie.sameSite', "must be 'lax' or 'strict'");
    }
    const secure = options.secure ?? 'auto';
    if (![true, false, 'auto'].includes(secure)) {
      throw optionError('cookie.secure', "must be true, false or 'auto'");
    }
    this.#base = base;
    this.#secure = secure;
    this.#sameSite = sameSite;
    const secret = options.signingSecret;
    this.#signer =
      secret === undefined
        ? null
        : hmacSigner(Array.isArray(secret) ? secret : [secret as string | Uint8Array]);
  }

  /** Whether the cookie is Secure (and `__Host-`) for an app at this origin. */
  isSecure(origin: string): boolean {
    return this.#secure === 'auto' ? origin.startsWith('https:') : this.#secure;
  }

  /** The cookie's name for a Secure or plain cookie. */
  name(secure: boolean): string {
    return secure ? HOST_PREFIX + this.#base : this.#base;
  }

  /**
   * Reads the cookie from a `Cookie` header: `absent` (no such cookie), `refused` (a malformed value, or a bad or
   * missing signature when signing is on) or `present` with the session token. Only the name for this origin
   * is read: on https an unprefixed cookie (which any subdomain could set) is ignored.
   */
  read(header: string | null, secure: boolean): CookieRead | Promise<CookieRead> {
    if (header === null || header === '') return ABSENT;
    const name = this.name(secure);
    if (!header.includes(name)) return ABSENT;
    const raw = parseCookie(header)[name];
    if (raw === undefined || raw === '') return ABSENT;
    // Without signing, the answer is synchronous: no promise on the hot path.
    if (this.#signer === null) return checked(raw);
    return this.#signer.unsign(raw).then(checked);
  }

  /**
   * The `Set-Cookie` value that stores a session token until `expires`; with `persistent` false, a
   * browser-session cookie (no `Max-Age` or `Expires`: the browser drops it when it closes).
   */
  async set(
    token: string,
    expires: Date,
    secure: boolean,
    nowMs: number,
    persistent = true,
  ): Promise<string> {
    const value = this.#signer === null ? token : await this.#signer.sign(token);
    return stringifySetCookie({
      name: this.name(secure),
      value,
      httpOnly: true,
      secure,
      sameSite: this.#sameSite,
      path: '/',
      ...(persistent
        ? { maxAge: Math.max(0, Math.floor((expires.getTime() - nowMs) / 1000)), expires }
        : {}),
    });
  }

  /** The `Set-Cookie` value that removes the cookie. */
  clear(secure: boolean): string {
    return stringifySetCookie({
      name: this.name(secure),
      value: '',
      httpOnly: true,
      secure,
      sameSite: this.#sameSite,
      path: '/',
      maxAge: 0,
      expires: new Date(0),
    });
  }
}

/** What {@link SessionCookie.read} found. */
export type CookieRead =
  { state: 'absent' } | { state: 'refused' } | { state: 'present'; token: string };

const ABSENT: CookieRead = Object.freeze({ state: 'absent' });
const REFUSED: CookieRead = Object.freeze({ state: 'refused' });

function checked(token: string | null): CookieRead {
  return token === null || !TOKEN_CHARS.test(token) ? REFUSED : { state: 'present', token };
}
