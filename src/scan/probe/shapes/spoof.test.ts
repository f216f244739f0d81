/** Spoofed sources: another network's unused address, and the target's own IPv6 addresses. */
import { describe, expect, it } from 'vitest';
import { SEGMENT, TARGET_LAN, TARGET_WAN } from './fixtures.test-helpers.ts';
import { isOneWay } from './shape.ts';
import { spoofOther, spoofOwn } from './spoof.ts';

describe('spoof', () => {
  it("claims each other network's free address, per family where there is one", () => {
    const out = spoofOther(SEGMENT, new Map([['lan', { ipv4: '192.168.10.254', ipv6: null }]]));
    expect(out).toEqual([{ kind: 'public', network: 'wan@spoof-lan', shape: { kind: 'spoof', network: 'lan' }, family: 'ipv4', address: '192.168.10.254', target: '203.0.113.1' }]);
  });

  it("claims each of the target's own IPv6 addresses, sent to its address on the segment; never IPv4 (a martian)", () => {
    const out = spoofOwn(SEGMENT, [TARGET_WAN, TARGET_LAN]);
    expect(out.map((s) => [s.family, s.address, s.target, s.network])).toEqual([
      ['ipv6', '2001:db8:113::1', '2001:db8:113::1', 'wan@spoof-own-eth0'],
      ['ipv6', 'fd10:10::1', '2001:db8:113::1', 'wan@spoof-own-eth1'],
    ]);
    expect(out.every((s) => isOneWay(s.shape))).toBe(true);
  });
});
