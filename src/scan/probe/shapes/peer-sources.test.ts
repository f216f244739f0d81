/** One peer's attacker shapes composed from the topology: which shapes, in which order, on which segment. */
import { describe, expect, it } from 'vitest';
import { defaultTopology, spoofAddresses, type Topology } from '../../../model/topology.ts';
import { DEFAULT_SOURCES } from '../../../model/scenario.ts';
import { PEER_WAN, TARGET_LAN, TARGET_WAN } from './fixtures.test-helpers.ts';
import { loopbackSources, peerSources } from './peer-sources.ts';

const linkLocal = (who: 'peer' | 'target', i: number) => `fe80::f:${who === 'peer' ? 2 : 1}:${i + 1}`;

function twoNetworks(role: 'host' | 'router'): Topology {
  return {
    declared: true,
    networks: [
      { name: 'wan', ipv4: '203.0.113.0/24', ipv6: '2001:db8:113::/64', chosen: { ipv4: true, ipv6: true }, public: true },
      { name: 'lan', ipv4: '192.168.10.0/24', ipv6: 'fd10:10::/64', chosen: { ipv4: true, ipv6: true }, public: false },
    ],
    target: { role, interfaces: [TARGET_WAN, TARGET_LAN] },
    peers: [{ name: 'outsider', interfaces: [PEER_WAN] }],
    behind: [],
  };
}

describe('peer sources', () => {
  it('loopback: 127.0.0.1 and ::1 to themselves', () => {
    expect(loopbackSources().map((s) => [s.shape.kind, s.address, s.target])).toEqual([
      ['loopback', '127.0.0.1', '127.0.0.1'],
      ['loopback', '::1', '::1'],
    ]);
  });

  it('a host target: every shape but all-routers and anycast, spoofs from the first segment', () => {
    const topology = twoNetworks('host');
    const out = peerSources({ topology, peer: topology.peers[0]!, linkLocal, allowed: () => true })!;
    expect(out.first.target).toBe(TARGET_WAN);
    expect([...new Set(out.sources.map((s) => s.shape.kind))]).toEqual(['direct', 'via-interface', 'link-local', 'broadcast', 'multicast', 'spoof', 'spoof-own']);
    expect(out.sources.some((s) => s.shape.kind === 'multicast' && s.shape.why === 'all-routers')).toBe(false);
    expect(out.sources.filter((s) => s.shape.kind === 'link-local').map((s) => s.target)).toEqual(['fe80::f:1:1%eth0']);
    // Probe ids are built from vantage, family and the old label: each must be unique.
    const keys = out.sources.map((s) => `${s.family} ${s.network}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a routing target adds all-routers and both subnets\u2019 anycast addresses', () => {
    const topology = twoNetworks('router');
    const out = peerSources({ topology, peer: topology.peers[0]!, linkLocal, allowed: () => true })!;
    expect(out.sources.filter((s) => s.shape.kind === 'anycast').map((s) => s.target)).toEqual(['2001:db8:113::', 'fd10:10::']);
    expect(out.sources.filter((s) => s.shape.kind === 'multicast').map((s) => s.target)).toContain('ff02::2%eth0');
  });

  it('only the spoof shapes send from an address the peer does not own; every other shape binds to its own', () => {
    const topology: Topology = {
      ...twoNetworks('router'),
      behind: [{ name: 'lanhost', interfaces: [{ name: 'eth0', network: 'lan', ipv4: '192.168.10.80', ipv6: 'fd10:10::80' }], services: [], scan: { tcp: [], udp: [] } }],
    };
    const peer = topology.peers[0]!;
    const out = peerSources({ topology, peer, linkLocal, allowed: () => true })!;
    const own = new Set([PEER_WAN.ipv4, PEER_WAN.ipv6, `${linkLocal('peer', 0)}%${PEER_WAN.name}`]);
    const spoofs = spoofAddresses(topology).get('lan')!;
    const claimed = new Set([spoofs.ipv4, spoofs.ipv6, ...topology.target.interfaces.map((i) => i.ipv6)]);
    for (const source of out.sources) {
      const spoofed = source.shape.kind === 'spoof' || source.shape.kind === 'spoof-own';
      expect({ shape: source.shape.kind, address: source.address, allowed: (spoofed ? claimed : own).has(source.address) }).toEqual({
        shape: source.shape.kind,
        address: source.address,
        allowed: true,
      });
    }
    // The host behind, whose prefix the IPv6 spoof address shares, is probed from the peer's own addresses.
    expect(out.sources.filter((s) => s.shape.kind === 'behind').map((s) => s.address)).toEqual([PEER_WAN.ipv4, PEER_WAN.ipv6]);
  });

  it('a peer that may not probe from a public segment keeps only its spoofs there; a peer off the target\u2019s networks has none', () => {
    const topology = defaultTopology({ ...DEFAULT_SOURCES, peer: ['lab', 'public'] });
    const lab = peerSources({ topology, peer: topology.peers[0]!, linkLocal, allowed: (kind) => kind === 'lab' })!;
    expect(new Set(lab.sources.map((s) => s.kind))).toEqual(new Set(['lab']));
    expect(lab.sources.some((s) => s.network.startsWith('outside'))).toBe(false);
    const away = { ...topology, peers: [{ name: 'far', interfaces: [{ ...PEER_WAN, network: 'nowhere' }] }] };
    expect(peerSources({ topology: away, peer: away.peers[0]!, linkLocal, allowed: () => true })).toBeNull();
  });
});
