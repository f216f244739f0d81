/**
 * A scenario's ruleset, whatever its form: picks the form (or the layers) the input names through the
 * form table (forms/index.ts), and has each form plan, read and check its own files relative to the
 * scenario's folder (see `referenced-file.ts`), so that a missing, misplaced or huge file is a load error
 * rather than a failure mid-run.
 */
import type { FormSpec } from '../model/ruleset-form.ts';
import type { RulesetLayer, RulesetSpec } from '../model/scenario.ts';
import type { FieldPath, IssueList } from '../source/issues.ts';
import { formsNamedBy, formsText, INPUT_FORMS, type AnyInputForm } from './forms/index.ts';
import type { FormIssue, InputForm } from './forms/form.ts';
import { readReferencedFile, type ReferenceOptions, type ReferenceProblem } from './referenced-file.ts';
import type { RulesetInput } from './schema.ts';

/** One form whose files are named but not read yet. */
export interface FormPlan {
  kind: FormSpec['kind'];
  at: FieldPath;
  /** What the form's own `plan` returned. */
  plan: { kind: FormSpec['kind'] };
}

/** A ruleset whose files are named but not read yet. */
export type RulesetPlan = { kind: 'layers'; layers: FormPlan[] } | FormPlan;

/** The message for input that names no form completely. */
export const expectedOneForm = (found: string): string => `expected exactly one form: ${formsText()}, found ${found}`;

/** Classifies the (schema-valid) input and checks that it names something to apply. */
export function planRuleset(input: RulesetInput, issues: IssueList): RulesetPlan | null {
  if (Array.isArray(input)) {
    const layers = input.map((layer, i) => planForm(layer, ['ruleset', i], issues));
    return layers.every((l): l is FormPlan => l !== null) ? { kind: 'layers', layers } : null;
  }
  return planForm(input, ['ruleset'], issues);
}

function planForm(input: object, at: FieldPath, issues: IssueList): FormPlan | null {
  // Schema-valid input names at most one form; `{}` (valid for the forms whose fields are all optional) names none.
  const form = formsNamedBy(input)[0];
  if (!form) {
    issues.add(at, expectedOneForm('an empty ruleset'));
    return null;
  }
  const plan = erased(form).plan(input as Record<string, unknown>, at, issues, expectedOneForm);
  return plan ? { kind: plan.kind, at, plan } : null;
}

/** Each form's objection to the iptables backend, at its field. */
export function checkBackend(plan: RulesetPlan, backend: 'nft' | 'legacy', issues: IssueList): void {
  for (const form of plansOf(plan)) {
    const problem = erased(formOf(form.kind)).backendProblem?.(backend);
    if (problem) issues.add([...form.at, formOf(form.kind).keys[0]!], problem);
  }
}

/**
 * Reads the files the plan names, relative to `folder` (the scenario's folder, symlinks resolved), each
 * within the folder unless `allowOutside`, and within its size limit.
 */
export async function readRuleset(plan: RulesetPlan, folder: string, options: ReferenceOptions = {}): Promise<{ ruleset: RulesetSpec } | { problems: ReferenceProblem[] }> {
  const problems: ReferenceProblem[] = [];
  const readForm = async (form: FormPlan): Promise<FormSpec | null> => {
    return erased(formOf(form.kind)).read(form.plan, form.at, {
      folder,
      problem: (p) => problems.push(p),
      load: async (field, relative) => {
        if (relative === null) return null;
        const read = await readReferencedFile([...form.at, field], relative, folder, options);
        if ('problem' in read) {
          problems.push(read.problem);
          return null;
        }
        return read.file;
      },
    });
  };
  const forms = await Promise.all(plansOf(plan).map(readForm));
  if (problems.length > 0 || !forms.every((f): f is FormSpec => f !== null)) return { problems };
  return { ruleset: plan.kind === 'layers' ? { kind: 'layers', layers: forms as RulesetLayer[] } : forms[0]! };
}

/**
 * Each form's checks of its read files (and what it completes from them, such as the generated rules).
 * @returns the finished ruleset, or every problem found with the first error that caused one.
 */
export function finishRuleset(ruleset: RulesetSpec): { ruleset: RulesetSpec } | { issues: FormIssue[]; cause?: unknown } {
  const forms: FormSpec[] = ruleset.kind === 'layers' ? ruleset.layers : [ruleset];
  const at = (i: number): FieldPath => (ruleset.kind === 'layers' ? ['ruleset', i] : ['ruleset']);
  const issues: FormIssue[] = [];
  let cause: unknown;
  const done = forms.map((form, i) => {
    const finish = erased(formOf(form.kind)).finish;
    const result = finish ? finish(form, at(i)) : { form };
    if ('form' in result) return result.form;
    issues.push(...result.issues);
    cause ??= result.cause;
    return form;
  });
  if (issues.length > 0) return { issues, ...(cause === undefined ? {} : { cause }) };
  return { ruleset: ruleset.kind === 'layers' ? { kind: 'layers', layers: done as RulesetLayer[] } : done[0]! };
}

function plansOf(plan: RulesetPlan): FormPlan[] {
  return plan.kind === 'layers' ? plan.layers : [plan];
}

function formOf(kind: FormSpec['kind']): AnyInputForm {
  return INPUT_FORMS[kind];
}

/** A form seen through the contract alone: its plan is whatever it returned for this input. */
function erased(form: AnyInputForm): InputForm<FormSpec['kind'], { kind: FormSpec['kind'] }> {
  return form as unknown as InputForm<FormSpec['kind'], { kind: FormSpec['kind'] }>;
}
