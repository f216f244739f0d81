/**
 * The clients a peer sends to the Docker host's containers at their own addresses: from each of the peer's
 * own addresses (lab and public), every source port, to every service inside each container and every port an expectation names for it, per family
 * the container has an address in, and from routed peers only.
 */
import { describe, expect, test } from 'vitest';
import { normaliseScenario } from '../scenario/normalise.ts';
import { containerPorts, planContainerProbes, userBridgeRoutes } from './docker-reach.ts';
import type { Lab } from './lab-setup.ts';

const file = '/nonexistent/x.scenario.yaml';

async function scenario() {
  return normaliseScenario(
    {
      name: 'n',
      ruleset: { none: true },
      parity: 'strict',
      docker: { containers: { web: { publish: ['8080:80'], services: ['80/tcp'] }, db: { publish: ['127.0.0.1:5432:5432'], services: ['5432/tcp', '53/udp'] } } },
      expect: { peer: { both: { tcp: { open: [8080] } }, behind: { web: { ipv4: { tcp: { filtered: [22] } } } } } },
    },
    { file },
  );
}

describe('planContainerProbes', () => {
  test('each routed peer tries every service and every expected port of each container, per family it has an address in', async () => {
    const s = await scenario();
    expect(containerPorts(s, 'web')).toEqual({ tcp: [22, 80], udp: [] });
    expect(containerPorts(s, 'db')).toEqual({ tcp: [5432], udp: [53] });
    const direct = { shape: { kind: 'direct' } };
    const lab = {
      sources: {
        peer: [
          { ...direct, kind: 'lab', network: 'lan', family: 'ipv4', address: '10.9.0.2', target: '10.9.0.1' },
          { ...direct, kind: 'public', network: 'outside', family: 'ipv4', address: '198.51.100.2', target: '10.9.0.1' },
          { ...direct, kind: 'lab', network: 'lan', family: 'ipv6', address: 'fd09::2', target: 'fd09::1' },
          // Not the peer's own address: a spoofed or link-local shape is no way to a container.
          { kind: 'lab', network: 'lan@spoof', shape: { kind: 'spoof', network: 'x' }, family: 'ipv4', address: '10.7.0.9', target: '10.9.0.1' },
        ],
      },
    } as unknown as Lab;
    const containers = [
      { name: 'web', ipv4: '172.17.0.2', ipv6: null },
      { name: 'db', ipv4: '172.17.0.3', ipv6: 'fd00:d0c::242:ac11:3' },
    ];
    const probes = planContainerProbes(s, lab, { containers }, ['peer'], [0, 53]);
    const lines = probes.map((p) => `${p.vantage}→${p.host} ${p.protocol} ${p.source.address}:${p.sourcePort} → ${p.source.target}:${p.port}`);
    expect(lines.filter((l) => l.startsWith('peer→web'))).toEqual([
      'peer→web tcp 10.9.0.2:0 → 172.17.0.2:22',
      'peer→web tcp 10.9.0.2:53 → 172.17.0.2:22',
      'peer→web tcp 10.9.0.2:0 → 172.17.0.2:80',
      'peer→web tcp 10.9.0.2:53 → 172.17.0.2:80',
      'peer→web tcp 198.51.100.2:0 → 172.17.0.2:22',
      'peer→web tcp 198.51.100.2:53 → 172.17.0.2:22',
      'peer→web tcp 198.51.100.2:0 → 172.17.0.2:80',
      'peer→web tcp 198.51.100.2:53 → 172.17.0.2:80',
    ]);
    expect(lines.filter((l) => l.startsWith('peer→db') && l.includes('fd00'))).toEqual([
      'peer→db tcp fd09::2:0 → fd00:d0c::242:ac11:3:5432',
      'peer→db tcp fd09::2:53 → fd00:d0c::242:ac11:3:5432',
      'peer→db udp fd09::2:0 → fd00:d0c::242:ac11:3:53',
      'peer→db udp fd09::2:53 → fd00:d0c::242:ac11:3:53',
    ]);
    expect(probes).toHaveLength(8 + 8 + 4);
    expect(new Set(probes.map((p) => p.id)).size).toBe(probes.length);
    // A peer that is not routed to Docker's bridge sends nothing.
    expect(planContainerProbes(s, lab, { containers }, [], [0])).toEqual([]);
  });
});

describe('expectations of a container', () => {
  test('are written under behind.<container>, and a container named like a host behind is refused', async () => {
    const s = await scenario();
    expect(s.expectations.filter((e) => e.host === 'web').map((e) => `${e.vantage}→${e.host} ${e.family} ${e.protocol} filtered ${e.filtered.join(',')}`)).toEqual(['peer→web ipv4 tcp filtered 22']);
    const error = await normaliseScenario(
      {
        name: 'n',
        ruleset: { none: true },
        networks: { lan: { ipv4: '10.9.0.0/24', ipv6: 'fd09::/64' }, inner: { ipv4: '10.8.0.0/24', ipv6: 'fd08::/64' } },
        target: {
          role: 'router',
          interfaces: [
            { network: 'lan', name: 'eth0', ipv4: '10.9.0.1', ipv6: 'fd09::1' },
            { network: 'inner', name: 'eth1', ipv4: '10.8.0.1', ipv6: 'fd08::1' },
          ],
        },
        peers: { peer: { network: 'lan' } },
        behind: { web: { network: 'inner', services: ['80/tcp'] } },
        docker: { containers: { web: { services: ['80/tcp'] } } },
        expect: { peer: { behind: { web: { ipv4: { tcp: { open: [80] } } } } } },
      },
      { file },
    ).then(
      () => null,
      (e: unknown) => e as { issues?: { path: unknown[]; message: string }[] },
    );
    const ipv6 = await normaliseScenario(
      {
        name: 'n',
        ruleset: { none: true },
        docker: { containers: { db: { publish: ['5432:5432'], services: ['5432/tcp'] } } },
        expect: { peer: { behind: { db: { both: { tcp: { filtered: [5432] } } } } } },
      },
      { file },
    ).then(
      () => null,
      (e: unknown) => e as { issues?: { path: unknown[]; message: string }[] },
    );
    // Reported once per set: both families were written, only IPv6 is refused.
    expect(ipv6?.issues?.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      "expect.peer.behind.db: expected ipv4 expectations only for container db: with ip6tables off dockerd gives it no IPv6 address (IPv6 reaches its published ports on the target's own addresses)",
    ]);
    expect(error?.issues?.map((i) => `${i.path.join('.')}: ${i.message}`)).toContain(
      'docker.containers.web: expected container names other than the hosts under behind, found web in both: expectations could not tell them apart',
    );
  });
});

describe('a container on a user-defined bridge', () => {
  test('is probed like docker0’s, and each routed peer gets a host route to exactly its addresses, via the target', async () => {
    const s = await normaliseScenario(
      {
        name: 'n',
        ruleset: { none: true },
        parity: 'strict',
        docker: {
          daemon: { ip6tables: true },
          networks: { app: { ipv4: '172.30.0.0/24', ipv6: 'fd00:d0c:1::/64' } },
          containers: { web: { network: 'app', publish: ['8080:80'], services: ['80/tcp'] }, old: { services: ['22/tcp'] } },
        },
      },
      { file },
    );
    const direct = { shape: { kind: 'direct' } };
    const lab = {
      sources: {
        peer: [
          { ...direct, kind: 'lab', network: 'lan', family: 'ipv4', address: '10.9.0.2', target: '10.9.0.1' },
          { ...direct, kind: 'lab', network: 'lan', family: 'ipv6', address: 'fd09::2', target: 'fd09::1' },
        ],
      },
    } as unknown as Lab;
    const containers = [
      { name: 'web', network: 'app', ipv4: '172.30.0.2', ipv6: 'fd00:d0c:1::2' },
      { name: 'old', network: 'bridge', ipv4: '172.17.0.2', ipv6: 'fd00:d0c::242:ac11:2' },
    ];
    const probes = planContainerProbes(s, lab, { containers }, ['peer'], [0, 53]);
    expect([...new Set(probes.map((p) => `${p.host} ${p.source.network} ${p.source.target}`))]).toEqual([
      'web lan@app 172.30.0.2',
      'web lan@app fd00:d0c:1::2',
      'old lan@docker0 172.17.0.2',
      'old lan@docker0 fd00:d0c::242:ac11:2',
    ]);
    // docker0's subnet is routed by lab-setup; the user bridge's containers get host routes, once each.
    expect(userBridgeRoutes(lab, probes)).toEqual(new Map([['peer', ['-4', '172.30.0.2/32', '10.9.0.1', '-6', 'fd00:d0c:1::2/128', 'fd09::1']]]));
    expect(
      userBridgeRoutes(
        lab,
        probes.filter((p) => p.host === 'old'),
      ),
    ).toEqual(new Map());
  });
});
