/**
 * What `validate`'s ruleset check runs, planned before the container starts: every scenario's files under
 * one folder, and one list of commands (the tools a run uses, with argv, never a shell string) so that the
 * whole check is one copy and one exec. Each scenario starts from an empty ruleset; its layers are checked,
 * then applied so that a later layer sees the tables an earlier one made, as in a run.
 */
import { dirname, relative } from 'node:path';
import type { Family } from '../model/observation.ts';
import type { FormSpec } from '../model/ruleset-form.ts';
import type { Backend, RulesetText } from '../model/ruleset.ts';
import type { LoadedFile, RulesetSpec } from '../model/scenario.ts';
import { generateScenarioRules } from '../ruleset/generate-entry.ts';
import { TOOLS } from './apply-ruleset.ts';
import { formsOf } from './forms/index.ts';
import { RULES_DIR } from './services.ts';

/** What one scenario's rulesets are, as the check needs them. */
export interface SyntaxCheckInput {
  ruleset: RulesetSpec;
  backend: Backend;
}

/** One command of the check, and how to read its failure. */
export type PlannedStep = { command: string[]; layer: number; labPath: string } & (
  { kind: 'flush' } | { kind: 'nft'; source: string } | { kind: 'restore'; family: Family; text: RulesetText; saveTool: string } | { kind: 'bash'; source: string }
);

export interface ScenarioPlan {
  steps: PlannedStep[];
  /** What is not checked, and why. */
  skipped: string[];
  /** How many files are checked. */
  files: number;
}

export interface SyntaxPlan {
  copies: { content: string; target: string; mode: number }[];
  scenarios: ScenarioPlan[];
}

export const CHECK_DIR = `${RULES_DIR}/syntax`;

export function planSyntaxCheck(inputs: readonly SyntaxCheckInput[]): SyntaxPlan {
  const copies: SyntaxPlan['copies'] = [];
  const scenarios = inputs.map((input, i): ScenarioPlan => {
    const plan: ScenarioPlan = { steps: [], skipped: [], files: 0 };
    const forms = formsOf(input.ruleset).filter((f) => f.kind !== 'none');
    if (forms.length > 0) plan.steps.push({ kind: 'flush', command: ['nft', 'flush', 'ruleset'], layer: -1, labPath: '' });
    const stage = (j: number, name: string, content: string) => {
      const target = `${CHECK_DIR}/${i}/${j}-${name}`;
      copies.push({ content, target, mode: 0o600 });
      plan.files++;
      return target;
    };
    for (const [j, form] of forms.entries()) {
      const later = forms.slice(j + 1).flatMap(filesOf);
      if (form.kind === 'ufw' || form.kind === 'script') {
        if (form.kind === 'ufw') plan.skipped.push(`${filesOf(form).join(', ')}: ufw loads its own files; a run checks them when ufw starts`);
        else {
          const labPath = stage(j, 'script.sh', form.script.text);
          plan.steps.push({ kind: 'bash', command: ['bash', '-n', labPath], layer: j, labPath, source: rel(form.script) });
        }
        if (later.length > 0) plan.skipped.push(`${later.join(', ')}: after a ${form.kind} layer, which validate does not run`);
        break;
      }
      if (form.kind === 'nft') {
        const labPath = stage(j, 'rules.nft', form.nft.text);
        plan.steps.push({ kind: 'nft', command: ['nft', '-c', '-f', labPath], layer: j, labPath, source: rel(form.nft) });
        if (later.length > 0) plan.steps.push({ kind: 'nft', command: ['nft', '-f', labPath], layer: j, labPath, source: rel(form.nft) });
        continue;
      }
      const texts = restoreTexts(form);
      const staged = (['ipv4', 'ipv6'] as const).flatMap((family) => {
        const text = texts[family];
        return text ? [{ family, text, labPath: stage(j, `rules.${family === 'ipv4' ? 'v4' : 'v6'}`, text.text), tools: TOOLS[input.backend][family] }] : [];
      });
      // Both tested before either is applied, as a run does; applying finds what the kernel refuses only at COMMIT.
      for (const apply of [false, true]) {
        for (const s of staged) {
          const command = [s.tools.restore, ...(apply ? [] : ['--test']), s.labPath];
          plan.steps.push({ kind: 'restore', command, layer: j, labPath: s.labPath, family: s.family, text: s.text, saveTool: s.tools.save });
        }
      }
    }
    // Nothing to check (a ufw folder alone): no flush either.
    if (plan.steps.length === 1) plan.steps = [];
    return plan;
  });
  return { copies, scenarios };
}

function restoreTexts(form: Extract<FormSpec, { kind: 'restore' | 'generate' }>): Record<Family, RulesetText | null> {
  if (form.kind === 'restore') return { ipv4: text(form.v4), ipv6: text(form.v6) };
  const generated = form.generated ?? generateScenarioRules(form);
  return { ipv4: generated.v4, ipv6: generated.v6 };
}

function text(file: LoadedFile | null): RulesetText | null {
  return file ? { source: rel(file), text: file.text } : null;
}

function rel(file: LoadedFile): string {
  return relative(process.cwd(), file.path);
}

/** The user's files of a form, as a run names them. */
function filesOf(form: FormSpec): string[] {
  switch (form.kind) {
    case 'nft':
      return [rel(form.nft)];
    case 'restore':
      return [form.v4, form.v6].flatMap((f) => (f ? [rel(f)] : []));
    case 'script':
      return [rel(form.script)];
    case 'ufw':
      // `dir` is as the scenario wrote it; its files' paths are absolute.
      return [form.files[0] ? relative(process.cwd(), dirname(form.files[0].file.path)) || '.' : form.dir];
    case 'generate':
      return [form.policy ? `${rel(form.policy)} (generated rules)` : `preset ${form.preset ?? ''} (generated rules)`];
    case 'none':
      return [];
  }
}
