/** `src/web/dates.ts`: the server's naive UTC datetimes read as `Date`s, with or without a zone, and written back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerDate, pythonDatetime } from '../../src/web/dates.js';

describe('server datetimes', () => {
  it.each([
    ['2030-01-02T03:04:05.123456', Date.UTC(2030, 0, 2, 3, 4, 5, 123)],
    ['2030-01-02T03:04:05', Date.UTC(2030, 0, 2, 3, 4, 5)],
    ['2030-01-02T03:04:05Z', Date.UTC(2030, 0, 2, 3, 4, 5)],
    ['2030-01-02T03:04:05z', Date.UTC(2030, 0, 2, 3, 4, 5)],
    ['2030-01-02T03:04:05+02:00', Date.UTC(2030, 0, 2, 1, 4, 5)],
    ['2030-01-02T03:04:05-05:30', Date.UTC(2030, 0, 2, 8, 34, 5)],
    ['2030-01-02T03:04:05.5+00:00', Date.UTC(2030, 0, 2, 3, 4, 5, 500)],
  ])('%s is read as UTC unless it names a zone', (text, ms) => {
    expect(parseServerDate(text).getTime()).toBe(ms);
  });

  it('a text that is not one is an invalid Date, never a throw', () => {
    for (const text of ['', 'soon', 'Z'])
      expect(Number.isNaN(parseServerDate(text).getTime())).toBe(true);
  });

  it('writes naive UTC with microseconds, zero ones included', () => {
    expect(pythonDatetime(Date.UTC(2099, 0, 1))).toBe('2099-01-01T00:00:00.000000');
    expect(pythonDatetime(Date.UTC(2030, 5, 7, 8, 9, 10, 11))).toBe('2030-06-07T08:09:10.011000');
    expect(parseServerDate(pythonDatetime(Date.UTC(2030, 5, 7, 8, 9, 10, 11))).getTime()).toBe(
      Date.UTC(2030, 5, 7, 8, 9, 10, 11),
    );
  });
});

describe('server datetimes on an app whose local zone is not UTC', () => {
  // A naive text read as local time would pass on a UTC machine: the zone is set away from UTC here.
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('a naive text is still UTC, and a zoned one is read in its zone', () => {
    expect(new Date(2030, 0, 2).getTimezoneOffset()).not.toBe(0);
    expect(parseServerDate('2030-01-02T03:04:05').getTime()).toBe(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(parseServerDate('2030-01-02T03:04:05.5').getTime()).toBe(
      Date.UTC(2030, 0, 2, 3, 4, 5, 500),
    );
    expect(parseServerDate('2030-01-02T03:04:05+02:00').getTime()).toBe(
      Date.UTC(2030, 0, 2, 1, 4, 5),
    );
  });
});
