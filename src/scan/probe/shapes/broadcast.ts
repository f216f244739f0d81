/**
 * Anyone on the segment may send to its IPv4 broadcast address: a rule accepting `--dst-type BROADCAST`
 * lets those datagrams reach a wildcard listener. One-way: the target's listener log is the witness.
 */
import { broadcastAddress, parseSubnet } from '../../../model/subnet.ts';
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

/** `ipv4Subnet`: the shared network's IPv4 subnet. */
export function broadcast(segment: Segment, ipv4Subnet: string): ProbeSource[] {
  const shape: SourceShape = { kind: 'broadcast' };
  return [
    {
      kind: segment.kind,
      network: legacyNetwork(segment.peer.network, shape),
      shape,
      family: 'ipv4',
      address: segment.peer.ipv4,
      target: broadcastAddress(parseSubnet(ipv4Subnet)),
    },
  ];
}
