/** The one canonical text of an address: every comparison of addresses as text rests on it. */
import { describe, expect, it } from 'vitest';
import { canonicalIp, ipFromBigInt, ipToBigInt, ipVersion } from './ip.ts';

describe('ipVersion', () => {
  it('names the family of a literal address and nothing else', () => {
    expect(['127.0.0.1', '::1', '::ffff:1.2.3.4', 'FD77::10', '::'].map(ipVersion)).toEqual([4, 6, 6, 6, 6]);
    for (const bad of ['', '1.2.3', '01.2.3.4', '256.1.1.1', '0x7f.0.0.1', '10.0.0.0/8', 'fd00::/64', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', 'localhost', ' ::1']) {
      expect(ipVersion(bad), bad).toBe(0);
    }
  });
});

describe('canonicalIp', () => {
  it('writes IPv6 as RFC 5952 does, IPv4 as dotted quad, and leaves a non-address alone', () => {
    expect(canonicalIp('FD00:0::1')).toBe('fd00::1');
    expect(canonicalIp('fd00:0:0:0:0:0:0:1')).toBe('fd00::1');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('0:0::1')).toBe('::1');
    expect(canonicalIp('::ffff:1.2.3.4')).toBe('::ffff:102:304');
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('not-an-address')).toBe('not-an-address');
  });
});

describe('ipToBigInt and ipFromBigInt', () => {
  it('round-trip both families at their edges', () => {
    expect(ipToBigInt('255.255.255.255')).toBe(0xffffffffn);
    expect(ipFromBigInt(0n, 4)).toBe('0.0.0.0');
    expect(ipToBigInt('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe((1n << 128n) - 1n);
    expect(ipFromBigInt((1n << 128n) - 1n, 6)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(ipFromBigInt(ipToBigInt('fd77::10'), 6)).toBe('fd77::10');
  });
  it('refuses a non-address instead of reading it as zero', () => {
    expect(() => ipToBigInt('10.0.0')).toThrow(/not an IP address: "10\.0\.0"/);
  });
});
