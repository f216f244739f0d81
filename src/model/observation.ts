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
 * A port state as nmap reports it, plus `unreachable`: fwprobe's own name for "nmap wrote no host at all"
 * after a successful run against one address (IPv6 neighbour discovery dropped). It is never inferred from
 * silence alone: the scanner only sets it when nmap's run statistics say the one host was down.
 */
export type PortState =
  | 'open'
  | 'closed'
  | 'filtered'
  | 'unfiltered'
  | 'open|filtered'
  | 'closed|filtered'
  | 'unreachable';

export const PORT_STATES: readonly PortState[] = [
  'open',
  'closed',
  'filtered',
  'unfiltered',
  'open|filtered',
  'closed|filtered',
  'unreachable',
];

/** What one scan saw for one port. `reason` is nmap's (`syn-ack`, `reset`, `no-response`, …). */
export interface Observation {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  port: number;
  state: PortState;
  reason: string;
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
