/**
 * The ruleset forms: picks the one the input uses, checks it is complete, and reads its files relative to
 * the scenario's directory, so that a missing file is a load error rather than a failure mid-run.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FieldPath, IssueList } from '../source/issues.ts';
import type { RulesetInput } from './schema.ts';
import type { LoadedFile, RulesetSpec, ToleranceSpec } from '../model/scenario.ts';

/** A ruleset whose files are named but not read yet. */
export type RulesetPlan =
  | { kind: 'none' }
  | { kind: 'restore'; v4: string | null; v6: string | null }
  | { kind: 'generate'; policy: string | null; preset: string | null; params: Record<string, string> }
  | { kind: 'script'; script: string; tolerate: ToleranceSpec[] };

/** Classifies the (schema-valid) input and checks that it names something to apply. */
export function planRuleset(input: RulesetInput, issues: IssueList): RulesetPlan | null {
  if ('none' in input) return { kind: 'none' };
  if ('script' in input) {
    return { kind: 'script', script: input.script, tolerate: (input.tolerate ?? []).map((t) => ({ ...t })) };
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

/** A ruleset file that could not be read: its field, the resolved path and why. */
export interface MissingFile {
  path: FieldPath;
  resolved: string;
  reason: string;
}

export async function readRuleset(
  plan: RulesetPlan,
  baseDir: string,
): Promise<{ ruleset: RulesetSpec } | { missing: MissingFile[] }> {
  const missing: MissingFile[] = [];
  const load = async (field: string, relative: string | null): Promise<LoadedFile | null> => {
    if (relative === null) return null;
    const path = resolve(baseDir, relative);
    try {
      return { path, text: await readFile(path, 'utf8') };
    } catch (error) {
      missing.push({ path: ['ruleset', field], resolved: path, reason: describeReadError(error) });
      return null;
    }
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
      if (!script) return { missing };
      ruleset = { kind: 'script', script, tolerate: plan.tolerate };
      break;
    }
  }
  return missing.length > 0 ? { missing } : { ruleset };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
