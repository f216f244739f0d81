/**
 * Every attacker shape one peer tries, composed from the generators beside this file in a fixed order
 * (which is the order of probe ids and of results.json's `sources`). Also the loopback vantage's sources.
 */
import { FAMILIES, LOOPBACK } from '../../../model/observation.ts';
import { spoofAddresses, type InterfaceSpec, type PeerSpec, type Topology } from '../../../model/topology.ts';
import { anycast } from './anycast.ts';
import { behind } from './behind.ts';
import { broadcast } from './broadcast.ts';
import { direct, viaInterface } from './direct.ts';
import { linkLocal } from './link-local.ts';
import { multicast } from './multicast.ts';
import type { Segment } from './segment.ts';
import type { ProbeSource } from './shape.ts';
import { spoofOther, spoofOwn } from './spoof.ts';

export function loopbackSources(): ProbeSource[] {
  return FAMILIES.map((family) => {
    const address = family === 'ipv4' ? '127.0.0.1' : '::1';
    return { kind: 'loopback', network: LOOPBACK, shape: { kind: 'loopback' }, family, address, target: address };
  });
}

export interface PeerInputs {
  topology: Topology;
  peer: PeerSpec;
  /** The link-local address of interface `i` of the peer (`'peer'`) or of the target (lab/wiring.ts assigns them). */
  linkLocal: (who: 'peer' | 'target', i: number) => string;
  /** Whether the peer probes from an interface of this kind (a declared peer: always). */
  allowed: (kind: 'lab' | 'public') => boolean;
  /** Groups each target interface joined, by interface name (joined-groups.ts). @default none */
  joined?: ReadonlyMap<string, readonly string[]>;
}

/** The peer's sources, and its first interface on a network the target is on (nmap scans from it). */
export function peerSources(inputs: PeerInputs): { sources: ProbeSource[]; first: Segment } | null {
  const { topology, peer } = inputs;
  const targetIfs = topology.target.interfaces;
  const publicNets = new Set(topology.networks.filter((n) => n.public).map((n) => n.name));
  const segmentOf = (iface: InterfaceSpec): Segment | null => {
    const target = targetIfs.find((t) => t.network === iface.network);
    return target ? { kind: publicNets.has(iface.network) ? 'public' : 'lab', peer: iface, target } : null;
  };
  const all = peer.interfaces.flatMap((i) => segmentOf(i) ?? []);
  const first = all[0];
  if (!first) return null;
  const facing = all.filter((s) => inputs.allowed(s.kind));
  const router = topology.target.role === 'router';
  const others = targetIfs.filter((t) => !peer.interfaces.some((i) => i.network === t.network));
  const sources: ProbeSource[] = facing.flatMap(direct);
  for (const s of facing) sources.push(...viaInterface(s, others));
  for (const s of facing) {
    const addresses = { peer: inputs.linkLocal('peer', peer.interfaces.indexOf(s.peer)), target: inputs.linkLocal('target', targetIfs.indexOf(s.target)) };
    sources.push(...linkLocal(s, addresses));
  }
  for (const s of facing) {
    const net = topology.networks.find((n) => n.name === s.peer.network)!;
    sources.push(...broadcast(s, net.ipv4));
    const joined = inputs.joined?.get(s.target.name) ?? [];
    sources.push(...multicast(s, { targetLinkLocal: inputs.linkLocal('target', targetIfs.indexOf(s.target)), router, joined }));
    if (router)
      sources.push(
        ...anycast(
          s,
          targetIfs.map((t) => topology.networks.find((n) => n.name === t.network)!.ipv6),
        ),
      );
  }
  // Spoofed datagrams leave from the first interface, which carries the unused addresses (lab/wiring.ts).
  const spoofs = spoofAddresses(topology);
  const elsewhere = new Map(topology.networks.filter((n) => !peer.interfaces.some((i) => i.network === n.name)).map((n) => [n.name, spoofs.get(n.name)!]));
  sources.push(...spoofOther(first, elsewhere), ...spoofOwn(first, targetIfs));
  for (const host of topology.behind) {
    const inner = host.interfaces[0];
    if (peer.interfaces.some((i) => i.network === inner.network)) continue;
    sources.push(...behind(first, { name: host.name, inner }));
  }
  return { sources, first };
}
