/**
 * The outcome of one scenario: what `fwprobe run` writes to results.json and what the vitest integration
 * asserts on. Names here are a contract with users' scripts (results.json `version: 1`): add, never rename.
 */
import type { Topology } from '../model/topology.ts';
import { asFwprobeError, type FwprobeErrorCode } from '../model/errors.ts';
import type { Family, Observation } from '../model/observation.ts';
import type { AppliedRuleset, RateDependentRule, Tolerated } from '../model/ruleset.ts';
import type { ObservedSummary, ScanRecord } from '../scan/types.ts';
import type { SourceShape } from '../scan/probe/shapes/shape.ts';
import type { ParityMode, ScenarioLines } from '../model/scenario.ts';
import type { Verdict } from '../verdict/types.ts';

export type ScenarioStatus = 'passed' | 'failed' | 'error';

/** The judge's verdict, with the parity mode it was judged under (which parity findings fail it). */
export type JudgedVerdict = Verdict & { parityMode: ParityMode };

export interface ScenarioResult {
  name: string;
  /** Scenario file, relative to the working directory. */
  file: string;
  status: ScenarioStatus;
  /** Present when status is `error`: what went wrong and what to do. */
  error?: string;
  /** Present when status is `error`: which class of error (model/errors/), `INTERNAL` for a bug in fwprobe. */
  errorCode?: FwprobeErrorCode;
  observations: Observation[];
  others: ObservedSummary[];
  /**
   * The verdict as data: mismatches (kind, vantage, family, protocol, port, expected, observed, reason),
   * ports never observed, summaries that break `others`, parity findings, unverified rules. Null until a
   * verdict is taken. Every text about it (results.json's `problems`, `verdictText`) is rendered from it.
   */
  verdict: JudgedVerdict | null;
  /**
   * What the applied v4 ruleset restricts that the v6 one leaves open, read from the rules themselves (with
   * native nft tables, the nft lint's findings on all tables too).
   */
  staticParity: string[];
  scans: ScanRecord[];
  /**
   * Every client source: its kind, lab network, the host behind the target it probes (if not the target).
   * `network` is the old label (kept one version); `shape` says what the source tries (scan/probe/shapes/shape.ts).
   */
  sources: { kind: 'lab' | 'public' | 'loopback'; network: string; shape?: SourceShape; host?: string; family: Family; address: string; target: string }[];
  /** Source ports every client source tried; 0 is the kernel's random choice. */
  sourcePorts: number[];
  /** Processes the ruleset script left running; they were killed before the ruleset was recorded. */
  leftovers: { pid: number; state: string; exe: string; command: string }[];
  /** Rules that make verdicts depend on rate or chance; clients were sent before the scans when there are any. */
  rateDependent: RateDependentRule[];
  tolerated: Tolerated[];
  /** The rulesets as the kernel had them after applying (`iptables-save` / `ip6tables-save`). */
  applied: AppliedRuleset | null;
  /**
   * The rules with their `[packets:bytes]` counters after the scans (`iptables-save -c`), comments left
   * out; null when they could not be read or the scenario ended before its scans.
   */
  counters?: AppliedRuleset | null;
  /** When the scenario started (ISO 8601). */
  startedAt?: string;
  /** The target image the scenario ran in (its tag). */
  image?: string;
  /** Lines of the scenario's keys in its YAML file, for reports that point into it (SARIF). */
  lines?: ScenarioLines;
  phases: { name: string; ms: number }[];
  durationMs: number;
  /** The scenario's vantages in order (loopback, then peers by name); absent in results of older versions. */
  vantages?: string[];
  /** The lab as wired: networks with subnets, and each host's interfaces (name, network, addresses). */
  topology?: Topology;
}

/** A result with nothing observed yet, status `error` until a verdict says otherwise. */
export function emptyResult(name: string, file: string): ScenarioResult {
  return {
    name,
    file,
    status: 'error',
    observations: [],
    others: [],
    verdict: null,
    staticParity: [],
    scans: [],
    sources: [],
    sourcePorts: [],
    rateDependent: [],
    leftovers: [],
    tolerated: [],
    applied: null,
    phases: [],
    durationMs: 0,
  };
}

/** Status `error` with the error's message and stable code; anything fwprobe did not raise on purpose is `INTERNAL`. */
export function errorFields(error: unknown): Pick<ScenarioResult, 'status' | 'error' | 'errorCode'> {
  const known = asFwprobeError(error);
  return { status: 'error', error: known.message, errorCode: known.code };
}

/** The verdict's fields of a result: the judge's verdict as it is, and the status it decided. */
export function verdictFields(verdict: Verdict, parityMode: ParityMode): Pick<ScenarioResult, 'verdict' | 'status'> {
  return { verdict: { ...verdict, parityMode }, status: verdict.passed ? 'passed' : 'failed' };
}
