import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../src/testing/policy.js';
import {
  isoformat,
  pyJsonDumps,
  PythonError,
  similarityRatio,
  squeeze,
  strptimeMicros,
  xhtmlEscape,
} from '../../src/testing/py.js';
import { record } from './helpers.js';

/** The Python behaviours the in-memory server reproduces, held against values Python 3.11 gives. */

describe('similarityRatio: difflib.SequenceMatcher(None, a, b).ratio()', () => {
  it.each([
    ['ochre-walrus-quantum-7781', 'alice.3e4e00@example.com', 0.16326530612244897],
    ['password', 'weak pass', 0.47058823529411764],
    ['abcd', 'bcde', 0.75],
    ['', '', 1],
    ['fayexample', 'fay example', 0.9523809523809523],
    ['héllo wörld', 'hello world', 0.8181818181818182],
    // b of 200 characters or more: difflib ignores its popular characters ("autojunk").
    [`${'x'.repeat(250)}ab`, `ab${'x'.repeat(260)}`, 0.007782101167315175],
    ['a'.repeat(300), `${'a'.repeat(150)}${'b'.repeat(150)}`, 0.5],
  ])('%s ~ %s', (a, b, ratio) => {
    expect(similarityRatio(a, b)).toBe(ratio);
  });
});

describe('datetimes', () => {
  it('parse as strptime("%Y-%m-%dT%H:%M:%S.%f") and print as isoformat()', () => {
    expect(isoformat(strptimeMicros('2026-2-3T4:05:06.7'))).toBe('2026-02-03T04:05:06.700000');
    expect(isoformat(strptimeMicros('2099-01-01T00:00:00.000000'))).toBe('2099-01-01T00:00:00');
    expect(isoformat(strptimeMicros('0001-01-01T00:00:00.000001'))).toBe(
      '0001-01-01T00:00:00.000001',
    );
  });

  it('refuse what strptime refuses', () => {
    for (const text of [
      '2031-01-01T00:00:00',
      '2031-02-30T00:00:00.1',
      '2031-01-01 00:00:00.1',
      '2031-01-01T24:00:00.1',
    ])
      expect(() => strptimeMicros(text), text).toThrow(PythonError);
  });
});

describe('text', () => {
  it('pyJsonDumps writes json.dumps layout with ensure_ascii', () => {
    expect(pyJsonDumps({ k: [1.5, 'ü\u2028😀', true], n: null })).toBe(
      '{"k": [1.5, "\\u00fc\\u2028\\ud83d\\ude00", true], "n": null}',
    );
  });

  it('squeeze and xhtmlEscape do what tornado.escape does', () => {
    expect(squeeze(' a \t\n b\x00c  ')).toBe('a b c');
    expect(xhtmlEscape(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});

describe('checkPassword: the server’s password messages', () => {
  it.each([15, 18, 71, 74, 76])('record #%i', (seq) => {
    const r = record(seq);
    const body = r.request_body as Record<string, string>;
    const password = body.password ?? body.new_password!;
    const email = body.email ?? body.email_address!;
    const fullName = body.full_name ?? 'Alice Tester';
    const check = checkPassword(fullName, email, password, 'localhost');
    expect(check.ok).toBe(false);
    // The server adds its own lines around the policy's messages.
    const real = r.raw_response!.messages.filter(
      (m) => !/password (reset|you entered)/i.test(m) && !m.startsWith('Insecure'),
    );
    expect(check.messages).toEqual(real);
  });

  it('accepts what the real server accepted offline (#13: password1234)', () => {
    const body = record(13).request_body as Record<string, string>;
    expect(checkPassword(body.full_name!, body.email!, body.password!, 'localhost')).toEqual({
      ok: true,
      messages: [],
    });
  });
});
