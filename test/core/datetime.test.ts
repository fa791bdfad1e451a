import { describe, expect, it } from 'vitest';
import { isServerDate, serverDatetime } from '../../src/core/datetime.js';
import { strptimeMicros } from '../../src/testing/py.js';
import { pythonDatetime } from '../../src/web/dates.js';

/**
 * The server's datetime format (`core/datetime.ts`), the one formatter of the package: the server parses a value
 * with `datetime.strptime(text.replace("Z", ""), "%Y-%m-%dT%H:%M:%S.%f")`, which the test kit's `strptimeMicros`
 * is (test/testing/py.test.ts); test/interop/datetime.test.ts holds the formatter against Python's own. A `Date`
 * given for a `datetime` argument over the wire: test/client/datetime.test.ts.
 */

/** The server's format, as the client writes it: always six digits of fraction, no zone. */
const SERVER_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

describe('the server datetime formatter', () => {
  it.each([
    [Date.UTC(2099, 0, 1), '2099-01-01T00:00:00.000000'],
    [Date.UTC(2099, 0, 1, 12, 34, 56, 789), '2099-01-01T12:34:56.789000'],
    [Date.UTC(2024, 1, 29, 23, 59, 59, 1), '2024-02-29T23:59:59.001000'],
    [Date.parse('0001-01-01T00:00:00.000Z'), '0001-01-01T00:00:00.000000'],
    [Date.parse('0999-12-31T23:59:59.999Z'), '0999-12-31T23:59:59.999000'],
    [Date.parse('9999-12-31T23:59:59.999Z'), '9999-12-31T23:59:59.999000'],
  ])('%d is %s, which the server parses back to the same instant', (ms, text) => {
    expect(serverDatetime(new Date(ms))).toBe(text);
    expect(text).toMatch(SERVER_FORMAT);
    expect(strptimeMicros(text)).toBe(BigInt(ms) * 1000n); // microseconds since the epoch
  });

  it('refuses what Python cannot hold: an invalid Date, year 0, year 10000', () => {
    for (const date of [
      new Date(Number.NaN),
      new Date(Date.parse('0001-01-01T00:00:00.000Z') - 1),
      new Date(Date.parse('9999-12-31T23:59:59.999Z') + 1),
    ]) {
      expect(isServerDate(date)).toBe(false);
      expect(() => serverDatetime(date)).toThrow(RangeError);
    }
  });

  it("is the web layer's formatter too (web/dates.ts delegates to it)", () => {
    const ms = Date.UTC(2030, 5, 15, 8, 9, 10, 11);
    expect(pythonDatetime(ms)).toBe(serverDatetime(new Date(ms)));
    expect(pythonDatetime(ms)).toBe('2030-06-15T08:09:10.011000');
  });
});
