/** Multicast destinations: all-nodes (both families), solicited-node, all-routers, joined groups. */
import { describe, expect, it } from 'vitest';
import { SEGMENT } from './fixtures.test-helpers.ts';
import { isLinkScope, multicast, solicitedNodeGroup } from './multicast.ts';

describe('multicast', () => {
  it('computes solicited-node groups from the low 24 bits (RFC 4291 2.7.1)', () => {
    expect(solicitedNodeGroup('2001:db8:113::1')).toBe('ff02::1:ff00:1');
    expect(solicitedNodeGroup('fe80::f:1:1')).toBe('ff02::1:ff01:1');
    expect(solicitedNodeGroup('fd00::abcd:ef12:3456')).toBe('ff02::1:ff12:3456');
    expect(solicitedNodeGroup('fe80::1%eth0')).toBe('ff02::1:ff00:1');
  });

  it('tells link-scope groups from wider ones', () => {
    expect(['224.0.0.1', '224.0.0.251', 'ff02::fb', 'ff02::1:ff00:1'].map(isLinkScope)).toEqual([true, true, true, true]);
    expect(['239.255.255.250', '224.0.1.1', 'ff05::2', 'ff01::1'].map(isLinkScope)).toEqual([false, false, false, false]);
  });

  it("on a host: all-nodes in both families and each target address's solicited-node group, scoped to the peer's interface", () => {
    const out = multicast(SEGMENT, { targetLinkLocal: 'fe80::f:1:1', router: false, joined: [] });
    expect(out.map((s) => [s.family, s.address, s.target, s.network])).toEqual([
      ['ipv6', '2001:db8:113::7', 'ff02::1%eth0', 'wan@multicast'],
      ['ipv4', '203.0.113.7', '224.0.0.1', 'wan@multicast'],
      ['ipv6', '2001:db8:113::7', 'ff02::1:ff00:1%eth0', 'wan@multicast-ff02::1:ff00:1'],
      ['ipv6', '2001:db8:113::7', 'ff02::1:ff01:1%eth0', 'wan@multicast-ff02::1:ff01:1'],
    ]);
    expect(out.map((s) => s.shape)).toContainEqual({ kind: 'multicast', group: 'ff02::1:ff00:1', why: 'solicited-node' });
  });

  it('on a router: all-routers too; joined link-scope groups once each, wider scopes left out', () => {
    const joined = ['224.0.0.1', 'ff02::1', 'ff02::2', '224.0.0.251', 'ff02::fb', '239.255.255.250', 'ff05::2', 'ff02:0::1:ff00:1'];
    const out = multicast(SEGMENT, { targetLinkLocal: 'fe80::f:1:1', router: true, joined });
    expect(out.map((s) => s.shape)).toEqual([
      { kind: 'multicast', group: 'ff02::1', why: 'all-nodes' },
      { kind: 'multicast', group: '224.0.0.1', why: 'all-nodes' },
      { kind: 'multicast', group: 'ff02::1:ff00:1', why: 'solicited-node' },
      { kind: 'multicast', group: 'ff02::1:ff01:1', why: 'solicited-node' },
      { kind: 'multicast', group: 'ff02::2', why: 'all-routers' },
      { kind: 'multicast', group: '224.0.0.251', why: 'joined' },
      { kind: 'multicast', group: 'ff02::fb', why: 'joined' },
    ]);
    expect(new Set(out.map((s) => `${s.family} ${s.network}`)).size).toBe(out.length);
  });
});
