/**
 * The end user's IP address, as `client_ipaddr`: the socket's peer by default; `X-Forwarded-For` only through
 * proxies the app trusts by setting (a hop count, or a list of addresses and CIDR ranges). Also the small IP
 * parser and CIDR matcher this needs (IPv4, IPv6, IPv4-mapped IPv6), in plain code for every runtime.
 */
import type { TrustProxy } from './types.js';

/** The address used when a runtime does not give the socket's peer. */
export const UNKNOWN_IP = '0.0.0.0';

/** Parses an IPv4 address into 4 bytes, or null. */
function parseV4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** Parses an IPv6 address (with `::`, an embedded IPv4 tail, no zone) into 16 bytes, or null. */
function parseV6(text: string): number[] | null {
  if (text.includes('%')) text = text.slice(0, text.indexOf('%'));
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseV4(part);
        if (v4 === null) return null;
        out.push(
          ((v4[0] as number) << 8) | (v4[1] as number),
          ((v4[2] as number) << 8) | (v4[3] as number),
        );
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes: number[] = [];
  for (const g of all) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

/** A parsed address: 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
export interface ParsedIp {
  readonly bytes: readonly number[];
  /** The canonical text: dotted IPv4, or the IPv6 text as given (lower case, brackets removed). */
  readonly text: string;
}

/** Parses an address (`1.2.3.4`, `::1`, `[::1]`, `::ffff:1.2.3.4`, `1.2.3.4:5678`), or null when it is not one. */
export function parseIp(input: string): ParsedIp | null {
  let text = input.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return null;
    text = text.slice(1, end);
  } else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) {
    text = text.slice(0, text.lastIndexOf(':'));
  }
  const v4 = parseV4(text);
  if (v4 !== null) return { bytes: v4, text };
  const v6 = parseV6(text);
  if (v6 === null) return null;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  if (mapped) {
    const b = v6.slice(12);
    return { bytes: b, text: b.join('.') };
  }
  return { bytes: v6, text: text.toLowerCase() };
}

/** One trusted range. */
interface Range {
  readonly bytes: readonly number[];
  readonly bits: number;
}

const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  uniquelocal: ['fc00::/7'],
};

/** Parses one trusted entry (`10.0.0.1`, `10.0.0.0/8`, `::1`, `loopback`, `private`, ...). */
function parseRanges(entry: string): Range[] {
  const named = NAMED[entry.trim().toLowerCase()];
  if (named !== undefined) return named.flatMap(parseRanges);
  const [addr, bitsText, ...rest] = entry.trim().split('/');
  const ip = parseIp(addr ?? '');
  const max = ip === null ? 0 : ip.bytes.length * 8;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (ip === null || rest.length > 0 || !Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new TypeError(
      `trustProxy: '${entry}' is not an IP address, a CIDR range or a named range`,
    );
  }
  return [{ bytes: ip.bytes, bits }];
}

function inRange(ip: ParsedIp, range: Range): boolean {
  if (ip.bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] as number) & mask) !== ((range.bytes[i] as number) & mask)) return false;
  }
  return true;
}

/** A compiled trust setting: which hop is the client's. */
export type ClientIpResolver = (
  remoteAddress: string | undefined,
  forwardedFor: string | null,
) => string;

/**
 * Compiles a {@link TrustProxy} setting into a resolver from the socket's peer and the `X-Forwarded-For`
 * header to the client's address. Never throws on request data: an address that does not parse ends the walk
 * (the last trusted hop's address is used).
 *
 * @throws {TypeError} when the setting itself is malformed (names the entry).
 */
export function clientIp(trust: TrustProxy = false): ClientIpResolver {
  const socketIp = (remote: string | undefined): ParsedIp | null =>
    remote === undefined ? null : parseIp(remote);
  if (trust === false) {
    return (remote) => socketIp(remote)?.text ?? UNKNOWN_IP;
  }
  if (typeof trust === 'number') {
    if (!Number.isInteger(trust) || trust < 0) {
      throw new TypeError('trustProxy: a hop count must be a whole number ≥ 0');
    }
    return (remote, header) => {
      let current = socketIp(remote);
      if (current === null) return UNKNOWN_IP;
      const hops = forwardedList(header);
      for (let i = 0; i < trust && hops.length > 0; i++) {
        const next = parseIp(hops.pop() as string);
        if (next === null) break;
        current = next;
      }
      return current.text;
    };
  }
  const ranges = trust.flatMap(parseRanges);
  const trusted = (ip: ParsedIp): boolean => ranges.some((r) => inRange(ip, r));
  return (remote, header) => {
    let current = socketIp(remote);
    if (current === null) return UNKNOWN_IP;
    const hops = forwardedList(header);
    while (trusted(current) && hops.length > 0) {
      const next = parseIp(hops.pop() as string);
      if (next === null) break;
      current = next;
    }
    return current.text;
  };
}

/** The addresses of an `X-Forwarded-For` header, leftmost (the claimed client) first. */
function forwardedList(header: string | null): string[] {
  if (header === null || header === '') return [];
  return header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
