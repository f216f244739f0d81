/**
 * Link-scope multicast groups the target is in, as destinations: all-nodes (`ff02::1`, and `224.0.0.1`,
 * which an AF_INET wildcard UDP listener receives), each target address's solicited-node group
 * (`ff02::1:ffXX:XXXX`), all-routers (`ff02::2`) on a routing target, and every link-scope group the target's
 * interface joined (read from /proc/net/igmp{,6}, see joined-groups.ts). A rule accepting `-d 224.0.0.0/4`
 * or `-d ff02::1:ff00:0/104` lets these datagrams reach the listener. One-way: the listener log is the witness.
 */
import { fromInteger, toInteger } from '../../../model/subnet.ts';
import type { Family } from '../../../model/observation.ts';
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

type Why = Extract<SourceShape, { kind: 'multicast' }>['why'];

/** The solicited-node multicast group of an IPv6 address (RFC 4291 2.7.1): ff02::1:ff and its low 24 bits. */
export function solicitedNodeGroup(address: string): string {
  const low = toInteger(address.replace(/%.*$/, '')) & 0xffffffn;
  return fromInteger(0xff0200000000000000000001ff000000n | low, 6);
}

/** Whether a group is link-scope: 224.0.0.0/24, or ff02::/16. Wider scopes need a multicast route the lab has not. */
export function isLinkScope(group: string): boolean {
  if (group.includes(':')) return toInteger(group) >> 112n === 0xff02n;
  return toInteger(group) >> 8n === 0xe00000n;
}

export interface MulticastInputs {
  /** The target's link-local address on the segment (its solicited-node group is tried too). */
  targetLinkLocal: string;
  /** A routing target is in all-routers. */
  router: boolean;
  /** Groups the target's interface on the segment joined (any scope: only link-scope ones are tried). */
  joined: readonly string[];
}

/** One source per group, each group once, both families. */
export function multicast(segment: Segment, inputs: MulticastInputs): ProbeSource[] {
  const groups: { group: string; why: Why }[] = [
    { group: 'ff02::1', why: 'all-nodes' },
    { group: '224.0.0.1', why: 'all-nodes' },
    { group: solicitedNodeGroup(segment.target.ipv6), why: 'solicited-node' },
    { group: solicitedNodeGroup(inputs.targetLinkLocal), why: 'solicited-node' },
    ...(inputs.router ? [{ group: 'ff02::2', why: 'all-routers' as const }] : []),
    ...inputs.joined.filter(isLinkScope).map((group) => ({ group, why: 'joined' as const })),
  ];
  const seen = new Set<string>();
  const out: ProbeSource[] = [];
  for (const { group, why } of groups) {
    const canonical = fromInteger(toInteger(group), group.includes(':') ? 6 : 4);
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    const family: Family = group.includes(':') ? 'ipv6' : 'ipv4';
    const shape: SourceShape = { kind: 'multicast', group: canonical, why };
    out.push({
      kind: segment.kind,
      network: legacyNetwork(segment.peer.network, shape),
      shape,
      family,
      address: segment.peer[family],
      // A link-scope IPv6 group needs the sending interface; an IPv4 one leaves by the bound address's.
      target: family === 'ipv6' ? `${canonical}%${segment.peer.name}` : canonical,
    });
  }
  return out;
}
