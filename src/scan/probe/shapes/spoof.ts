/**
 * Datagrams that lie about their source, as a spoofing attacker's can (UDP needs no handshake):
 * - from an unused address of every network the peer is not on (an inside address, from outside): a rule
 *   trusting `-s 192.168.10.0/24` without `-i eth1` lets them in;
 * - from each of the target's own IPv6 addresses: a rule trusting `-s <own address>` ("the host talks to
 *   itself") lets them in, and the kernel delivers them to INPUT. The IPv4 twin is a martian the kernel
 *   drops before any rule, so it is not sent.
 * One-way: replies go elsewhere, and the target's listener log is the witness.
 */
import { FAMILIES } from '../../../model/observation.ts';
import type { InterfaceSpec } from '../../../model/topology.ts';
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

/** `spoofs`: per network the peer is not on, the address it claims (null: none free). */
export function spoofOther(segment: Segment, spoofs: ReadonlyMap<string, { ipv4: string | null; ipv6: string | null }>): ProbeSource[] {
  return [...spoofs].flatMap(([network, addresses]) => {
    const shape: SourceShape = { kind: 'spoof', network };
    return FAMILIES.flatMap((family) => {
      const address = addresses[family];
      if (!address) return [];
      return [{ kind: segment.kind, network: legacyNetwork(segment.peer.network, shape), shape, family, address, target: segment.target[family] }];
    });
  });
}

/** `targetInterfaces`: every interface of the target; each one's IPv6 address is claimed, sent to the segment's. */
export function spoofOwn(segment: Segment, targetInterfaces: readonly InterfaceSpec[]): ProbeSource[] {
  return targetInterfaces.map((iface) => {
    const shape: SourceShape = { kind: 'spoof-own', iface: iface.name };
    return { kind: segment.kind, network: legacyNetwork(segment.peer.network, shape), shape, family: 'ipv6' as const, address: iface.ipv6, target: segment.target.ipv6 };
  });
}
