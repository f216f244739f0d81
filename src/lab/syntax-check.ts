/**
 * `fwprobe validate`'s ruleset check: every scenario's rulesets through the tools a run uses, in ONE
 * throwaway target container (labelled, tracked and removed like every lab container, Ctrl-C included),
 * one copy and one exec for all of them (syntax-plan.ts), so that an nft or iptables-restore error surfaces
 * before any lab starts, named file:line as a run names it. Scripts get `bash -n` only.
 */
import { type Bounds, DEFAULT_BOUNDS } from '../model/bounds.ts';
import { CommandFailedError, NftApplyError, RulesetApplyError } from '../model/errors.ts';
import type { StepResult } from './batch.ts';
import { FwprobeContainer, type StartedFwprobeContainer } from './container.ts';
import { findCulpritLine, needsCulpritSearch } from './restore-culprit.ts';
import { planSyntaxCheck, type PlannedStep, type SyntaxCheckInput } from './syntax-plan.ts';
import { offendingLine, readNftError } from './tool-errors.ts';

export type { SyntaxCheckInput } from './syntax-plan.ts';

/** What the check found for one scenario: each problem names the user's file and line. */
export interface SyntaxCheckResult {
  problems: string[];
  /** What was not checked, and why (a ufw folder, layers after a script or after an error). */
  skipped: string[];
  /** How many files were checked. */
  checked: number;
}

/** Options of `checkRulesetSyntax`. */
export interface SyntaxCheckOptions {
  /** Bounds for starting the container and for the check (`exec`, per ten commands). @default DEFAULT_BOUNDS */
  bounds?: Bounds;
}

/** Checks every scenario's rulesets in one container of `image`, removed before this returns. */
export async function checkRulesetSyntax(image: string, inputs: readonly SyntaxCheckInput[], options: SyntaxCheckOptions = {}): Promise<SyntaxCheckResult[]> {
  const bounds = options.bounds ?? DEFAULT_BOUNDS;
  const plan = planSyntaxCheck(inputs);
  const commands = plan.scenarios.flatMap((s) => s.steps.map((step) => step.command));
  if (commands.length === 0) return plan.scenarios.map((s) => ({ problems: [], skipped: s.skipped, checked: 0 }));
  const container = await new FwprobeContainer(image).withBounds(bounds).start();
  try {
    if (plan.copies.length > 0) await container.copyContentToContainer(plan.copies);
    // One exec for all: the exec bound per ten commands (a loaded engine runs each in 0.1 to 1 s).
    const timeoutMs = bounds.exec * Math.max(1, Math.ceil(commands.length / 10));
    const results = await container.runBatch(commands, { stopOnFailure: false, timeoutMs, phase: 'checking the rulesets', bound: 'exec' });
    const out: SyntaxCheckResult[] = [];
    let at = 0;
    for (const scenario of plan.scenarios) {
      const steps = scenario.steps.map((step) => ({ step, result: results[at++]! }));
      // The first failing layer decides: its failures, one per file (an apply after a failed test says
      // nothing new); what later layers said is void, as they were checked on top of a failed one.
      const layer = steps.find((s) => s.result.exitCode !== 0)?.step.layer;
      const failed = steps.filter((s) => s.step.layer === layer && s.result.exitCode !== 0).filter((s, i, all) => all.findIndex((x) => x.step.labPath === s.step.labPath) === i);
      const problems: string[] = [];
      for (const f of failed) problems.push(await problemOf(container, f.step, f.result));
      const unchecked = layer !== undefined && steps.some((s) => s.step.layer > layer);
      out.push({ problems, skipped: [...scenario.skipped, ...(unchecked ? ['the layers after the failing one: not checked'] : [])], checked: scenario.files });
    }
    return out;
  } finally {
    await container.remove();
  }
}

/** The failure of a step as a run would name it: the user's file and line, and the tool's own words. */
async function problemOf(host: StartedFwprobeContainer, step: PlannedStep, result: StepResult): Promise<string> {
  switch (step.kind) {
    case 'flush':
      throw new CommandFailedError(result, 'Emptying the ruleset of the syntax-check container failed.');
    case 'nft':
      return new NftApplyError({ ...result, ...readNftError(result.stderr, step.labPath, step.source), source: step.source }).message;
    case 'restore': {
      const { text, source } = step.text;
      const reported = offendingLine(result.stderr);
      const line = needsCulpritSearch(text, reported) ? ((await culprit(host, step, text)) ?? reported) : reported;
      return new RulesetApplyError({ ...result, family: step.family, source, text, line, toolLine: reported }).message;
    }
    case 'bash': {
      // bash says `FILE: line N: message`: as file:line, like every other tool's error here.
      const said = result.stderr.split(step.labPath).join(step.source).trim();
      const at = /^.*?: line (\d+): (.*)$/m.exec(said);
      return `The script did not pass bash -n: ${step.source}${at ? `:${at[1]}: ${at[2]}` : ''}\n${said}`;
    }
  }
}

/** The rule behind an error at COMMIT, searched from an empty ruleset (what the batch left is another scenario's). */
async function culprit(host: StartedFwprobeContainer, step: Extract<PlannedStep, { kind: 'restore' }>, text: string): Promise<number | null> {
  await host.runOk(['nft', 'flush', 'ruleset']);
  return findCulpritLine(host, step.command, step.saveTool, text);
}
