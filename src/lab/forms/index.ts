/**
 * Every ruleset form in the lab, in one table keyed by kind (a form missing here is a compile error), and
 * the two things the rest of fwprobe asks of them: apply a scenario's ruleset, and say where a rule came from.
 * Adding a form is its module here, its module in scenario/forms/, and one line in each table.
 */
import type { AttributionSource } from '../../model/attribution.ts';
import type { FormKind, FormOf, FormSpec, RuleInKernel } from '../../model/ruleset-form.ts';
import type { RulesetSpec } from '../../model/scenario.ts';
import type { LabForm } from './form.ts';
import { generateLab } from './generate.ts';
import { nftLab } from './nft.ts';
import { noneLab } from './none.ts';
import { restoreLab } from './restore.ts';
import { scriptLab } from './script.ts';
import { ufwLab } from './ufw.ts';

export const LAB_FORMS: { [K in FormKind]: LabForm<K> } = {
  none: noneLab,
  nft: nftLab,
  ufw: ufwLab,
  restore: restoreLab,
  generate: generateLab,
  script: scriptLab,
};

/** The forms of a ruleset, in the order they are applied. */
export function formsOf(spec: RulesetSpec): FormSpec[] {
  return spec.kind === 'layers' ? spec.layers : [spec];
}

/** The lab side of one form, seen through the contract. */
export function labFormOf<K extends FormKind>(form: FormOf<K>): LabForm<K> {
  return LAB_FORMS[form.kind as K] as LabForm<K>;
}

/**
 * Where a rule or policy the kernel holds came from: asked of the one form that writes that rule engine's
 * tables. With two such layers a place or a text could be either's (or one's, overwritten by the other),
 * so none is named.
 */
export function ruleOrigin(spec: RulesetSpec, asked: RuleInKernel): AttributionSource | null {
  const writers = formsOf(spec).filter((form) => labFormOf(form).writes.includes(asked.engine));
  if (writers.length !== 1) return null;
  return labFormOf(writers[0]!).origin(writers[0]!, asked);
}
