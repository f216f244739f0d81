/**
 * The topology piece every shape generator starts from: one network a peer and the target share, with
 * each side's interface there. Generators take these, never the whole lab, so each is tested alone.
 */
import type { InterfaceSpec } from '../../../model/topology.ts';

export interface Segment {
  /** `public` when the network is public-looking (sources from it are `public`), else `lab`. */
  kind: 'lab' | 'public';
  /** The peer's interface on the network (its `name` is the scope of link-scope destinations). */
  peer: InterfaceSpec;
  /** The target's interface on the same network. */
  target: InterfaceSpec;
}
