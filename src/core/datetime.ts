/**
 * Datetimes as authnzerver reads them in requests: naive UTC ISO strings with microseconds,
 * `YYYY-MM-DDTHH:MM:SS.ffffff`, with no zone. The server parses `session-new`'s `expires` with
 * `%Y-%m-%dT%H:%M:%S.%f`, so the fraction is required (`.000000` when it is zero). This is the package's one
 * formatter: the client formats each `Date` given for a `datetime` argument with it (`request.ts`), and the web
 * layer its session expiries (`web/dates.ts`).
 */

/** The first and last milliseconds Python's `datetime` can hold: the years 1 to 9999. */
const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether the server can take a `Date`: a valid one (not `new Date(NaN)`), in the years 1 to 9999 (UTC). */
export function isServerDate(date: Date): boolean {
  const time = date.getTime();
  return time >= FIRST && time <= LAST;
}

/**
 * A `Date` in the server's datetime format, `YYYY-MM-DDTHH:MM:SS.ffffff` (UTC, no zone). A `Date` holds
 * milliseconds, so the last three digits are always `000`.
 * @throws {RangeError} for a Date the server cannot take (see {@link isServerDate}).
 *
 * @example
 * serverDatetime(new Date(Date.UTC(2099, 0, 1))); // '2099-01-01T00:00:00.000000'
 */
export function serverDatetime(date: Date): string {
  if (!isServerDate(date))
    throw new RangeError('expected a valid Date in the years 1 to 9999 (UTC)');
  // toISOString is `YYYY-MM-DDTHH:MM:SS.mmmZ` for these years.
  return `${date.toISOString().slice(0, -1)}000`;
}
