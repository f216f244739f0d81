/**
 * Every lab address comes from this arithmetic: a wrong boundary gives two containers one address, a
 * broadcast address to a host, or a subnet that silently overlaps another.
 */
import { describe, expect, it } from 'vitest';
import { broadcastAddress, contains, fromInteger, hostAddress, isPrivate, overlaps, parseSubnet, toInteger } from './subnet.ts';

describe('parseSubnet', () => {
  it('keeps the network address, masking host bits, in canonical text', () => {
    expect(parseSubnet('192.168.10.77/24')).toEqual({ family: 4, base: 0xc0a80a00n, prefix: 24, text: '192.168.10.0/24' });
    expect(parseSubnet('FD77:0:0:0::5/64')).toEqual({ family: 6, base: 0xfd77n << 112n, prefix: 64, text: 'fd77::/64' });
    expect(parseSubnet('10.0.0.1/32').text).toBe('10.0.0.1/32');
    expect(parseSubnet('0.0.0.0/0')).toMatchObject({ base: 0n, text: '0.0.0.0/0' });
    expect(parseSubnet('2001:db8::1/128').text).toBe('2001:db8::1/128');
    expect(parseSubnet('::/0').text).toBe('::/0');
  });

  it('refuses what is not a subnet', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/-1', '10.0.0.0/8.5', '10.0.0/8', 'fd00::/64/1', 'x/8', '', '/24', '256.0.0.0/8']) {
      expect(() => parseSubnet(bad), bad).toThrow(/not a subnet/);
    }
  });
});

describe('toInteger and fromInteger', () => {
  it('round-trip both families, compressing IPv6 the one canonical way', () => {
    expect(toInteger('0.0.0.0')).toBe(0n);
    expect(toInteger('255.255.255.255')).toBe(0xffffffffn);
    expect(fromInteger(0xc0a80001n, 4)).toBe('192.168.0.1');
    expect(toInteger('::1')).toBe(1n);
    expect(toInteger('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe((1n << 128n) - 1n);
    expect(toInteger('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(fromInteger(1n, 6)).toBe('::1');
    expect(fromInteger(0n, 6)).toBe('::');
    // The longest run of zero groups is the one compressed; a single zero group is not.
    expect(fromInteger(toInteger('2001:db8:0:0:1:0:0:1'), 6)).toBe('2001:db8::1:0:0:1');
    expect(fromInteger(toInteger('2001:db8:0:1:1:1:1:1'), 6)).toBe('2001:db8:0:1:1:1:1:1');
    expect(fromInteger(toInteger('FD00:0::A'), 6)).toBe('fd00::a');
  });
});

describe('contains', () => {
  const lan = parseSubnet('10.77.0.0/24');
  it('holds its first and last address and nothing past them', () => {
    expect(contains(lan, '10.77.0.0')).toBe(true);
    expect(contains(lan, '10.77.0.255')).toBe(true);
    expect(contains(lan, '10.77.1.0')).toBe(false);
    expect(contains(lan, '10.76.255.255')).toBe(false);
  });
  it('never holds an address of the other family or a non-address', () => {
    expect(contains(lan, '::ffff:10.77.0.1')).toBe(false);
    expect(contains(parseSubnet('fd77::/64'), '10.77.0.1')).toBe(false);
    expect(contains(lan, 'not an address')).toBe(false);
    expect(contains(parseSubnet('fd77::/64'), 'FD77::0:1')).toBe(true);
    expect(contains(parseSubnet('fd77::/64'), 'fd77:0:0:1::1')).toBe(false);
  });
});

describe('overlaps', () => {
  it('is true when one holds the other, either way round, and false for neighbours and other families', () => {
    expect(overlaps(parseSubnet('10.0.0.0/8'), parseSubnet('10.77.0.0/24'))).toBe(true);
    expect(overlaps(parseSubnet('10.77.0.0/24'), parseSubnet('10.0.0.0/8'))).toBe(true);
    expect(overlaps(parseSubnet('10.77.0.0/24'), parseSubnet('10.77.0.0/24'))).toBe(true);
    expect(overlaps(parseSubnet('10.77.0.0/24'), parseSubnet('10.77.1.0/24'))).toBe(false);
    expect(overlaps(parseSubnet('10.77.0.0/25'), parseSubnet('10.77.0.128/25'))).toBe(false);
    expect(overlaps(parseSubnet('fd77::/64'), parseSubnet('fd77::/48'))).toBe(true);
    expect(overlaps(parseSubnet('fd77::/64'), parseSubnet('fd77:0:0:1::/64'))).toBe(false);
    expect(overlaps(parseSubnet('0.0.0.0/0'), parseSubnet('::/0'))).toBe(false);
  });
});

describe('hostAddress', () => {
  it('counts from the first address after the network address', () => {
    expect(hostAddress(parseSubnet('10.77.0.0/24'), 1)).toBe('10.77.0.1');
    expect(hostAddress(parseSubnet('fd77::/64'), 16)).toBe('fd77::10');
  });
  it('keeps the IPv4 broadcast address free; IPv6 has none', () => {
    const lan = parseSubnet('10.77.0.0/24');
    expect(hostAddress(lan, 254)).toBe('10.77.0.254');
    expect(hostAddress(lan, 255)).toBeNull();
    expect(hostAddress(parseSubnet('fd77::/120'), 255)).toBe('fd77::ff');
    expect(hostAddress(parseSubnet('fd77::/120'), 256)).toBeNull();
  });
  it('has no host before the first or in a subnet too small for one', () => {
    expect(hostAddress(parseSubnet('10.77.0.0/24'), 0)).toBeNull();
    expect(hostAddress(parseSubnet('10.77.0.0/24'), -1)).toBeNull();
    expect(hostAddress(parseSubnet('10.77.0.0/31'), 1)).toBeNull();
    expect(hostAddress(parseSubnet('10.77.0.0/30'), 2)).toBe('10.77.0.2');
    expect(hostAddress(parseSubnet('10.77.0.0/30'), 3)).toBeNull();
  });
});

describe('broadcastAddress', () => {
  it('is the last address of the subnet', () => {
    expect(broadcastAddress(parseSubnet('10.77.0.0/24'))).toBe('10.77.0.255');
    expect(broadcastAddress(parseSubnet('172.16.0.0/12'))).toBe('172.31.255.255');
    expect(broadcastAddress(parseSubnet('10.77.0.5/32'))).toBe('10.77.0.5');
  });
});

describe('isPrivate', () => {
  it('knows RFC 1918, CGNAT, ULA and link-local, and only whole subnets inside them', () => {
    for (const net of ['10.1.0.0/16', '172.31.0.0/24', '192.168.0.0/16', '100.64.10.0/24', '169.254.0.0/16', 'fd77::/64', 'fe80::/64']) {
      expect(isPrivate(parseSubnet(net)), net).toBe(true);
    }
    for (const net of ['8.8.8.0/24', '172.32.0.0/16', '0.0.0.0/0', '10.0.0.0/7', '2001:db8::/32', 'fc00::/6']) {
      expect(isPrivate(parseSubnet(net)), net).toBe(false);
    }
  });
});
