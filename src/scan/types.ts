/**
 * What the scan stage takes and gives: a request (what to scan, from where), the parsed result of one nmap
 * run, and the summaries and records that verdict and report read. Types only.
 */
import type { Family, Observation, PortState, Protocol, Vantage } from '../model/observation.ts';

/** What to scan, from where. */
export interface ScanRequest {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  /** Address to scan. Must pass the lab scope (loopback, or a lab container's address). */
  target: string;
  /** Ports that each get an Observation. Must not be empty. */
  ports: number[];
  /**
   * Ports to scan, a superset of `ports` (e.g. 1-65535). Scanned ports outside `ports` get an Observation
   * only if nmap lists them individually (any state but the collapsed majority); the rest are summarised.
   * @default `ports`
   */
  scanPorts?: number[];
  /**
   * `lab` is fwprobe's tuned timing; `conservative` is nmap's `-T3`, for agreement tests and benchmarks.
   * @default 'lab'
   */
  timing?: 'lab' | 'conservative' | 'confirm' | 'counted';
  /**
   * nmap's source port (`-g`). `scanPorts()` pins it for every loopback scan (see source-port.ts); a
   * single `runNmap()` passes it through.
   * @default nmap's own choice, a random port per run (and per retry)
   */
  sourcePort?: number;
  /**
   * The scanner's own address and the interface it leaves by (nmap `-S ADDR -e IFACE`). Left to the kernel,
   * a peer's IPv6 scan of a host behind a routing target leaves from the spoof address that shares the host's
   * prefix (lab/wiring.ts), and every answer is lost on the inside segment: closed ports read `filtered`.
   * Every scan a scenario runs pins it (run/scans.ts).
   * @default the kernel's choice
   */
  source?: ScanSource;
}

/** Where a scan leaves from: an address the scanning host owns on that network, and its interface. */
export interface ScanSource {
  /** Of the request's family: the peer's address on its segment, or loopback's. */
  address: string;
  /** The interface that address is on, e.g. `eth0` or `lo`. */
  device: string;
}

/** Several commands in one exec in the target, one result per command, in order (see lab/batch.ts). */
export type BatchExec = (commands: string[][]) => Promise<{ exitCode: number; stdout: string; stderr: string }[]>;

/** How a scan's silent readings (`filtered`, no-response) are backed. */
export interface ScanBacking {
  /**
   * `counted`: each probe sent once, drops proven by the target's own ledger (ledger.ts), the rest retried
   * in a follow-up run; `retry`: nmap sent every unanswered probe again itself (`--max-retries` ≥ 1).
   */
  method: 'counted' | 'retry';
  /** Ports the first run read `filtered` with no response. */
  silent: number;
  /** Of those, proven dropped by the target's netfilter. */
  dropped: number;
  /** Where: the probe stopped in the output path, in the input path, or the answer in the output path. */
  countedBy: { output: number; input: number; reply: number };
  /** Silent ports backed by a retry: nmap's own, or the follow-up run over those the ledger left unaccounted. */
  retried: number;
  /** Why the ledger proved nothing, when it could not (it was then retried). */
  note?: string;
  /** Counted UDP sweeps only: ports whose probe the ledger saw reach the socket layer. */
  admitted?: number;
  /** Counted UDP sweeps only: ports the ledger could not decide (never seen, or held while conntrack dropped). */
  unverified?: number;
}

/** Runs a command in a container. Must not throw on a non-zero exit; stdout and stderr kept apart. */
export type Exec = (command: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

/** What the caller knows about the nmap run whose stdout is being parsed. */
export interface ScanContext {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  /** The address scanned, e.g. `::1` or `fd00:fb::2`. Compared with `<address addr>` after canonicalising IPv6. */
  target: string;
  /** Ports of interest: each gets exactly one Observation, or the parse fails. */
  ports: number[];
  /** Full nmap argv, shown in error messages. */
  command: string[];
  exitCode: number;
  stderr: string;
}

/** A group of scanned ports that are not in `observations`, e.g. 195 × closed/reset. */
export interface PortSummary {
  state: PortState;
  reason: string;
  count: number;
  /** Exactly which ports, in nmap's `-p` syntax (`1-21,23-79`); null when nmap did not list them. */
  ports: string | null;
  /** Where the drop ledger saw these silent ports' probes or answers stop (Observation.droppedAt). */
  droppedAt?: 'output' | 'input' | 'reply';
  /** A counted UDP sweep's ledger word on these ports (Observation.ledger). */
  ledger?: 'admitted' | 'dropped' | 'unverified';
}

export interface ScanResult {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  target: string;
  command: string[];
  /**
   * `unreachable`: nmap wrote no `<host>` and counted the one target as down (see parseNmapRun); only
   * possible for the `peer` vantage.
   */
  hostState: 'up' | 'unreachable';
  /** One per port of interest, plus every port nmap listed individually; sorted by port. */
  observations: Observation[];
  /** Ports nmap scanned that are not in `observations` (from `<extraports>`), summarised; sorted by state, reason. */
  others: PortSummary[];
  elapsedSeconds: number | null;
  nmapVersion: string | null;
  /** The source port nmap was pinned to with `-g` (loopback scans); null when nmap chose its own. */
  sourcePort: number | null;
  /**
   * The nmap runs after `command` that contributed to this result, in the order they ran: the pinned
   * source ports observed from another source port, the patient second look at ambiguous UDP ports.
   */
  followUpCommands: string[][];
  /**
   * What nmap wrote to stderr in all those runs: distinct lines, in order, at most 20 (MAX_WARNINGS),
   * e.g. `sendto in send_ip_packet_sd: sendto(…) => Operation not permitted` and its `Offending packet`.
   */
  warnings: string[];
  /** nmap's XML of `command` (stdout), as it wrote it; the follow-up runs' XML is not kept. */
  xml?: string;
  /** How the silent readings are backed; absent for UDP outside counted sweeps. */
  backing?: ScanBacking;
}

/** The reason given to ports of interest on an unreachable host. */
export const HOST_DOWN_REASON = 'host-down';

/** Scanned ports that are not individually observed, summarised (e.g. 65530 × filtered/no-response). */
export interface ObservedSummary extends PortSummary {
  vantage: Vantage;
  /** A host behind the target; absent for the target. */
  host?: string;
  family: Family;
  protocol: Protocol;
}

/** One nmap run, for the report: what ran, how long it took, and whether the host answered at all. */
export interface ScanRecord extends Pick<ScanResult, 'vantage' | 'family' | 'protocol' | 'target' | 'command' | 'hostState' | 'sourcePort' | 'followUpCommands' | 'warnings' | 'backing'> {
  /** A host behind the target; absent for the target. */
  host?: string;
  ms: number;
  /** nmap's XML of `command`, at most MAX_RAW_XML_CHARS (raw-xml.ts); absent in results from before it was kept. */
  xml?: string;
}
