/**
 * Every IPv6 host on a link has a link-local address, and an attacker on the segment may use it: the peer
 * probes the target's link-local address from its own, so a rule trusting fe80::/10, or keyed on global
 * addresses only, is tried. The lab's link-local addresses are given (lab/wiring.ts assigns them).
 */
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

export function linkLocal(segment: Segment, addresses: { peer: string; target: string }): ProbeSource[] {
  const shape: SourceShape = { kind: 'link-local' };
  const scope = segment.peer.name;
  return [
    {
      kind: segment.kind,
      network: legacyNetwork(segment.peer.network, shape),
      shape,
      family: 'ipv6',
      address: `${addresses.peer}%${scope}`,
      target: `${addresses.target}%${scope}`,
    },
  ];
}
