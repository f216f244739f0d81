/**
 * The data that flows between fwprobe's stages: ruleset → lab → scan → verdict → report.
 * Every stage imports its vocabulary from here, and nothing flows backwards.
 */

/** Address family of a scan. */
export type Family = 'ipv4' | 'ipv6';
export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/** Transport protocol of a port. */
export type Protocol = 'tcp' | 'udp';
export const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp'];

/**
 * Where a scan runs from.
 * - `loopback`: nmap inside the target container, against `127.0.0.1` / `::1`.
 * - `peer`: nmap in a second container on the lab's dual-stack network, against the target's addresses.
 */
export type Vantage = 'loopback' | 'peer';
export const VANTAGES: readonly Vantage[] = ['loopback', 'peer'];

/**
 * A port state as nmap reports it, plus two of fwprobe's own:
 * - `unreachable`: "nmap wrote no host at all" after a successful run against one address (IPv6 neighbour
 *   discovery dropped). Never inferred from silence alone: only when nmap's run statistics say the host was down.
 * - `delivered`: a UDP datagram from a client reached the listener (the target's own log says so) but no
 *   answer came back. Whatever nmap made of the silence, the port is exposed to that sender: never filtered.
 */
export type PortState =
  | 'open'
  | 'closed'
  | 'filtered'
  | 'unfiltered'
  | 'open|filtered'
  | 'closed|filtered'
  | 'unreachable'
  | 'delivered';

export const PORT_STATES: readonly PortState[] = [
  'open',
  'closed',
  'filtered',
  'unfiltered',
  'open|filtered',
  'closed|filtered',
  'unreachable',
  'delivered',
];

/** What one scan saw for one port. `reason` is nmap's (`syn-ack`, `reset`, `no-response`, …). */
export interface Observation {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  port: number;
  state: PortState;
  reason: string;
  /** What backs this state beyond nmap's reading: real client probes and what the listener received. */
  evidence?: Evidence;
}

/** The real-client corroboration of one observation (see scan/corroborate.ts). */
export interface Evidence {
  /** Client probes sent to this port (TCP connect(), or a UDP datagram the listener logs). */
  probes: number;
  /** How many of them reached the listener. */
  reached: number;
  /** The sources probed from, e.g. `198.51.100.5:53`, `10.213.7.3:random`. */
  sources: string[];
  /** nmap's own state and reason, kept when the probes overruled it. */
  scan?: { state: PortState; reason: string };
}

/** One disagreement between what a scenario expects and what a scan observed. */
export interface Mismatch {
  vantage: Vantage;
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
