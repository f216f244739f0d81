/**
 * The plain shapes: the peer's own address to the target's on the shared network (both families), and to
 * the target's addresses on its other interfaces, reached through the target (Linux answers for all its
 * addresses on every interface, so a rule trusting `-d 192.168.10.1` without `-i eth1` is tried).
 */
import { FAMILIES } from '../../../model/observation.ts';
import type { InterfaceSpec } from '../../../model/topology.ts';
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

export function direct(segment: Segment): ProbeSource[] {
  return bothFamilies(segment, { kind: 'direct' }, segment.target);
}

/** To each of `others` (the target's interfaces on networks the peer is not on), both families. */
export function viaInterface(segment: Segment, others: readonly InterfaceSpec[]): ProbeSource[] {
  return others.flatMap((other) => bothFamilies(segment, { kind: 'via-interface', iface: other.name }, other));
}

/** The peer's address on the segment to `target`'s, once per family. */
function bothFamilies(segment: Segment, shape: SourceShape, target: Pick<InterfaceSpec, 'ipv4' | 'ipv6'>): ProbeSource[] {
  return FAMILIES.map((family) => ({
    kind: segment.kind,
    network: legacyNetwork(segment.peer.network, shape),
    shape,
    family,
    address: segment.peer[family],
    target: target[family],
  }));
}
