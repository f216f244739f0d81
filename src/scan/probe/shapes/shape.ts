/**
 * What an attacker's datagram or connection looks like, as data: the destination class and the source
 * claim of each probe source. Generators in this folder build sources from topology pieces; everything
 * that needs to know a source's shape reads `shape.kind`, never a suffix of a string.
 */
import type { Family } from '../../../model/observation.ts';

export type SourceShape =
  /** The scanning host's own loopback address, to the target's. */
  | { kind: 'loopback' }
  /** The peer's address on a network the target is on, to the target's address there. */
  | { kind: 'direct' }
  /** The target's address on another of its interfaces (`iface`), reached through the target. */
  | { kind: 'via-interface'; iface: string }
  /** The peer's link-local address to the target's link-local address on the segment. */
  | { kind: 'link-local' }
  /** The segment's IPv4 subnet-directed broadcast address. */
  | { kind: 'broadcast' }
  /** A link-scope multicast group the target is in: all-nodes, a solicited-node group, all-routers, or one a socket joined. */
  | { kind: 'multicast'; group: string; why: 'all-nodes' | 'solicited-node' | 'all-routers' | 'joined' }
  /** A routing target's subnet-router anycast address (the subnet's all-zero host address). */
  | { kind: 'anycast'; subnet: string }
  /** A datagram claiming an unused address of a network the peer is not on. */
  | { kind: 'spoof'; network: string }
  /** A datagram claiming one of the target's own addresses (IPv6 only: IPv4 drops it as a martian). */
  | { kind: 'spoof-own'; iface: string }
  /** A host behind a routing target, through the target. */
  | { kind: 'behind'; host: string };

export type ShapeKind = SourceShape['kind'];

/** Where client probes come from: an address of the scanning host, and where it sends. */
export interface ProbeSource {
  /** `lab` (a private address), `public` (a public-looking address, e.g. the outside network's), or `loopback`. */
  kind: 'lab' | 'public' | 'loopback';
  /**
   * The old label (`NET`, `NET@IFACE`, `NET@link-local`, `NET@broadcast`, `NET@multicast`, `NET@spoof-X`,
   * and the new shapes' `NET@…`): kept in results.json for one version and in probe ids. Read `shape`.
   */
  network: string;
  /** The attacker shape this source tries. */
  shape: SourceShape;
  /** The host probed when it is not the target: a host behind a routing target. */
  host?: string;
  family: Family;
  /** The address the probe binds to. */
  address: string;
  /** The target address as seen from this source. */
  target: string;
}

/**
 * A datagram to a broadcast, multicast or anycast address, or from an address that is not the sender's:
 * UDP only, and any answer goes elsewhere, so only the target's own listener log can show it arrived.
 */
export function isOneWay(shape: SourceShape): boolean {
  switch (shape.kind) {
    case 'broadcast':
    case 'multicast':
    case 'anycast':
    case 'spoof':
    case 'spoof-own':
      return true;
    case 'loopback':
    case 'direct':
    case 'via-interface':
    case 'link-local':
    case 'behind':
      return false;
  }
}

/** Whether the source sends to another address than the target's own on the segment (said in evidence). */
export function isIndirect(shape: SourceShape): boolean {
  return shape.kind !== 'direct' && shape.kind !== 'loopback' && shape.kind !== 'behind';
}

/** The old `network` label of a source on `network` with `shape` (results.json keeps it one version). */
export function legacyNetwork(network: string, shape: SourceShape): string {
  switch (shape.kind) {
    case 'loopback':
    case 'direct':
    case 'behind':
      return network;
    case 'via-interface':
      return `${network}@${shape.iface}`;
    case 'link-local':
    case 'broadcast':
      return `${network}@${shape.kind}`;
    case 'multicast':
      return shape.why === 'all-nodes' ? `${network}@multicast` : `${network}@multicast-${shape.group}`;
    case 'anycast':
      return `${network}@anycast-${shape.subnet}`;
    case 'spoof':
      return `${network}@spoof-${shape.network}`;
    case 'spoof-own':
      return `${network}@spoof-own-${shape.iface}`;
  }
}
