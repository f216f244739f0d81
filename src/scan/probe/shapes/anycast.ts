/**
 * A routing target answers at each of its subnets' subnet-router anycast address (RFC 4291 2.6.1: the
 * subnet's all-zero host address): a rule keyed on the target's own addresses never sees those datagrams,
 * and a rule accepting the whole subnet does. IPv6 only. One-way: the listener log is the witness.
 */
import { fromInteger, parseSubnet } from '../../../model/subnet.ts';
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

/** `subnets`: the IPv6 subnets of the target's interfaces (the peer routes the others through the target). */
export function anycast(segment: Segment, subnets: readonly string[]): ProbeSource[] {
  return subnets.map((cidr) => {
    const subnet = parseSubnet(cidr);
    const shape: SourceShape = { kind: 'anycast', subnet: subnet.text };
    return {
      kind: segment.kind,
      network: legacyNetwork(segment.peer.network, shape),
      shape,
      family: 'ipv6' as const,
      address: segment.peer.ipv6,
      target: fromInteger(subnet.base, 6),
    };
  });
}
