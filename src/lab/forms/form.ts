/**
 * The lab side of a ruleset form: how it is applied to the target (and whether it reads the tables back
 * itself), which rule engine's tables it writes, and where a rule or policy the kernel holds came from in
 * the user's files. One module per form implements this; `index.ts` lists them.
 */
import type { AppliedRuleset, Tolerated } from '../../model/ruleset.ts';
import type { FormKind, FormOf, RuleEngine, RuleOriginOf } from '../../model/ruleset-form.ts';
import type { StartedFwprobeContainer } from '../container.ts';
import type { Leftover } from '../script-sidecar.ts';

/** What applying one form left: the tables if the form read them back, and what the user allowed. */
export interface Applied {
  /** The kernel's tables right after this form, when it read them itself (the restore forms); else null. */
  saved: AppliedRuleset | null;
  tolerated: Tolerated[];
  leftovers: Leftover[];
}

export interface LabForm<K extends FormKind> {
  kind: K;
  /** The rule engines whose tables this form writes: attribution asks it only about those. */
  writes: readonly RuleEngine[];
  /** Applies the form to the target; `index` is its place among layers (0 for a single form). */
  apply(target: StartedFwprobeContainer, form: FormOf<K>, index: number): Promise<Applied>;
  /** The user's file (and line, where the form can tell) that wrote a rule or set a policy; null if unknown. */
  origin: RuleOriginOf<K>;
}

/** Nothing tolerated, nothing left running: what every form but the script returns. */
export const clean = (saved: AppliedRuleset | null = null): Applied => ({ saved, tolerated: [], leftovers: [] });
