/**
 * The Docker half of `fwprobe validate`: when an engine answers, every loaded scenario's rulesets go
 * through nft, iptables-restore and `bash -n` in one throwaway container (lab/syntax-check.ts); when none
 * answers, the caller is told what was skipped and why, and validates by the rest.
 */
import { assertDockerAvailable } from '../lab/docker.ts';
import { checkRulesetSyntax, type SyntaxCheckResult } from '../lab/syntax-check.ts';
import { DockerUnavailableError } from '../model/errors.ts';
import type { Scenario } from '../model/scenario.ts';
import { prepareEngine, removeEverything } from './engine.ts';

/** The checks this runs, as `validate` names them when it skips them. */
export const SYNTAX_CHECKS = 'ruleset syntax (nft -c -f, iptables-restore --test, bash -n)';

export type SyntaxOutcome = { ran: true; results: SyntaxCheckResult[]; ms: number } | { ran: false; why: string };

/** Options of `checkScenarioSyntax`. */
export interface SyntaxOptions {
  /** Image build progress (only when the image is not built yet). @default no output */
  log?: (line: string) => void;
}

/** Checks the rulesets of `scenarios` (one result each, in order), or says why it could not. */
export async function checkScenarioSyntax(scenarios: readonly Scenario[], options: SyntaxOptions = {}): Promise<SyntaxOutcome> {
  const t0 = Date.now();
  if (!scenarios.some((s) => s.ruleset.kind !== 'none')) return { ran: true, results: scenarios.map(() => ({ problems: [], skipped: [], checked: 0 })), ms: 0 };
  let image: string;
  try {
    // Asked first, so that without an engine nothing is installed (no signal handler) and nothing is swept.
    await assertDockerAvailable();
    image = await prepareEngine(options.log ? { log: options.log } : {});
  } catch (error) {
    if (error instanceof DockerUnavailableError) return { ran: false, why: error.message.split('\n')[0] ?? 'no Docker engine answers' };
    throw error;
  }
  try {
    const results = await checkRulesetSyntax(
      image,
      scenarios.map((s) => ({ ruleset: s.ruleset, backend: s.backend })),
    );
    return { ran: true, results, ms: Date.now() - t0 };
  } finally {
    await removeEverything();
  }
}
