/**
 * The lab a scenario runs in: the target, its peers and the hosts behind it, started side by side with no
 * Docker network, then wired by the lab switch into the scenario's topology (see lab/wiring.ts). It also
 * says what each vantage scans and probes from where; the scope guard learns exactly these addresses.
 */
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/container.ts';
import type { Disposer } from '../lab/disposer.ts';
import { assertNoSubnetCollision } from '../lab/collisions.ts';
import { linkLocalAddress, wireLab, type WiredHost } from '../lab/wiring.ts';
import type { Bounds } from '../model/bounds.ts';
import { FAMILIES, LOOPBACK, type Family, type Vantage } from '../model/observation.ts';
import type { Scenario, ServiceSpec } from '../model/scenario.ts';
import { spoofAddresses, type InterfaceSpec } from '../model/topology.ts';
import { broadcastAddress, parseSubnet } from '../model/subnet.ts';
import type { ProbeSource } from '../scan/probe/plan.ts';
import { LabScope } from '../scan/scope.ts';

/** One host a vantage scans: the target (no `host`) or a host behind it, at the address this vantage uses. */
export interface ScanTarget {
  host?: string;
  address: Record<Family, string>;
  /** The scanner's own address towards `address` (its probes' source), where it is known. */
  from?: Record<Family, string>;
}

export interface Lab {
  target: StartedFwprobeContainer;
  /** Peers by name. */
  peers: Map<string, StartedFwprobeContainer>;
  /** Hosts behind the target by name, with their services. */
  behind: Map<string, { container: StartedFwprobeContainer; services: readonly ServiceSpec[] }>;
  scope: LabScope;
  /** Client probe sources per vantage (each names the host it probes). */
  sources: Record<Vantage, ProbeSource[]>;
  /** What each vantage scans. */
  scanTargets: Record<Vantage, ScanTarget[]>;
  /** The target's own lab addresses: they must stay up while the scans run. */
  targetAddresses: string[];
  /** Every address of a peer or a host behind: the target must have a route back to each. */
  peerAddresses: string[];
}

type Phase = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export async function startLab(scenario: Scenario, image: string, bounds: Bounds, lab: Disposer, phase: Phase): Promise<Lab> {
  const { topology } = scenario;
  // Before anything starts: a subnet the user chose that the engine already has is named, not half-wired.
  await phase('network', () => assertNoSubnetCollision(topology, scenario.file));
  const peerNames = scenario.vantages.filter((v) => v !== LOOPBACK);
  const peerSpecs = topology.peers.filter((p) => peerNames.includes(p.name));
  const wired = peerSpecs.length > 0 || topology.behind.length > 0;
  const base = () => new FwprobeContainer(image).withBounds(bounds);
  const targetBuilder = base().withServices(scenario.services).withBackend(scenario.backend);
  if (topology.target.role === 'router') targetBuilder.withForwarding();
  const builders = [
    targetBuilder,
    ...peerSpecs.map(() => base()),
    ...topology.behind.map((b) => base().withServices(b.services)),
    ...(wired ? [base().withHostPid()] : []),
  ];
  const started = await phase('containers', async () => {
    const settled = await Promise.allSettled(builders.map((b) => b.start()));
    // Whatever started is registered for removal (all at once) before a failure of another is rethrown.
    const ok = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    lab.use({ [Symbol.asyncDispose]: () => Promise.all(ok.map((c) => c.remove())).then(() => {}) });
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    return ok;
  });
  const target = started[0]!;
  const peers = new Map(peerSpecs.map((p, i) => [p.name, started[1 + i]!]));
  const behindStarted = topology.behind.map((b, i) => ({ spec: b, container: started[1 + peerSpecs.length + i]! }));
  const hosts: WiredHost[] = [
    { name: 'target', container: target, interfaces: wired ? topology.target.interfaces : [] },
    ...peerSpecs.map((p) => ({ name: p.name, container: peers.get(p.name)!, interfaces: p.interfaces, spoofs: true })),
    ...behindStarted.map(({ spec, container }) => ({ name: spec.name, container, interfaces: spec.interfaces })),
  ];
  // The switch lives as long as the lab: its bridges are the networks, and removing a veth end removes both.
  if (wired) await phase('wiring', () => wireLab(started.at(-1)!, topology, hosts));
  return describe(scenario, target, peers, behindStarted);
}

function describe(
  scenario: Scenario,
  target: StartedFwprobeContainer,
  peers: Map<string, StartedFwprobeContainer>,
  behindStarted: { spec: Scenario['topology']['behind'][number]; container: StartedFwprobeContainer }[],
): Lab {
  const { topology } = scenario;
  const scope = new LabScope();
  const sources: Record<Vantage, ProbeSource[]> = {
    [LOOPBACK]: FAMILIES.map((family) => ({ kind: 'loopback', network: LOOPBACK, family, address: family === 'ipv4' ? '127.0.0.1' : '::1', target: family === 'ipv4' ? '127.0.0.1' : '::1' })),
  };
  const scanTargets: Record<Vantage, ScanTarget[]> = {
    [LOOPBACK]: [{ address: { ipv4: '127.0.0.1', ipv6: '::1' }, from: { ipv4: '127.0.0.1', ipv6: '::1' } }],
  };
  const targetIfs = topology.target.interfaces;
  for (const iface of targetIfs) for (const family of FAMILIES) scope.allowLabAddress(iface[family], family);
  for (const { spec } of behindStarted) for (const family of FAMILIES) scope.allowLabAddress(spec.interfaces[0][family], family);
  const publicNets = new Set(topology.networks.filter((n) => n.public).map((n) => n.name));
  const kind = (iface: InterfaceSpec) => (publicNets.has(iface.network) ? 'public' : 'lab') as 'lab' | 'public';
  const peerAddresses: string[] = [];
  const spoofs = spoofAddresses(topology);
  for (const [p, peer] of topology.peers.filter((spec) => peers.has(spec.name)).entries()) {
    // Every interface of the peer on a network the target is on is a source; the first one also carries nmap.
    const facing = peer.interfaces.filter((i) => targetIfs.some((t) => t.network === i.network) && allowedSource(scenario, kind(i)));
    const first = peer.interfaces.find((i) => targetIfs.some((t) => t.network === i.network))!;
    const targetOn = (iface: InterfaceSpec) => targetIfs.find((t) => t.network === iface.network)!;
    const list: ProbeSource[] = facing.flatMap((iface) =>
      FAMILIES.map((family) => ({ kind: kind(iface), network: iface.network, family, address: iface[family], target: targetOn(iface)[family] })),
    );
    // The target's addresses on networks the peer is not on, reached through the target (see wiring.ts).
    for (const iface of facing) {
      for (const other of targetIfs.filter((t) => !peer.interfaces.some((i) => i.network === t.network))) {
        list.push(...FAMILIES.map((family) => ({ kind: kind(iface), network: `${iface.network}@${other.name}`, family, address: iface[family], target: other[family] })));
      }
    }
    // Every IPv6 host on a link has a link-local address, and an attacker on the segment may use it: the
    // peer also probes the target's link-local address from its own (a rule trusting fe80::/10, or keyed
    // on global addresses only, is tried). Hosts are wired in the order target, peers (see wiring.ts).
    for (const iface of facing) {
      const ti = targetIfs.findIndex((t) => t.network === iface.network);
      const i = peer.interfaces.indexOf(iface);
      list.push({
        kind: kind(iface),
        network: `${iface.network}@link-local`,
        family: 'ipv6',
        address: `${linkLocalAddress(1 + p, i)}%${iface.name}`,
        target: `${linkLocalAddress(0, ti)}%${iface.name}`,
      });
    }
    // Anyone on the segment may send to its broadcast address or to all-nodes multicast: a rule accepting
    // `--dst-type BROADCAST` or `-d ff00::/8` lets those datagrams reach a wildcard listener. UDP only; the
    // target's own listener log is the only witness (see corroborate.ts).
    for (const iface of facing) {
      const net = topology.networks.find((n) => n.name === iface.network)!;
      list.push(
        { kind: kind(iface), network: `${iface.network}@broadcast`, family: 'ipv4', address: iface.ipv4, target: broadcastAddress(parseSubnet(net.ipv4)), oneWay: true },
        { kind: kind(iface), network: `${iface.network}@multicast`, family: 'ipv6', address: iface.ipv6, target: `ff02::1%${iface.name}`, oneWay: true },
      );
    }
    // Datagrams claiming to come from every network the peer is not on (an inside address, from outside):
    // a rule trusting `-s 192.168.10.0/24` without `-i eth1` lets them in. UDP only: replies go elsewhere,
    // and the target's listener log is the witness.
    for (const network of topology.networks.filter((n) => !peer.interfaces.some((i) => i.network === n.name))) {
      const spoof = spoofs.get(network.name)!;
      for (const family of FAMILIES) {
        const address = spoof[family];
        if (address) list.push({ kind: kind(first), network: `${first.network}@spoof-${network.name}`, family, address, target: targetOn(first)[family], oneWay: true });
      }
    }
    const targets: ScanTarget[] = [{ address: { ipv4: targetOn(first).ipv4, ipv6: targetOn(first).ipv6 }, from: { ipv4: first.ipv4, ipv6: first.ipv6 } }];
    // A host behind is scanned through the target from every peer that is not on its network.
    for (const { spec } of behindStarted) {
      const inner = spec.interfaces[0];
      if (peer.interfaces.some((i) => i.network === inner.network)) continue;
      targets.push({ host: spec.name, address: { ipv4: inner.ipv4, ipv6: inner.ipv6 } });
      list.push(...FAMILIES.map((family) => ({ kind: kind(first), network: first.network, host: spec.name, family, address: first[family], target: inner[family] })));
    }
    sources[peer.name] = list;
    scanTargets[peer.name] = targets;
    peerAddresses.push(...peer.interfaces.flatMap((i) => [i.ipv4, i.ipv6]));
  }
  for (const { spec } of behindStarted) peerAddresses.push(spec.interfaces[0].ipv4, spec.interfaces[0].ipv6);
  const behind = new Map(behindStarted.map(({ spec, container }) => [spec.name, { container, services: spec.services }]));
  const targetAddresses = peers.size > 0 || behind.size > 0 ? targetIfs.flatMap((i) => [i.ipv4, i.ipv6]) : [];
  return { target, peers, behind, scope, sources, scanTargets, targetAddresses, peerAddresses };
}

/** The default peer probes from the sources `sources.peer` names; a declared peer from each of its addresses. */
function allowedSource(scenario: Scenario, kind: 'lab' | 'public'): boolean {
  return scenario.topology.declared || scenario.sources.peer.includes(kind);
}
