import { randomBytes } from 'node:crypto';

/**
 * The few Python behaviours the in-memory server must reproduce to answer as authnzerver does: truth values,
 * `datetime.isoformat`, `strptime`, `json.dumps`, `int()`, `str.casefold`, tornado's `squeeze` and
 * `xhtml_escape`, `secrets.token_urlsafe` and difflib's similarity ratio. Written for this package.
 */

/** Python's truth value of a JSON value: false for null, false, 0, '', [] and {}. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '')
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

const stringify = JSON.stringify as (value: unknown) => string | undefined;

/** `JSON.stringify`, with `'undefined'` for undefined (which it gives no text for). */
export function jsonText(value: unknown): string {
  return stringify(value) ?? 'undefined';
}

/**
 * A point in time in microseconds since the epoch (naive UTC, as the server stores it), as a bigint: Python's
 * datetimes run from year 1 to 9999 to the microsecond, beyond the integers a double holds exactly.
 */
export type Micros = bigint;

const MICROS_PER_SECOND = 1_000_000n;

/** Midnight UTC of a day, in microseconds. */
function utcMicros(year: number, month: number, day: number): Micros {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return BigInt(date.getTime()) * 1000n;
}
/** datetime.min and datetime.max, as microseconds since the epoch. */
const MIN_MICROS = utcMicros(1, 1, 1);
const MAX_MICROS = utcMicros(10000, 1, 1) - 1n;

/** Thrown where Python raises (an overflow, a malformed date): the server answers such requests with HTTP 400. */
export class PythonError extends Error {
  override name = 'PythonError';
}

function checkRange(micros: Micros): Micros {
  if (micros < MIN_MICROS || micros > MAX_MICROS)
    throw new PythonError('OverflowError: date value out of range');
  return micros;
}

/** Milliseconds since the epoch (fractions count) as {@link Micros}. */
export function microsOf(milliseconds: number): Micros {
  return BigInt(Math.round(milliseconds * 1000));
}

/** `when + timedelta(days=days, seconds=seconds)`, to the microsecond, with Python's overflow check. */
export function addSeconds(when: Micros, seconds: number, days = 0): Micros {
  const delta = Math.round((days * 86_400 + seconds) * 1_000_000);
  if (!Number.isFinite(delta)) throw new PythonError('OverflowError: timedelta out of range');
  return checkRange(when + BigInt(delta));
}

/** How many seconds lie between two points in time. */
export function secondsBetween(from: Micros, to: Micros): number {
  return Number(to - from) / 1_000_000;
}

const pad = (value: number | bigint, width: number): string => String(value).padStart(width, '0');

/** `datetime.isoformat()` of a naive UTC datetime: `YYYY-MM-DDTHH:MM:SS[.ffffff]`. */
export function isoformat(micros: Micros): string {
  let seconds = micros / MICROS_PER_SECOND;
  let fraction = micros % MICROS_PER_SECOND;
  if (fraction < 0n) {
    fraction += MICROS_PER_SECOND;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  const text =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  return fraction === 0n ? text : `${text}.${pad(fraction, 6)}`;
}

const STRPTIME = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,6})$/;

/**
 * `datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f")`: the fraction is required (1 to 6 digits).
 * @throws {PythonError} when the text does not match or is not a valid date.
 */
export function strptimeMicros(text: string): Micros {
  const match = STRPTIME.exec(text);
  if (match === null) throw new PythonError(`ValueError: time data ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = BigInt((match[7] ?? '').padEnd(6, '0'));
  const micros = utcMicros(year, month, day);
  const check = new Date(Number(micros / 1000n));
  if (
    year < 1 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new PythonError(`ValueError: invalid date ${JSON.stringify(text)}`);
  return checkRange(
    micros + BigInt((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND + fraction,
  );
}

/** Python's `int(value)` on a JSON value; undefined where Python raises. */
export function pyInt(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(value))
    return Number(value.replace(/_/g, '').trim());
  return undefined;
}

/** `json.dumps(value)` with Python's default separators and `ensure_ascii`. */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, item]) => `${pyJsonDumps(key)}: ${pyJsonDumps(item)}`,
  );
  return `{${entries.join(', ')}}`;
}

/** Python's `str.casefold()`, close enough for email addresses and passwords (lower case, ß as ss). */
export function casefold(text: string): string {
  return text.toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');
}

/** tornado's `squeeze`: runs of ASCII white space and control characters become one space; ends trimmed. */
export function squeeze(text: string): string {
  let out = '';
  let space = false;
  for (const char of text) {
    if (char.charCodeAt(0) <= 0x20) space = true;
    else {
      if (space && out !== '') out += ' ';
      space = false;
      out += char;
    }
  }
  return out;
}

/** tornado's `xhtml_escape`. */
export function xhtmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

/** `secrets.token_urlsafe(bytes)`: 32 bytes give 43 characters. */
export function tokenUrlsafe(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A string's code points, which Python's `len` and slicing count. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * `difflib.SequenceMatcher(None, a, b).ratio()`: 2 × matched / total length, with the matching blocks found
 * as difflib finds them (longest match first, then recursively left and right), and its "autojunk" rule for
 * a `b` of 200 characters or more (characters more frequent than 1% + 1 of `b` are ignored).
 */
export function similarityRatio(aText: string, bText: string): number {
  const a = codePoints(aText);
  const b = codePoints(bText);
  const total = a.length + b.length;
  if (total === 0) return 1;
  const b2j = new Map<string, number[]>();
  b.forEach((char, j) => {
    const list = b2j.get(char);
    if (list === undefined) b2j.set(char, [j]);
    else list.push(j);
  });
  if (b.length >= 200) {
    const popular = Math.floor(b.length / 100) + 1;
    for (const [char, list] of b2j) if (list.length > popular) b2j.delete(char);
  }

  const longest = (
    alo: number,
    ahi: number,
    blo: number,
    bhi: number,
  ): [number, number, number] => {
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of b2j.get(a[i] as string) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = next;
    }
    // With no junk function, difflib extends the match over equal neighbours (popular characters included).
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (
      besti + bestsize < ahi &&
      bestj + bestsize < bhi &&
      a[besti + bestsize] === b[bestj + bestsize]
    )
      bestsize++;
    return [besti, bestj, bestsize];
  };

  let matched = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k === 0) continue;
    matched += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return (2 * matched) / total;
}
