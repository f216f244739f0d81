/**
 * The outcome of one scenario: what `fwprobe run` writes to results.json and what the vitest integration
 * asserts on. Names here are a contract with users' scripts (results.json `version: 1`): add, never rename.
 */
import { FwprobeError } from './errors.ts';
import type { Family, Mismatch, Observation, PortState, Protocol, Vantage } from './model.ts';
import type { PortSummary, ScanResult } from './scan/parse.ts';

export type ScenarioStatus = 'passed' | 'failed' | 'error';

/** Scanned ports that are not individually observed, summarised (e.g. 65530 × filtered/no-response). */
export interface ObservedSummary extends PortSummary {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
}

/** One nmap run, for the report: what ran, how long it took, and whether the host answered at all. */
export interface ScanRecord
  extends Pick<ScanResult, 'vantage' | 'family' | 'protocol' | 'target' | 'command' | 'hostState'> {
  ms: number;
}

/** A difference between IPv4 and IPv6 from the same vantage: the IPv6 gap, found automatically. */
export interface ParityFinding {
  vantage: Vantage;
  protocol: Protocol;
  port: number;
  ipv4: { state: PortState; reason: string };
  ipv6: { state: PortState; reason: string };
  /** Set when a parity exception in the scenario excuses this difference. */
  excusedBy: string | null;
  /**
   * Present when the finding covers several summarised ports with the same states (e.g. 65534 ports
   * filtered on IPv4 and closed on IPv6): those ports in `-p` syntax, and how many. `port` is the first.
   */
  ports?: string;
  count?: number;
  message: string;
}

/** Something allowed to fail (a tolerated script line): always shown, never silently dropped. */
export interface Tolerated {
  line: number;
  command: string;
  exitCode: number;
  why: string;
}

export interface ScenarioResult {
  name: string;
  /** Scenario file, relative to the working directory. */
  file: string;
  status: ScenarioStatus;
  /** Present when status is `error`: what went wrong and what to do. */
  error?: string;
  errorCode?: string;
  observations: Observation[];
  others: ObservedSummary[];
  mismatches: Mismatch[];
  /** Every reason the verdict failed, one message each: mismatches, ports never observed, parity gaps. */
  problems: string[];
  /** The verdict as readable text (mismatches, parity findings, unchecked ports). */
  verdictText: string;
  parity: ParityFinding[];
  /** What the applied v4 ruleset restricts that the v6 one leaves open, read from the rules themselves. */
  staticParity: string[];
  scans: ScanRecord[];
  tolerated: Tolerated[];
  /** The rulesets as the kernel had them after applying (`iptables-save` / `ip6tables-save`). */
  applied: { v4: string; v6: string } | null;
  phases: { name: string; ms: number }[];
  durationMs: number;
}

/** A result with nothing observed yet, status `error` until a verdict says otherwise. */
export function emptyResult(name: string, file: string): ScenarioResult {
  return {
    name,
    file,
    status: 'error',
    observations: [],
    others: [],
    mismatches: [],
    problems: [],
    verdictText: '',
    parity: [],
    staticParity: [],
    scans: [],
    tolerated: [],
    applied: null,
    phases: [],
    durationMs: 0,
  };
}

/** Status `error` with the error's message and stable code. */
export function errorFields(error: unknown): Pick<ScenarioResult, 'status' | 'error' | 'errorCode'> {
  return {
    status: 'error',
    error: error instanceof Error ? error.message : String(error),
    errorCode: error instanceof FwprobeError ? error.code : 'UNEXPECTED',
  };
}
