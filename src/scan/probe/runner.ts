/**
 * Sending the clients: one `fwprobe-probe` run per vantage, side by side, through a function that runs a
 * command on that vantage's host (the caller owns the containers). Also the repeated sending a chance or
 * rate rule calls for.
 */
import { randomBytes } from 'node:crypto';
import { CommandFailedError, type CommandOutcome } from '../../model/errors.ts';
import type { Vantage } from '../../model/observation.ts';
import { parseProbeOutput, type ProbeOutcome } from './outcome.ts';
import { probeCommand, type Probe } from './plan.ts';

/**
 * A client waits this long for an answer: ten times nmap's own longest wait (50 ms) and hundreds of lab
 * round trips; the clients run beside the scans, so this is what corroboration adds to a scenario.
 */
export const PROBE_TIMEOUT_MS = 500;
/** The exit status of a runProbes `after` command that failed. */
export const AFTER_FAILED = 97;

/** Runs a command on the host of `vantage` (loopback: the target; a peer: that peer). */
export type VantageExec = (vantage: Vantage, command: string[]) => Promise<Omit<CommandOutcome, 'command'>>;

export interface RunProbesOptions {
  /** How many probes run at once per vantage. @default 256 */
  parallel?: number;
  /** A shell command run in the same exec once the probes are done (one round trip fewer). @default none */
  after?: string;
  /** How long each client waits for an answer. @default PROBE_TIMEOUT_MS */
  timeoutMs?: number;
}

export async function runProbes(exec: VantageExec, probes: readonly Probe[], options: RunProbesOptions = {}): Promise<ProbeOutcome[]> {
  const { parallel = 256, after, timeoutMs = PROBE_TIMEOUT_MS } = options;
  const byVantage = [...new Set(probes.map((p) => p.vantage))].map((vantage) => [vantage, probes.filter((p) => p.vantage === vantage)] as const);
  const runs = byVantage.map(async ([vantage, list]) => {
    if (list.length === 0) return [];
    // A nonce per call makes every UDP token unique, so an earlier call's datagrams never count now.
    const command = probeCommand(list, timeoutMs, parallel, randomBytes(4).toString('hex'));
    const wrapped = after ? ['sh', '-c', `"$@"; rc=$?; ${after}; exit $rc`, 'sh', ...command] : command;
    const run = await exec(vantage, wrapped);
    if (after && run.exitCode === AFTER_FAILED) throw new CommandFailedError({ command: wrapped, ...run }, `\`${after}\` failed after the probes.`);
    return parseProbeOutput({ command, ...run });
  });
  return (await Promise.all(runs)).flat();
}

/**
 * Under a chance rule (`statistic`, `numgen`) one client in N gets in: every client is sent `rounds` times
 * (16 sources × 5 rounds: a 10% rule is missed with odds under 1 in 4000 per port). Under a rate rule
 * one round, few at a time, is all a fresh budget allows.
 */
export function chanceRounds(rules: readonly { match: string }[]): number {
  return rules.some((r) => r.match === 'statistic' || r.match === 'numgen') ? 5 : 1;
}

export const REACHED: ReadonlySet<string> = new Set(['connected', 'answered']);

/** Sends the clients `rounds` times, a few at a time; a probe counts as reached if any round reached. */
export async function probeRepeatedly(exec: VantageExec, probes: readonly Probe[], rounds: number): Promise<ProbeOutcome[]> {
  const best = new Map<string, ProbeOutcome>();
  for (let round = 0; round < rounds; round++) {
    for (const outcome of await runProbes(exec, probes, { parallel: 4 })) {
      const seen = best.get(outcome.id);
      if (!seen || (!REACHED.has(seen.result) && REACHED.has(outcome.result))) best.set(outcome.id, outcome);
    }
    if ([...best.values()].every((o) => REACHED.has(o.result))) break;
  }
  return [...best.values()];
}
