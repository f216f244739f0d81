/**
 * The ruleset forms: picks the one the input uses, checks it is complete, and reads its files relative to
 * the scenario's folder (see `referenced-file.ts`), so that a missing, misplaced or huge file is a load
 * error rather than a failure mid-run.
 */
import type { IssueList } from '../source/issues.ts';
import { readReferencedFile, type ReferenceOptions, type ReferenceProblem } from './referenced-file.ts';
import type { RulesetInput } from './schema.ts';
import type { LoadedFile, RulesetSpec, ToleranceSpec } from '../model/scenario.ts';

/** A ruleset whose files are named but not read yet. */
export type RulesetPlan =
  | { kind: 'none' }
  | { kind: 'restore'; v4: string | null; v6: string | null }
  | { kind: 'generate'; policy: string | null; preset: string | null; params: Record<string, string> }
  | { kind: 'script'; script: string; tolerate: ToleranceSpec[]; leftoversAllowed: string | null };

/** Classifies the (schema-valid) input and checks that it names something to apply. */
export function planRuleset(input: RulesetInput, issues: IssueList): RulesetPlan | null {
  if ('none' in input) return { kind: 'none' };
  if ('script' in input) {
    return {
      kind: 'script',
      script: input.script,
      tolerate: (input.tolerate ?? []).map((t) => ({ ...t })),
      leftoversAllowed: input.leftovers?.why ?? null,
    };
  }
  if ('v4' in input || 'v6' in input) {
    return { kind: 'restore', v4: input.v4 ?? null, v6: input.v6 ?? null };
  }
  const generate = input as Extract<RulesetInput, { preset?: string }>;
  if (generate.preset === undefined && generate.policy === undefined) {
    issues.add(
      ['ruleset'],
      'expected exactly one form: { none: true }, { v4, v6 }, { preset, policy, params } or { script, tolerate }, ' +
        `found ${generate.params ? 'params without a preset or policy' : 'an empty ruleset'}`,
    );
    return null;
  }
  return {
    kind: 'generate',
    preset: generate.preset ?? null,
    policy: generate.policy ?? null,
    params: Object.fromEntries(Object.entries(generate.params ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * Reads the files the plan names, relative to `folder` (the scenario's folder, symlinks resolved), each
 * within the folder unless `allowOutside`, and within its size limit.
 */
export async function readRuleset(
  plan: RulesetPlan,
  folder: string,
  options: ReferenceOptions = {},
): Promise<{ ruleset: RulesetSpec } | { problems: ReferenceProblem[] }> {
  const problems: ReferenceProblem[] = [];
  const load = async (field: string, relative: string | null): Promise<LoadedFile | null> => {
    if (relative === null) return null;
    const read = await readReferencedFile(['ruleset', field], relative, folder, options);
    if ('problem' in read) {
      problems.push(read.problem);
      return null;
    }
    return read.file;
  };
  let ruleset: RulesetSpec;
  switch (plan.kind) {
    case 'none':
      return { ruleset: { kind: 'none' } };
    case 'restore': {
      const [v4, v6] = await Promise.all([load('v4', plan.v4), load('v6', plan.v6)]);
      ruleset = { kind: 'restore', v4, v6 };
      break;
    }
    case 'generate':
      ruleset = { kind: 'generate', policy: await load('policy', plan.policy), preset: plan.preset, params: plan.params };
      break;
    case 'script': {
      const script = await load('script', plan.script);
      if (!script) return { problems };
      ruleset = { kind: 'script', script, tolerate: plan.tolerate, leftoversAllowed: plan.leftoversAllowed };
      break;
    }
  }
  return problems.length > 0 ? { problems } : { ruleset };
}
