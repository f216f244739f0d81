/**
 * A host behind a routing target, probed through the target from a peer that is not on its network:
 * a DNAT or a FORWARD accept is tried as a real client would reach it.
 */
import { FAMILIES } from '../../../model/observation.ts';
import type { InterfaceSpec } from '../../../model/topology.ts';
import type { Segment } from './segment.ts';
import { legacyNetwork, type ProbeSource, type SourceShape } from './shape.ts';

export function behind(segment: Segment, host: { name: string; inner: InterfaceSpec }): ProbeSource[] {
  const shape: SourceShape = { kind: 'behind', host: host.name };
  return FAMILIES.map((family) => ({
    kind: segment.kind,
    network: legacyNetwork(segment.peer.network, shape),
    shape,
    host: host.name,
    family,
    address: segment.peer[family],
    target: host.inner[family],
  }));
}
