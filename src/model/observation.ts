/**
 * The data that flows between fwprobe's stages: ruleset → lab → scan → verdict → report.
 * Every stage imports its vocabulary from here, and nothing flows backwards.
 */
import type { Attribution } from './attribution.ts';

/** Address family of a scan. */
export type Family = 'ipv4' | 'ipv6';
export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/** Transport protocol of a port. */
export type Protocol = 'tcp' | 'udp';
export const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp'];

/**
 * Where a scan runs from: `loopback` (nmap inside the target, against `127.0.0.1` / `::1`) or the name of a
 * peer (a container on one of the lab's networks; `peer` is the default single peer).
 */
export type Vantage = string;
export const LOOPBACK = 'loopback';
/** The vantages of a scenario that declares none: loopback and the default peer. */
export const DEFAULT_VANTAGES: readonly Vantage[] = ['loopback', 'peer'];

/** The host a scan targets when none is named: the target itself (others are hosts behind a routing target). */
export const TARGET_HOST = 'target';

/** Where something was seen from, and what was looked at: `peer`, or `internet→web` for a host behind the target. */
export interface View {
  vantage: Vantage;
  /** A host behind the target; absent for the target itself. */
  host?: string;
}

export function viewLabel(v: View): string {
  return v.host ? `${v.vantage}→${v.host}` : v.vantage;
}

/** Loopback first, then peers by name, the target before the hosts behind it: one order for every output. */
export function compareViews(a: View, b: View): number {
  const rank = (v: View) => (v.vantage === LOOPBACK ? 0 : 1);
  return rank(a) - rank(b) || a.vantage.localeCompare(b.vantage) || (a.host ?? '').localeCompare(b.host ?? '');
}

/**
 * A port state as nmap reports it, plus two of fwprobe's own:
 * - `unreachable`: "nmap wrote no host at all" after a successful run against one address (IPv6 neighbour
 *   discovery dropped). Never inferred from silence alone: only when nmap's run statistics say the host was down.
 * - `delivered`: a UDP datagram from a client reached the listener (the target's own log says so) but no
 *   answer came back. Whatever nmap made of the silence, the port is exposed to that sender: never filtered.
 */
export type PortState = 'open' | 'closed' | 'filtered' | 'unfiltered' | 'open|filtered' | 'closed|filtered' | 'unreachable' | 'delivered';

export const PORT_STATES: readonly PortState[] = ['open', 'closed', 'filtered', 'unfiltered', 'open|filtered', 'closed|filtered', 'unreachable', 'delivered'];

/** What one scan saw for one port. `reason` is nmap's (`syn-ack`, `reset`, `no-response`, …). */
export interface Observation {
  vantage: Vantage;
  /** The host scanned when it is not the target: a host behind a routing target. */
  host?: string;
  family: Family;
  protocol: Protocol;
  port: number;
  state: PortState;
  reason: string;
  /** What backs this state beyond nmap's reading: real client probes and what the listener received. */
  evidence?: Evidence;
  /** The rule or chain policy that decided a traced client's fate (ports of interest only). */
  attribution?: Attribution;
  /**
   * Where the target's drop ledger (a counted sweep, scan/ledger.ts) saw this silent port's probe or answer
   * stop: `reply` means the firewall let the probe in and dropped the host's answer (admitted, not blocked).
   */
  droppedAt?: 'output' | 'input' | 'reply';
  /**
   * A counted UDP sweep's ledger word on this port (scan/ledger-udp.ts), from its probes' own path:
   * `admitted` (a probe reached the socket layer), `dropped` (held in a path's chains, see `droppedAt`),
   * `unverified` (the ledger cannot say). Also `unverified` on any scan's silent port that a rule keyed on
   * the probe's source port or shape can decide (scan/unproven-marks.ts). Absent otherwise.
   */
  ledger?: 'admitted' | 'dropped' | 'unverified';
}

/** The real-client corroboration of one observation (see scan/corroborate.ts). */
export interface Evidence {
  /** Client probes sent to this port (TCP connect(), or a UDP datagram the listener logs). */
  probes: number;
  /** How many of them reached the listener. */
  reached: number;
  /**
   * How many were refused (a TCP reset, an ICMP port unreachable: connect() said ECONNREFUSED), and from
   * where the first was. The kernel's refusal for a port the firewall let in, or a REJECT's: set only when >0.
   */
  refused?: number;
  refusedFrom?: string;
  /** The sources probed from, e.g. `198.51.100.5:53`, `10.213.7.3:random`. */
  sources: string[];
  /** nmap's own state and reason, kept when the probes overruled it. */
  scan?: { state: PortState; reason: string };
  /** The packet variants among the probes sent (`dstopts`, `hbh`, `ecn`, `psh`; scan/probe/variants.ts). */
  variants?: string[];
  /** The variant of the probe that overruled nmap, when no plain client got in. */
  variant?: string;
}

/** One disagreement between what a scenario expects and what a scan observed. */
export interface Mismatch {
  vantage: Vantage;
  host?: string;
  family: Family;
  protocol: Protocol;
  port: number;
  /** The states that would have satisfied the expectation. */
  expected: PortState[];
  observed: PortState;
  reason: string;
  /** Human-readable, e.g. `peer ipv6 tcp/53: expected filtered, observed open (syn-ack)`. */
  message: string;
}

/** A port NAT maps onto a service port of the target (`--dport 13306 -j REDIRECT --to-ports 3306`). */
export interface NatAlias {
  protocol: Protocol;
  port: number;
  /** The service port the packets end at. */
  to: number;
}
