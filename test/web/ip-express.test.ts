/**
 * The client IP (src/web/ip.ts) against proxy-addr, as Express uses it (its `trust proxy` setting): a table, and
 * random addresses and ranges, where both must give the same client; then the few cases where we differ on
 * purpose, each asserted on both sides.
 */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { clientIp, parseIp } from '../../src/web/ip.js';
import type { TrustProxy } from '../../src/web/options.js';

/** proxy-addr's API (it ships no types). */
type Trust = (address: string, index: number) => boolean;
interface ProxyAddr {
  (req: object, trust: Trust): string;
  compile(entries: string[]): Trust;
}
const proxyaddr = createRequire(import.meta.url)('proxy-addr') as ProxyAddr;

/** Express's client for a socket address, an `X-Forwarded-For` header and a `trust proxy` setting. */
function express(trust: number | string[], remote: string, header: string | null): string {
  // Express compiles a hop count itself (the `trust proxy` setting), and a list through proxy-addr.
  const fn: Trust = typeof trust === 'number' ? (_a, i) => i < trust : proxyaddr.compile(trust);
  const headers = header === null ? {} : { 'x-forwarded-for': header };
  return proxyaddr({ headers, socket: { remoteAddress: remote } }, fn);
}

/** Express's answer in our canonical text (proxy-addr returns the hop's text as written). */
function expressCanonical(trust: number | string[], remote: string, header: string | null): string {
  const raw = express(trust, remote, header);
  const parsed = parseIp(raw);
  if (parsed === null) throw new Error(`proxy-addr answered ${raw}, which is not an address`);
  return parsed.text;
}

/** Our trust list as proxy-addr spells it: its `uniquelocal` is our `private`. */
const asExpress = (trust: readonly string[]): string[] =>
  trust.map((entry) => (entry === 'private' ? 'uniquelocal' : entry));

const ours = (
  trust: TrustProxy,
  remote: string | undefined,
  header: string | null = null,
): string => clientIp(trust)(remote, header);

const xff = '198.51.100.1, 10.0.0.5, 203.0.113.7';
const TABLE: [number | string[], string, string | null][] = [
  [0, '127.0.0.1', xff],
  [1, '127.0.0.1', xff],
  [2, '127.0.0.1', xff],
  [9, '127.0.0.1', xff],
  [2, '::ffff:127.0.0.1', '203.0.113.7'],
  [1, '::1', null],
  [['127.0.0.1'], '127.0.0.1', xff],
  [['loopback', 'private'], '127.0.0.1', xff],
  [['loopback', 'private'], '::ffff:127.0.0.1', '203.0.113.7, ::ffff:10.0.0.5'],
  [['127.0.0.1', '203.0.113.0/24', '10.0.0.0/8'], '127.0.0.1', xff],
  [['10.0.0.0/8'], '192.0.2.9', xff],
  [['10.0.0.0/8'], '::ffff:10.0.0.1', xff],
  [['::ffff:10.0.0.1'], '10.0.0.1', xff],
  [['::ffff:10.0.0.0/104'], '::ffff:10.9.9.9', xff],
  [['::ffff:10.0.0.0/104'], '10.9.9.9', xff],
  [['::ffff:0:0/96'], '198.51.100.3', xff],
  [['::/1'], '::ffff:10.0.0.1', xff],
  [['::/64'], '::ffff:10.0.0.1', xff],
  [['0.0.0.0/1'], '2001:db8::1', xff],
  [['10.0.0.0/255.0.0.0', 'loopback'], '127.0.0.1', xff],
  [['2001:db8::/32'], '2001:db8::7', '2001:db9::1'],
  [['2001:db8::/127'], '2001:db8::1', '2001:db8::, 2001:db8::2'],
  [['2001:db8::1/128'], '2001:db8::1', '2001:db8::2, 2001:db8::1'],
  [['linklocal'], 'fe80::1%eth0', '203.0.113.7'],
  [['fe80::1%eth0'], 'fe80::1%eth0', '203.0.113.7'],
  [['fe80::%eth0/64'], 'fe80::1%eth0', '2001:DB8::A, 203.0.113.7'],
  [['loopback'], '::1', '2001:DB8:0:0::1'],
  [['loopback', 'linklocal', 'private'], '10.1.1.1', '192.168.0.9, 172.16.1.1, fd00::5'],
];

/** An address from its bytes, written in one of the ways a proxy or a socket may write it. */
const address = fc
  .oneof(
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
  )
  .chain((bytes) => {
    const ip = ipaddr.fromByteArray(bytes);
    if (ip.kind() === 'ipv6') {
      return fc.constantFrom(ip.toString(), ip.toNormalizedString(), ip.toString().toUpperCase());
    }
    return fc.constantFrom(ip.toString(), `::ffff:${ip.toString()}`);
  });

/** A trust list entry around one of `pool`'s addresses: itself, or a CIDR range of it. */
function entry(pool: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...pool), fc.nat()).map(([text, n]) => {
    const parsed = parseIp(text);
    if (parsed === null) throw new Error(`not an address: ${text}`);
    const mapped = parsed.address.kind() === 'ipv4' && text.includes(':');
    // Prefixes from /1 (proxy-addr refuses /0); a mapped range from /96 (shorter, it matches nothing there).
    const [min, max] = mapped ? [96, 128] : parsed.address.kind() === 'ipv4' ? [1, 32] : [1, 128];
    const form = n % 3;
    return form === 0 ? text : `${text}/${min + (n % (max - min + 1))}`;
  });
}

describe('against proxy-addr (Express)', () => {
  it.each(TABLE)('trust %j, socket %s, X-Forwarded-For %j', (trust, remote, header) => {
    const expressTrust = typeof trust === 'number' ? trust : asExpress(trust);
    expect(ours(trust, remote, header)).toBe(expressCanonical(expressTrust, remote, header));
  });

  it('random addresses, ranges, headers and hop counts: the same client', () => {
    fc.assert(
      fc.property(
        fc.array(address, { minLength: 1, maxLength: 6 }).chain((pool) =>
          fc.record({
            remote: fc.constantFrom(...pool),
            hops: fc.array(fc.constantFrom(...pool), { maxLength: 5 }),
            trust: fc.oneof(
              fc.nat({ max: 7 }),
              fc.array(fc.oneof(entry(pool), fc.constantFrom('loopback', 'linklocal', 'private')), {
                minLength: 1,
                maxLength: 4,
              }),
            ),
          }),
        ),
        ({ remote, hops, trust }) => {
          const header = hops.length === 0 ? null : hops.join(', ');
          const expressTrust = typeof trust === 'number' ? trust : asExpress(trust);
          expect(ours(trust, remote, header)).toBe(expressCanonical(expressTrust, remote, header));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('where we differ on purpose: each case as Express gives it, and as we do', () => {
    // A hop that is not an address: Express returns its text as the client's address; we stop before it.
    expect(express(['loopback'], '127.0.0.1', '1.2.3.4, garbage')).toBe('garbage');
    expect(ours(['loopback'], '127.0.0.1', '1.2.3.4, garbage')).toBe('127.0.0.1');
    expect(express(1, '127.0.0.1', 'garbage')).toBe('garbage');
    expect(ours(1, '127.0.0.1', 'garbage')).toBe('127.0.0.1');
    // A hop with a port (as some load balancers write it): Express returns it as written, and it trusts no
    // proxy written that way; we strip the port.
    expect(express(1, '127.0.0.1', '203.0.113.7:51234')).toBe('203.0.113.7:51234');
    expect(ours(1, '127.0.0.1', '203.0.113.7:51234')).toBe('203.0.113.7');
    expect(express(['uniquelocal'], '10.0.0.1', '203.0.113.7, 10.0.0.2:80')).toBe('10.0.0.2:80');
    expect(ours(['private'], '10.0.0.1', '203.0.113.7, 10.0.0.2:80')).toBe('203.0.113.7');
    // The text: Express keeps the hop's; ours is canonical.
    expect(express(1, '127.0.0.1', '::FFFF:203.0.113.7')).toBe('::FFFF:203.0.113.7');
    expect(ours(1, '127.0.0.1', '::FFFF:203.0.113.7')).toBe('203.0.113.7');
    // Named ranges: Express's `uniquelocal` is our `private`; ours is the IPv6 unique local range alone, as
    // its name says (RFC 4193). Express has no `private`.
    expect(express(['uniquelocal'], '10.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['uniquelocal'], '10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    expect(() => proxyaddr.compile(['private'])).toThrow(TypeError);
    // /0: Express refuses it; we take it (every address of that family is a proxy).
    expect(() => proxyaddr.compile(['0.0.0.0/0'])).toThrow(/invalid range/);
    expect(ours(['0.0.0.0/0'], '192.0.2.1', '203.0.113.7')).toBe('203.0.113.7');
    // A mapped range shorter than /96: Express takes it and it matches nothing; we refuse it.
    expect(express(['::ffff:10.0.0.0/8'], '10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    expect(() => clientIp(['::ffff:10.0.0.0/8'])).toThrow(/shorter than \/96/);
    // A zone id that is a real interface name with a dot (a VLAN): ipaddr.js 1.9.1 cannot read it.
    expect(express(['linklocal'], 'fe80::1%eth0.100', '203.0.113.7')).toBe('fe80::1%eth0.100');
    expect(ours(['linklocal'], 'fe80::1%eth0.100', '203.0.113.7')).toBe('203.0.113.7');
  });
});
