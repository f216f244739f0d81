/** Topology input: names and addresses resolved at load time, and every clash a load error with its field. */
import { describe, expect, it } from 'vitest';
import { normaliseScenario } from './normalise.ts';

const BASE = { name: 't', services: ['22/tcp'], ruleset: { none: true } };
const load = (extra: Record<string, unknown>) => normaliseScenario({ ...BASE, ...extra }, { file: '/x/t.scenario.yaml' });
const problem = async (extra: Record<string, unknown>) =>
  await load(extra).then(
    () => '',
    (e: Error) => e.message,
  );

const GATEWAY = {
  networks: { internet: { ipv4: '203.0.113.0/24' }, int_net: { ipv4: '192.168.10.0/24', ipv6: 'fd10::/64' } },
  target: { role: 'router', interfaces: [{ network: 'internet' }, { network: 'int_net', ipv4: '192.168.10.1' }] },
  peers: { admin: { network: 'int_net' }, outsider: { network: 'internet', ipv4: '203.0.113.1' } },
  behind: { web: { network: 'int_net', services: ['80/tcp'] } },
  expect: { exposed: ['22/tcp'], outsider: { behind: { web: { exposed: ['80/tcp'] } } } },
};

describe('topology', () => {
  it('the default lab: lab and outside networks, eth0/eth1 on target and peer, vantages loopback and peer', async () => {
    const s = await load({ expect: { exposed: ['22/tcp'] } });
    expect(s.vantages).toEqual(['loopback', 'peer']);
    expect(s.topology.declared).toBe(false);
    expect(s.topology.target.interfaces.map((i) => [i.name, i.network, i.ipv4])).toEqual([
      ['eth0', 'lab', '10.213.0.1'],
      ['eth1', 'outside', '198.51.100.1'],
    ]);
    expect(s.topology.networks.map((n) => [n.name, n.public])).toEqual([
      ['lab', false],
      ['outside', true],
    ]);
  });

  it('a gateway: names in order, fixed addresses kept, the rest allocated around them, vantages from peers', async () => {
    const s = await load(GATEWAY);
    expect(s.vantages).toEqual(['loopback', 'admin', 'outsider']);
    expect(s.topology.target.interfaces.map((i) => [i.name, i.ipv4, i.ipv6])).toEqual([
      // 203.0.113.1 is the outsider's, fixed: the target gets the next free one.
      ['eth0', '203.0.113.2', 'fd00:f3b0::1'],
      ['eth1', '192.168.10.1', 'fd10::1'],
    ]);
    expect(s.topology.peers.map((p) => [p.name, p.interfaces[0]!.ipv4])).toEqual([
      ['admin', '192.168.10.2'],
      ['outsider', '203.0.113.1'],
    ]);
    expect(s.topology.behind[0]).toMatchObject({ name: 'web', scan: { tcp: [80], udp: [] } });
    // exposed for all peers is about the target; the behind one about web, from the outsider only.
    const web = s.expectations.filter((e) => e.host === 'web');
    expect(web.map((e) => [e.vantage, e.family, e.open, e.others])).toEqual([
      ['outsider', 'ipv4', [80], 'not-open'],
      ['outsider', 'ipv6', [80], 'not-open'],
    ]);
    expect(s.expectations.filter((e) => !e.host && e.vantage !== 'loopback').map((e) => e.vantage)).toEqual(['admin', 'admin', 'outsider', 'outsider']);
  });

  it('`exposed: []` says nothing is exposed: every scanned port not open, from that peer or from all of them', async () => {
    const networks = { internet: {} };
    const perPeer = await load({ networks, peers: { outsider: { network: 'internet' } }, expect: { loopback: { both: { tcp: { open: [22] } } }, outsider: { exposed: [] } } });
    expect(perPeer.expectations.filter((e) => e.vantage === 'outsider').map((e) => [e.family, e.protocol, e.open, e.others])).toEqual([
      ['ipv4', 'tcp', [], 'not-open'],
      ['ipv6', 'tcp', [], 'not-open'],
    ]);
    const all = await load({ networks, peers: { a: { network: 'internet' }, b: { network: 'internet' } }, expect: { exposed: [] } });
    expect(all.expectations.map((e) => [e.vantage, e.family, e.others])).toEqual([
      ['a', 'ipv4', 'not-open'],
      ['a', 'ipv6', 'not-open'],
      ['b', 'ipv4', 'not-open'],
      ['b', 'ipv6', 'not-open'],
    ]);
    expect(await problem({ vantages: ['loopback'], expect: { exposed: [] } })).toContain('expect.exposed: expected a peer among the vantages');
  });

  it.each([
    [
      'overlapping subnets',
      { networks: { a: { ipv4: '10.1.0.0/16' }, b: { ipv4: '10.1.2.0/24' } } },
      "networks.b.ipv4: expected subnets that do not overlap, found 10.1.2.0/24 overlapping a's 10.1.0.0/16",
    ],
    [
      'a peer on a network the target is not on',
      { networks: { a: {}, b: {} }, target: { interfaces: [{ network: 'a' }] }, peers: { p: { network: 'b' } } },
      'peers.p.network: expected a network the target has an interface on [a], found b',
    ],
    ['behind without a router', { networks: { a: {}, b: {} }, behind: { h: { network: 'b', services: ['80/tcp'] } } }, 'behind.h: expected target.role: router'],
    [
      'an address outside its network',
      { networks: { a: { ipv4: '10.9.0.0/24' } }, peers: { p: { network: 'a', ipv4: '10.9.1.5' } } },
      "peers.p.ipv4: expected an address in a's 10.9.0.0/24, found 10.9.1.5",
    ],
    [
      'one address twice',
      { networks: { a: { ipv4: '10.9.0.0/24' } }, peers: { p: { network: 'a', ipv4: '10.9.0.5' }, q: { network: 'a', ipv4: '10.9.0.5' } } },
      'peers.q.ipv4: expected each address once, found 10.9.0.5 again',
    ],
    ['an unknown vantage', { networks: { a: {} }, vantages: ['loopback', 'ghost'] }, 'vantages[1]: expected loopback or a peer [peer], found ghost'],
    [
      'expectations for an undeclared host',
      { networks: { a: {}, b: {} }, target: { role: 'router' }, expect: { peer: { behind: { ghost: { exposed: ['80/tcp'] } } } } },
      'expect.peer.behind.ghost: expected a host declared under behind [], found ghost',
    ],
    ['sources.peer with networks', { networks: { a: {} }, sources: { peer: ['lab'] } }, 'sources: expected no sources.peer or sources.outside with `networks`'],
    ['peers without networks', { peers: { p: { network: 'a' } } }, 'peers: expected `networks` to be declared with peers'],
    ['a peer called loopback', { networks: { a: {} }, peers: { loopback: { network: 'a' } } }, 'peers.loopback: expected a peer name other than loopback'],
    ['interface lo', { networks: { a: {} }, target: { interfaces: [{ network: 'a', name: 'lo' }] } }, 'lo is the loopback interface'],
    ['a shell word as interface name', { networks: { a: {} }, target: { interfaces: [{ network: 'a', name: 'eth0;reboot' }] } }, 'expected an interface name like eth0'],
    // The peer would scan its own loopback at 127.0.0.1 / ::1, never the target.
    ['a loopback subnet', { networks: { a: { ipv4: '127.0.0.0/8' } } }, 'networks.a.ipv4: expected a unicast subnet outside'],
    ['the unspecified IPv6 subnet', { networks: { a: { ipv6: '::/64' } } }, 'networks.a.ipv6: expected a unicast subnet outside'],
    ['IPv4-mapped IPv6', { networks: { a: { ipv6: '::ffff:0.0.0.0/96' } } }, 'networks.a.ipv6: expected a unicast subnet outside'],
    ['a multicast subnet', { networks: { a: { ipv4: '224.0.0.0/24' } } }, 'networks.a.ipv4: expected a unicast subnet outside'],
    ['a link-local IPv6 subnet', { networks: { a: { ipv6: 'FE80::/64' } } }, 'networks.a.ipv6: expected a unicast subnet outside'],
    ['0.0.0.0/8', { networks: { a: { ipv4: '0.0.0.0/8' } } }, 'networks.a.ipv4: expected a unicast subnet outside'],
    // The unicast check must not run on a subnet that is none: its parser would throw, an internal error.
    ['a prefix beyond /32', { networks: { a: { ipv4: '10.9.0.0/99' } } }, 'networks.a.ipv4: expected an IPv4 subnet with a prefix'],
    ['a prefix beyond /128', { networks: { a: { ipv6: 'fd10::/200' } } }, 'networks.a.ipv6: expected an IPv6 subnet with a prefix'],
    ['a broadcast address', { networks: { a: { ipv4: '10.9.0.0/24' } }, peers: { p: { network: 'a', ipv4: '10.9.0.255' } } }, 'peers.p.ipv4: expected a host address of 10.9.0.0/24'],
    ['a network address', { networks: { a: { ipv4: '10.9.0.0/24' } }, target: { interfaces: [{ network: 'a', ipv4: '10.9.0.0' }] } }, 'target.interfaces[0].ipv4: expected a host address'],
    ['the Subnet-Router anycast address', { networks: { a: { ipv6: 'fd10::/64' } }, peers: { p: { network: 'a', ipv6: 'fd10:0::' } } }, 'peers.p.ipv6: expected a host address of fd10::/64'],
    // A peer on the host's own network never scans it: an `others` line there would check nothing.
    [
      "behind expectations under a peer on the host's network",
      {
        networks: { a: {}, lan: {} },
        target: { role: 'router' },
        peers: { admin: { network: 'lan' } },
        behind: { web: { network: 'lan', services: ['80/tcp'] } },
        expect: { exposed: ['22/tcp'], admin: { behind: { web: { both: { tcp: { others: 'not-open' } } } } } },
      },
      'expect.admin.behind.web: expected expectations for web only under peers that reach it through the target, found admin',
    ],
  ])('%s is a load error naming the field', async (_, extra, message) => {
    expect(await problem({ expect: { exposed: ['22/tcp'] }, ...extra })).toContain(message);
  });
});
