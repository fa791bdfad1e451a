/**
 * `src/web/cookies.ts` on its own: the cookie's name and flags for each setting, what `Set-Cookie` says when a
 * session is set and cleared, how a `Cookie` header is read (absent, refused, present), and signed values.
 */
import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { SessionCookie } from '../../src/web/cookies.js';

const TOKEN = 'abcdefghijklmnop_-0123456789';
const NOW = Date.UTC(2030, 0, 1);
const IN_AN_HOUR = new Date(NOW + 3_600_000);

function optionOf(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).option;
  }
  throw new Error('accepted');
}

describe('the cookie options', () => {
  it('refuse a name that is not a cookie token or starts with "__", a bad sameSite or secure', () => {
    for (const name of ['a b', 'x;y', '', '__x', '__Host-x', 'é'])
      expect(optionOf(() => new SessionCookie({ name }))).toBe('cookie.name');
    expect(new SessionCookie({ name: 'x__' }).name(false)).toBe('x__');
    expect(optionOf(() => new SessionCookie({ sameSite: 'none' as never }))).toBe(
      'cookie.sameSite',
    );
    for (const secure of ['yes', 1, 'true'])
      expect(optionOf(() => new SessionCookie({ secure: secure as never }))).toBe('cookie.secure');
  });

  it('name the cookie, with __Host- when it is Secure', () => {
    const c = new SessionCookie();
    expect(c.name(false)).toBe('azsession');
    expect(c.name(true)).toBe('__Host-azsession');
    expect(new SessionCookie({ name: 'sid' }).name(true)).toBe('__Host-sid');
  });

  it("decide Secure from the app's origin in 'auto' mode, or always, or never", () => {
    const auto = new SessionCookie();
    expect(auto.isSecure('https://app.test')).toBe(true);
    expect(auto.isSecure('http://app.test')).toBe(false);
    expect(new SessionCookie({ secure: true }).isSecure('http://app.test')).toBe(true);
    expect(new SessionCookie({ secure: false }).isSecure('https://app.test')).toBe(false);
  });
});

describe('Set-Cookie', () => {
  it('stores a token until the session expires: HttpOnly, Path=/, SameSite, no Domain, Secure on https', async () => {
    for (const [secure, sameSite] of [
      [true, 'lax'],
      [false, 'strict'],
    ] as const) {
      const text = await new SessionCookie({ sameSite }).set(TOKEN, IN_AN_HOUR, secure, NOW);
      const cookie = parseSetCookie(text);
      expect(cookie).toMatchObject({
        name: secure ? '__Host-azsession' : 'azsession',
        value: TOKEN,
        httpOnly: true,
        path: '/',
        maxAge: 3600,
        sameSite,
      });
      expect(cookie.expires?.getTime()).toBe(IN_AN_HOUR.getTime());
      expect(cookie.domain).toBeUndefined();
      expect(cookie.secure === true).toBe(secure);
    }
    // A session already past its expiry: Max-Age 0, never negative.
    const past = parseSetCookie(
      await new SessionCookie().set(TOKEN, new Date(NOW - 5000), false, NOW),
    );
    expect(past.maxAge).toBe(0);
  });

  it('clears the cookie with the same name and flags, empty and expired', () => {
    for (const secure of [true, false]) {
      const cookie = parseSetCookie(new SessionCookie({ sameSite: 'strict' }).clear(secure));
      expect(cookie).toMatchObject({
        name: secure ? '__Host-azsession' : 'azsession',
        value: '',
        httpOnly: true,
        path: '/',
        maxAge: 0,
        sameSite: 'strict',
      });
      expect(cookie.expires?.getTime()).toBe(0);
      expect(cookie.secure === true).toBe(secure);
    }
  });
});

describe('reading the Cookie header', () => {
  const c = new SessionCookie();

  it('finds nothing without the cookie, or with it empty', async () => {
    for (const header of [null, '', 'other=1', 'azsession=', 'xazsession=abc; azsessionx=def'])
      expect(await c.read(header, false), String(header)).toEqual({ state: 'absent' });
    // On https only the __Host- name is read: a plain one (any subdomain could set it) is not.
    expect(await c.read(`azsession=${TOKEN}`, true)).toEqual({ state: 'absent' });
  });

  it('refuses a value that is not a session token, and takes one that is', async () => {
    for (const value of [
      'short',
      'a'.repeat(257),
      'has space here',
      'ünïcode-token',
      'a.b.c.d.e.f',
    ])
      expect(await c.read(`azsession=${encodeURIComponent(value)}`, false), value).toEqual({
        state: 'refused',
      });
    expect(await c.read(`a=1; azsession=${TOKEN}; b=2`, false)).toEqual({
      state: 'present',
      token: TOKEN,
    });
    expect(await c.read(`__Host-azsession=${TOKEN}`, true)).toEqual({
      state: 'present',
      token: TOKEN,
    });
  });

  it('with signing, takes only a value signed by one of the secrets', async () => {
    const a = 'a-signing-secret-of-at-least-32-bytes';
    const b = 'b-signing-secret-of-at-least-32-bytes';
    const signed = new SessionCookie({ signingSecret: a });
    const value = parseSetCookie(await signed.set(TOKEN, IN_AN_HOUR, false, NOW)).value as string;
    expect(value).toMatch(new RegExp(`^${TOKEN}\\.[A-Za-z0-9_-]{43}$`));
    expect(await signed.read(`azsession=${value}`, false)).toEqual({
      state: 'present',
      token: TOKEN,
    });
    // Rotation: a list verifies with every secret, and signs with the first.
    const rotated = new SessionCookie({ signingSecret: [b, a] });
    expect(await rotated.read(`azsession=${value}`, false)).toEqual({
      state: 'present',
      token: TOKEN,
    });
    expect(await new SessionCookie({ signingSecret: b }).read(`azsession=${value}`, false)).toEqual(
      {
        state: 'refused',
      },
    );
    expect(await signed.read(`azsession=${TOKEN}`, false)).toEqual({ state: 'refused' });
  });
});
