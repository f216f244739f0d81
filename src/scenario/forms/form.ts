/**
 * The input side of a ruleset form: the keys and zod schema that recognise it, a plan of the files it
 * names (made while the rest of the scenario is checked), reading those files relative to the scenario's
 * folder, and the checks that need their text. One module per form implements this; `index.ts` lists them.
 */
import type { z } from 'zod';
import type { LoadedFile } from '../../model/scenario.ts';
import type { FormKind, FormOf, RulesetForm } from '../../model/ruleset-form.ts';
import type { FieldPath, IssueList } from '../../source/issues.ts';
import type { ReferenceProblem } from '../referenced-file.ts';

/** Reads the files a form names, each through the scenario's path and size rules. */
export interface FormFiles {
  /** The scenario's folder (symlinks resolved). */
  folder: string;
  /** Reads `relative` for the field `field` of this form; null (with the problem recorded) when it cannot. */
  load(field: string, relative: string | null): Promise<LoadedFile | null>;
  /** Records a problem the form found itself (a folder without the files it needs). */
  problem(problem: ReferenceProblem): void;
}

/** A problem found in a form's file text at load time, with the field it belongs to. */
export interface FormIssue {
  path: FieldPath;
  message: string;
}

export interface InputForm<K extends FormKind, P extends { kind: K } = { kind: K }> extends RulesetForm<K> {
  /** The form's fields, strict: a misspelt field is an error. */
  schema: z.ZodType;
  /** Whether the form may be one layer of a list (`none` may not). */
  layer: boolean;
  /**
   * What the (schema-valid) input names, or null with the reason in `issues`; `expected(found)` is the
   * message that lists every form, for input that names none completely.
   */
  plan(input: Record<string, unknown>, at: FieldPath, issues: IssueList, expected: (found: string) => string): P | null;
  /** Why the form cannot run with this iptables backend, or null. */
  backendProblem?(backend: 'nft' | 'legacy'): string | null;
  /** Reads the files the plan names. */
  read(plan: P, at: FieldPath, files: FormFiles): Promise<FormOf<K> | null>;
  /** Checks (and completes) the form once its files are read; problems make the scenario invalid. */
  finish?(form: FormOf<K>, at: FieldPath): { form: FormOf<K> } | { issues: FormIssue[]; cause?: unknown };
}
