/**
 * `src/web/csrf.ts` on its own: which methods are safe, the origin of a URL and of an option, the origin check
 * (Origin, then Referer, the trusted origins, what is logged of a refusal) and the path written in a log line.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  isSafeMethod,
  normalizeOrigin,
  OriginCheck,
  originOf,
  pathForLog,
} from '../../src/web/csrf.js';

const APP = ['https://app.example.com'];
const headers = (h: Record<string, string>) => new Headers(h);

describe('safe methods', () => {
  it('are GET, HEAD and OPTIONS, in any case; every other method is unsafe', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'get', 'head', 'Options'])
      expect(isSafeMethod(m), m).toBe(true);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'TRACE', 'post', ''])
      expect(isSafeMethod(m), m).toBe(false);
  });
});

describe('originOf', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['https://APP.example.com/x/y', 'https://app.example.com'],
    ['https://app.example.com?x=1', 'https://app.example.com'],
    ['https://app.example.com#part', 'https://app.example.com'],
    ['https://app.example.com/p?next=https://evil.test/', 'https://app.example.com'],
    ['https://app.example.com:443/', 'https://app.example.com'],
    ['http://app.example.com:80/', 'http://app.example.com'],
    ['http://app.example.com:8080/x', 'http://app.example.com:8080'],
    ['https://app.example.com:80/', 'https://app.example.com:80'],
    ['http://app.example.com:443/', 'http://app.example.com:443'],
    ['http://app.example.com:8081', 'http://app.example.com:8081'],
    ['https://user:pw@app.example.com/', ''],
    ['app.example.com/x', ''],
    ['://app.example.com', ''],
    ['', ''],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });
});

describe('normalizeOrigin', () => {
  it.each([
    ['https://App.Example.com', 'https://app.example.com'],
    ['https://app.example.com/', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['http://app.example.com:80', 'http://app.example.com'],
    ['https://app.example.com:4430', 'https://app.example.com:4430'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('%s → %s', (text, origin) => {
    expect(normalizeOrigin(text)).toBe(origin);
  });

  it.each(['https://app.example.com/path', 'app.example.com', '', 'https://a.test?x', 'x://'])(
    '%s is not an origin',
    (text) => {
      expect(normalizeOrigin(text)).toBeNull();
    },
  );
});

describe('OriginCheck', () => {
  const check = new OriginCheck(['https://admin.example.com'], false);

  it('passes the app and trusted origins, by Origin or else by Referer; white space around them is ignored', () => {
    for (const h of [
      { origin: 'https://app.example.com' },
      { origin: ' https://app.example.com ' },
      { origin: 'https://admin.example.com' },
      { referer: 'https://app.example.com/form?x=1' },
      { referer: ' https://app.example.com/form ' },
    ]) {
      expect(check.refusal(headers(h), APP), JSON.stringify(h)).toBeNull();
      expect(check.allows(headers(h), APP)).toBe(true);
    }
  });

  it('says what a refused request showed: its Origin (quoted, cut), its Referer origin only, or neither', () => {
    expect(check.refusal(headers({ origin: 'https://evil.test' }), APP)).toBe(
      'Origin "https://evil.test"',
    );
    expect(check.refusal(headers({ origin: 'null' }), APP)).toBe('Origin "null"');
    expect(check.refusal(headers({ origin: 'not a url' }), APP)).toBe('Origin "not a url"');
    expect(check.refusal(headers({ origin: `https://${'x'.repeat(200)}` }), APP)).toBe(
      `Origin "https://${'x'.repeat(92)}…"`,
    );
    // A header as a Node adapter passes it, untrimmed: control characters are escaped in the log.
    const raw = { get: (name: string) => (name === 'origin' ? 'https://evil.test\n' : null) };
    expect(check.refusal(raw, APP)).toBe('Origin "https://evil.test\\n"');
    expect(check.refusal(headers({ referer: 'https://evil.test/reset?token=abc' }), APP)).toBe(
      'a Referer from "https://evil.test"',
    );
    expect(check.refusal(headers({ referer: '/relative' }), APP)).toBe(
      'a Referer that is not an absolute URL',
    );
    for (const h of [{}, { referer: '' }]) {
      expect(check.refusal(headers(h), APP)).toBe(
        'neither Origin nor Referer (csrf.allowMissingOrigin is off)',
      );
    }
    // Origin wins over Referer.
    expect(
      check.allows(
        headers({ origin: 'https://evil.test', referer: 'https://app.example.com/' }),
        APP,
      ),
    ).toBe(false);
  });

  it('lets a request with neither header through only when allowed', () => {
    const lenient = new OriginCheck([], true);
    expect(lenient.refusal(headers({}), APP)).toBeNull();
    expect(lenient.refusal(headers({ referer: '' }), APP)).toBeNull();
    expect(lenient.allows(headers({ origin: 'https://evil.test' }), APP)).toBe(false);
  });

  it('lists the trusted origins, normalised, and refuses one that is not an origin by its index', () => {
    expect(new OriginCheck(['https://A.test:443', 'http://b.test'], false).trusted).toEqual([
      'https://a.test',
      'http://b.test',
    ]);
    expect(() => new OriginCheck(['https://ok.test', 'https://x.test/path'], false)).toThrow(
      ConfigError,
    );
    try {
      new OriginCheck(['https://ok.test', 'https://x.test/path'], false);
    } catch (error) {
      expect((error as ConfigError).option).toBe('csrf.trustedOrigins[1]');
      expect((error as ConfigError).message).toBe(
        'csrf.trustedOrigins[1]: must be scheme://host[:port]',
      );
    }
  });
});

describe('pathForLog', () => {
  it.each([
    ['https://app.test/a/b?token=secret', '/a/b'],
    ['https://app.test/a#frag', '/a'],
    ['https://app.test', '/'],
    ['https://app.test?x', '/'],
    ['/plain/path?q', '/plain/path'],
    ['https://app.test/a"b\\c\u0001', '/a\\"b\\\\c\\u0001'],
  ])('%s → %s', (url, path) => {
    expect(pathForLog(url)).toBe(path);
  });

  it('cuts a long path to 200 characters', () => {
    const long = `/${'p'.repeat(300)}`;
    expect(pathForLog(`https://app.test${long}`)).toBe(`${long.slice(0, 200)}…`);
  });
});
