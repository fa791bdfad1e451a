/**
 * The client IP (src/web/ip.ts): the canonical text of an address; the walk of `X-Forwarded-For` through trusted
 * proxies, and what a client can and cannot spoof; IPv4-mapped IPv6 and zone ids; CIDR edges; the errors a bad
 * `trustProxy` entry gets. ip-express.test.ts holds it against proxy-addr, as Express uses it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { clientIp, parseIp } from '../../src/web/ip.js';
import type { TrustProxy } from '../../src/web/options.js';

const ours = (
  trust: TrustProxy,
  remote: string | undefined,
  header: string | null = null,
): string => clientIp(trust)(remote, header);

describe('parseIp: the canonical text of an address', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3'],
    [' 10.1.2.3 ', '10.1.2.3'],
    ['10.1.2.3:4567', '10.1.2.3'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:10.1.2.3', '10.1.2.3'],
    ['::ffff:a01:203', '10.1.2.3'],
    ['0:0:0:0:0:ffff:10.1.2.3', '10.1.2.3'],
    ['[::ffff:10.1.2.3]:80', '10.1.2.3'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['[2001:db8::1]:8080', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::1', '::1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['FE80::1%ETH0', 'fe80::1%eth0'],
    ['fe80::1%eth0.100', 'fe80::1%eth0.100'],
    ['fe80::1%br-lan', 'fe80::1%br-lan'],
    ['fe80::1%3', 'fe80::1%3'],
    ['[fe80::1%eth0]:443', 'fe80::1%eth0'],
  ])('%s is %s', (input, text) => {
    expect(parseIp(input)?.text).toBe(text);
  });

  it.each([
    '',
    'garbage',
    'unknown',
    'example.com',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '127.1',
    '0x7f.0.0.1',
    '2130706433',
    '1.2.3.4:',
    '1.2.3.4%eth0',
    '1::2::3',
    'fe80::1::',
    '1:2:3:4:5:6:7:8:9',
    '::ffff:1.2.3',
    '::ffff:01.2.3.4',
    '::ffff:0x7f.0.0.1',
    '::1.2.3.4',
    'fe80::1%',
    'fe80::1%eth 0',
    '[::1',
    '[::1]x',
    '[10.1.2.3',
  ])('%j is not an address', (input) => {
    expect(parseIp(input)).toBeNull();
  });
});

describe('the X-Forwarded-For walk and spoofing', () => {
  const xff = '198.51.100.1, 10.0.0.5, 203.0.113.7';

  it('without trust, the header changes nothing, whatever it says', () => {
    for (const header of ['127.0.0.1', '10.0.0.1, 127.0.0.1', xff, 'garbage', '']) {
      expect(ours(false, '203.0.113.9', header)).toBe('203.0.113.9');
      expect(ours(0, '203.0.113.9', header)).toBe('203.0.113.9');
      // A trusted list, but the peer is not one of the proxies: a client talking to the app directly.
      expect(ours(['loopback', 'private'], '203.0.113.9', header)).toBe('203.0.113.9');
    }
    expect(ours(false, '::ffff:203.0.113.9', '127.0.0.1')).toBe('203.0.113.9');
  });

  it('a client cannot get past the proxies it sent its header through', () => {
    // The proxy at 127.0.0.1 appended the client's real address (203.0.113.7); all to its left is the client's.
    expect(ours(['loopback'], '127.0.0.1', '10.0.0.1, 127.0.0.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(ours(1, '127.0.0.1', '10.0.0.1, 127.0.0.1, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('an address that does not parse ends the walk at the last trusted hop', () => {
    expect(ours(['loopback'], '127.0.0.1', '1.2.3.4, garbage')).toBe('127.0.0.1');
    expect(ours(1, '127.0.0.1', '1.2.3.4, garbage')).toBe('127.0.0.1');
    expect(ours(3, '127.0.0.1', '1.2.3.4, garbage, 10.0.0.5')).toBe('10.0.0.5');
    expect(ours(['loopback', 'private'], '127.0.0.1', '1.2.3.4, garbage, 10.0.0.5')).toBe(
      '10.0.0.5',
    );
    for (const bad of ['unknown', '127.1', '::1.2.3.4', '1.2.3.4.5', '01.2.3.4', '[::1']) {
      expect(ours(['loopback'], '127.0.0.1', `203.0.113.7, ${bad}`)).toBe('127.0.0.1');
    }
    // Garbage further left than the client is never read.
    expect(ours(1, '127.0.0.1', 'garbage, 203.0.113.7')).toBe('203.0.113.7');
    // A socket address that does not parse: the client is unknown, and the header is not read.
    expect(ours(['0.0.0.0/0'], 'garbage', '203.0.113.7')).toBe('0.0.0.0');
    expect(ours(false, undefined, '203.0.113.7')).toBe('0.0.0.0');
    expect(ours(1, undefined, '203.0.113.7')).toBe('0.0.0.0');
  });

  it('hop counts: that many proxies back, and no further than the header goes', () => {
    expect(ours(1, '127.0.0.1', xff)).toBe('203.0.113.7');
    expect(ours(2, '127.0.0.1', xff)).toBe('10.0.0.5');
    expect(ours(3, '127.0.0.1', xff)).toBe('198.51.100.1');
    expect(ours(4, '127.0.0.1', xff)).toBe('198.51.100.1');
    expect(ours(1000, '127.0.0.1', xff)).toBe('198.51.100.1');
    expect(ours(5, '127.0.0.1', null)).toBe('127.0.0.1');
    expect(ours(5, '127.0.0.1', '')).toBe('127.0.0.1');
    // Empty entries are skipped; ports and brackets are stripped.
    expect(ours(2, '127.0.0.1', ' , 203.0.113.7 ,, [2001:db8::1]:443 ,')).toBe('203.0.113.7');
    expect(ours(1, '127.0.0.1', '203.0.113.7:51234')).toBe('203.0.113.7');
  });

  it('lists: past every trusted proxy, to the first address that is not one', () => {
    expect(ours(['127.0.0.1'], '127.0.0.1', xff)).toBe('203.0.113.7');
    expect(ours(['127.0.0.1', '203.0.113.0/24', '10.0.0.0/8'], '127.0.0.1', xff)).toBe(
      '198.51.100.1',
    );
    expect(ours(['0.0.0.0/0'], '127.0.0.1', xff)).toBe('198.51.100.1');
    expect(ours(['[::1]', '[2001:db8::]/32'], '::1', '203.0.113.7, 2001:db8::5')).toBe(
      '203.0.113.7',
    );
    expect(ours(['10.0.0.0/255.0.0.0', 'loopback', '203.0.113.7'], '127.0.0.1', xff)).toBe(
      '198.51.100.1',
    );
  });
});

describe('IPv4-mapped IPv6 and zone ids', () => {
  it('a mapped address is its IPv4 address, for IPv4 ranges and mapped ranges alike', () => {
    expect(ours(['10.0.0.0/8'], '::ffff:10.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['::ffff:10.0.0.1'], '10.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['::ffff:10.0.0.1'], '::ffff:10.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['::ffff:10.0.0.0/104'], '10.200.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['::ffff:10.0.0.0/104'], '11.0.0.1', '203.0.113.7')).toBe('11.0.0.1');
    expect(ours(['::ffff:0.0.0.0/96'], '192.0.2.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['loopback', 'private'], '127.0.0.1', '203.0.113.7, ::ffff:10.0.0.5')).toBe(
      '203.0.113.7',
    );
    expect(ours(1, '127.0.0.1', '::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('the families stay apart: IPv4 ranges never trust native IPv6, nor IPv6 ranges IPv4', () => {
    expect(ours(['0.0.0.0/0'], '2001:db8::1', '203.0.113.7')).toBe('2001:db8::1');
    expect(ours(['::/0'], '10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    expect(ours(['::/0'], '::ffff:10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    // ::/64 holds ::ffff:0:0/96 by its bits, but a mapped address is IPv4 here (as in Express).
    expect(ours(['::/64'], '::ffff:10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
    expect(ours(['::ffff:10.0.0.0/104'], '::a00:1', '203.0.113.7')).toBe('::a00:1');
  });

  it('zone ids: kept in the text, read as a socket address and in the list, not compared', () => {
    expect(ours(false, 'fe80::1%eth0', null)).toBe('fe80::1%eth0');
    expect(ours(['linklocal'], 'fe80::1%eth0', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['fe80::1%eth0'], 'fe80::1%eth0', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['fe80::%eth0/64'], 'fe80::1%eth0', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['fe80::1'], 'fe80::1%eth0.100', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['fe80::1%eth1'], 'fe80::1%eth0', '203.0.113.7')).toBe('203.0.113.7');
    expect(ours(['fe80::1%eth0'], 'fe80::2%eth0', '203.0.113.7')).toBe('fe80::2%eth0');
    expect(ours(['loopback'], '::1', '203.0.113.7, fe80::9%eth0')).toBe('fe80::9%eth0');
  });
});

describe('CIDR edges and named ranges', () => {
  /** Whether `address`, as the socket's peer, is trusted by `entry`. */
  const trusts = (entry: string, address: string): boolean =>
    ours([entry], address, '203.0.113.77') === '203.0.113.77';

  it('IPv6: /0, /128, /127, /10', () => {
    expect(trusts('::/0', '2001:db8::1')).toBe(true);
    expect(trusts('::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(trusts('2001:db8::1/128', '2001:db8::1')).toBe(true);
    expect(trusts('2001:db8::1/128', '2001:db8::')).toBe(false);
    expect(trusts('2001:db8::1/128', '2001:db8::2')).toBe(false);
    expect(trusts('2001:db8::/127', '2001:db8::')).toBe(true);
    expect(trusts('2001:db8::/127', '2001:db8::1')).toBe(true);
    expect(trusts('2001:db8::/127', '2001:db8::2')).toBe(false);
    // Host bits set in the entry are ignored, as by ipaddr.js.
    expect(trusts('2001:db8::1/127', '2001:db8::')).toBe(true);
    expect(trusts('fe80::/10', 'febf:ffff::1')).toBe(true);
    expect(trusts('fe80::/10', 'fec0::1')).toBe(false);
    expect(trusts('2001:db8::/32', '2001:db9::1')).toBe(false);
  });

  it('IPv4: /0, /32, /31, /8 and netmasks', () => {
    expect(trusts('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(trusts('192.0.2.1/32', '192.0.2.1')).toBe(true);
    expect(trusts('192.0.2.1/32', '192.0.2.2')).toBe(false);
    expect(trusts('192.0.2.0/31', '192.0.2.1')).toBe(true);
    expect(trusts('192.0.2.0/31', '192.0.2.2')).toBe(false);
    expect(trusts('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(trusts('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(trusts('10.0.0.0/255.0.0.0', '10.255.255.255')).toBe(true);
    expect(trusts('10.0.0.0/255.0.0.0', '11.0.0.0')).toBe(false);
  });

  it('named ranges, in any case', () => {
    const table: [string, string, boolean][] = [
      ['loopback', '127.255.255.254', true],
      ['loopback', '::1', true],
      ['loopback', '::2', false],
      ['Loopback', '127.0.0.1', true],
      ['linklocal', '169.254.1.1', true],
      ['linklocal', 'fe80::1', true],
      ['linklocal', '169.255.0.1', false],
      [' private ', '10.1.2.3', true],
      ['private', '172.16.0.1', true],
      ['private', '172.31.255.255', true],
      ['private', '172.32.0.0', false],
      ['private', '192.168.1.1', true],
      ['private', 'fd00::1', true],
      ['private', '100.64.0.1', false],
      ['uniquelocal', 'fd00::1', true],
      ['uniquelocal', 'fc00::1', true],
      ['uniquelocal', 'fe00::1', false],
      ['uniquelocal', '10.0.0.1', false],
    ];
    for (const [entry, address, expected] of table) {
      expect([entry, address, trusts(entry, address)]).toEqual([entry, address, expected]);
    }
  });
});

describe('a bad trustProxy setting', () => {
  /** The ConfigError that compiling `trust` throws, naming the option. */
  function errorOf(trust: unknown): ConfigError {
    try {
      clientIp(trust as TrustProxy);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toMatch(/^trustProxy/);
      return error as ConfigError;
    }
    throw new Error(`${JSON.stringify(trust)} was accepted`);
  }

  it.each([
    ['10.0.0.0/33', "trustProxy: '10.0.0.0/33' has a prefix length above 32"],
    ['::1/129', "trustProxy: '::1/129' has a prefix length above 128"],
    ['::ffff:10.0.0.0/129', "trustProxy: '::ffff:10.0.0.0/129' has a prefix length above 128"],
    ['1.2.3', "trustProxy: '1.2.3' is not an IP address, a CIDR range or a named range"],
    [
      '10.0.0.0/8/8',
      "trustProxy: '10.0.0.0/8/8' is not an IP address, a CIDR range or a named range",
    ],
    ['10.0.0.0/', "trustProxy: '10.0.0.0/' is not an IP address, a CIDR range or a named range"],
    ['/8', "trustProxy: '/8' is not an IP address, a CIDR range or a named range"],
    ['', "trustProxy: '' is not an IP address, a CIDR range or a named range"],
    [
      '10.0.0.0/-1',
      "trustProxy: '10.0.0.0/-1' is not an IP address, a CIDR range or a named range",
    ],
    [
      '::1/255.0.0.0',
      "trustProxy: '::1/255.0.0.0' is not an IP address, a CIDR range or a named range",
    ],
    [
      '10.0.0.0/255.0.255.0',
      "trustProxy: '10.0.0.0/255.0.255.0' has a netmask that is not a run of 1 bits, then 0 bits",
    ],
    [
      '::ffff:10.0.0.0/8',
      "trustProxy: '::ffff:10.0.0.0/8' is an IPv4-mapped range with a prefix shorter than /96 (use the IPv4 range)",
    ],
    [
      'privat',
      "trustProxy: 'privat' is not a named range (loopback, linklocal, private, uniquelocal); did you mean 'private'?",
    ],
    [
      'LoopBak',
      "trustProxy: 'LoopBak' is not a named range (loopback, linklocal, private, uniquelocal); did you mean 'loopback'?",
    ],
    [
      'link-local',
      "trustProxy: 'link-local' is not a named range (loopback, linklocal, private, uniquelocal); did you mean 'linklocal'?",
    ],
    [
      '10.0.0.1:80',
      "trustProxy: '10.0.0.1:80' is not an IP address, a CIDR range or a named range",
    ],
    ['[::1]:80', "trustProxy: '[::1]:80' is not an IP address, a CIDR range or a named range"],
    [
      'localhost',
      "trustProxy: 'localhost' is not a named range (loopback, linklocal, private, uniquelocal)",
    ],
  ])('%j: %s', (entry, message) => {
    expect(errorOf(['loopback', entry]).message).toBe(message);
  });

  it('names the entry that is not a string, and a setting of the wrong kind', () => {
    expect(errorOf(['loopback', 42]).message).toBe(
      'trustProxy[1]: must be a string (an IP address, a CIDR range or a named range)',
    );
    for (const trust of [true, 'loopback', null, { loopback: true }]) {
      expect(errorOf(trust).message).toBe(
        'trustProxy: must be false, a hop count, or a list of the proxies\u2019 addresses and ranges',
      );
    }
    for (const hops of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(errorOf(hops).message).toBe('trustProxy: a hop count must be a whole number ≥ 0');
    }
  });
});
