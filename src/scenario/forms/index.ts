/**
 * Every ruleset form of the input, in one table: the schema, the error messages and the description list
 * the forms from here, and a form missing here (or from lab/forms/) is a compile error. Adding a form is
 * its module here, its module in lab/forms/, and one line in each table.
 */
import type { FormKind, RulesetForm } from '../../model/ruleset-form.ts';
import type { InputForm } from './form.ts';
import { generateForm } from './generate.ts';
import { nftForm } from './nft.ts';
import { noneForm } from './none.ts';
import { restoreForm } from './restore.ts';
import { scriptForm } from './script.ts';
import { ufwForm } from './ufw.ts';

/** Keyed by kind; the order is the order messages list the forms in. */
export const INPUT_FORMS = {
  none: noneForm,
  nft: nftForm,
  ufw: ufwForm,
  restore: restoreForm,
  generate: generateForm,
  script: scriptForm,
} satisfies { [K in FormKind]: RulesetForm<K> & Pick<InputForm<K>, 'schema' | 'layer'> };

export type AnyInputForm = (typeof INPUT_FORMS)[FormKind];

/** Every form, in message order. */
export const inputForms: readonly AnyInputForm[] = Object.values(INPUT_FORMS);

/** `a, b, c or d`: the forms' labels, for messages and the schema's description. */
export function formsText(forms: readonly AnyInputForm[] = inputForms): string {
  const labels = forms.map((f) => f.label);
  return labels.length < 2 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)!}`;
}

/** The forms whose keys the input has (one, for schema-valid input that names a form). */
export function formsNamedBy(input: object): AnyInputForm[] {
  const keys = Object.keys(input);
  return inputForms.filter((form) => keys.some((key) => form.keys.includes(key)));
}
