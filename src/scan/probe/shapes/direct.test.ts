/** The plain shapes: the target's address on the shared network, and on its other interfaces. */
import { describe, expect, it } from 'vitest';
import { direct, viaInterface } from './direct.ts';
import { SEGMENT, TARGET_LAN } from './fixtures.test-helpers.ts';

describe('direct and via-interface', () => {
  it("direct: the peer's address to the target's on the segment, both families", () => {
    expect(direct(SEGMENT)).toEqual([
      { kind: 'public', network: 'wan', shape: { kind: 'direct' }, family: 'ipv4', address: '203.0.113.7', target: '203.0.113.1' },
      { kind: 'public', network: 'wan', shape: { kind: 'direct' }, family: 'ipv6', address: '2001:db8:113::7', target: '2001:db8:113::1' },
    ]);
  });

  it("via-interface: the target's address on each other interface, named by the interface", () => {
    const out = viaInterface(SEGMENT, [TARGET_LAN]);
    expect(out.map((s) => [s.family, s.target, s.network])).toEqual([
      ['ipv4', '192.168.10.1', 'wan@eth1'],
      ['ipv6', 'fd10:10::1', 'wan@eth1'],
    ]);
    expect(out[0]!.shape).toEqual({ kind: 'via-interface', iface: 'eth1' });
    expect(viaInterface(SEGMENT, [])).toEqual([]);
  });
});
