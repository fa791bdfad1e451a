/**
 * Values as the real server's Python and SQLite see them, for the in-memory authnzerver's actions: Python's
 * `True`/`False` text, `ipaddress.ip_address`, a missing dict key, SQLite's integer comparison, the server's
 * password truncation, its `"__delete__"` merge of JSON dicts, plus the salted hash the store keeps in place of
 * passwords and refresh tokens. Nothing here reads or changes the store.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { codePoints, isoformat, PythonError, type Micros } from '../py.js';

/** scrypt with small parameters: a test server needs a real one-way hash, not a slow one. */
const derive = (secret: string, salt: Buffer): Buffer =>
  scryptSync(secret, salt, 32, { N: 1024, r: 8, p: 1 });

/** A salted one-way hash of a secret, as `salt$key` in base64. */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}$${derive(secret, salt).toString('base64')}`;
}

/** Whether a secret matches a hash that {@link hashSecret} made. */
export function verifySecret(stored: string, secret: string): boolean {
  const [salt = '', key = ''] = stored.split('$');
  const expected = Buffer.from(key, 'base64');
  const actual = derive(secret, Buffer.from(salt, 'base64'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The first 256 code points, as the server truncates passwords. */
export const clip = (text: string): string => codePoints(text).slice(0, 256).join('');

/** Python's `ipaddress.ip_address(text)`, as text. @throws {PythonError} */
export function normalizeIp(value: unknown): string {
  if (typeof value === 'string') {
    if (isIPv4(value)) return value;
    const [address = '', zone] = value.split('%');
    if (isIPv6(address)) {
      const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
      return zone === undefined ? host : `${host}%${zone}`;
    }
  }
  throw new PythonError(`ValueError: ${JSON.stringify(value)} does not appear to be an IP address`);
}

/** A JSON value as SQLite compares it with an integer column: numbers, booleans (as 0/1) and numeric text. */
export function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+(\.0*)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Python's `dict[key]`: the value, or the `KeyError` the server would raise. @throws {PythonError} */
export function need(dict: unknown, key: string): unknown {
  if (typeof dict !== 'object' || dict === null || !(key in dict))
    throw new PythonError(`KeyError: '${key}'`);
  return (dict as Record<string, unknown>)[key];
}

/** Python's `str()` of a boolean. */
export const pyBool = (value: boolean): string => (value ? 'True' : 'False');

/** Merges an update into a stored dict: the value `"__delete__"` removes an existing key. */
export function mergeUpdate(
  base: Readonly<Record<string, unknown>> | null,
  update: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged = new Map(Object.entries(base ?? {}));
  for (const [key, value] of Object.entries(update)) {
    if (value === '__delete__' && merged.has(key)) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

/** A deep copy, so that no caller shares a stored object. */
export const clone = <T>(value: T): T => structuredClone(value);

/** A stored datetime as the server sends it, or null. */
export const isoOrNull = (micros: Micros | null): string | null =>
  micros === null ? null : isoformat(micros);
