/**
 * The ruleset flags of `fwprobe compare` (`--a`, `--b`): one ruleset as comma-separated KEY=VALUE items, in
 * the terms of a scenario's `ruleset:` field, read from the form table (scenario/forms/index.ts) so that a
 * new form is a flag form without an edit here:
 *
 *   v4=rules.v4,v6=rules.v6     restore files (either may be left out)
 *   nft=rules.nft               an nftables file
 *   preset=book-2009            a generator preset, policy=FILE for a policy, param.KEY=VALUE for its parameters
 *   none                        nothing applied
 *
 * A key can be given here when its form's schema takes a string for it (not `tolerate`, a list); a form whose
 * one key takes `true` (`none`) is a bare word. Paths are relative to the working directory. A path holding a
 * comma cannot be given here.
 */
import { z } from 'zod';
import { UsageError } from '../model/errors.ts';
import { formsNamedBy, inputForms, type AnyInputForm } from '../scenario/forms/index.ts';
import { rulesetSchema, type RulesetInput } from '../scenario/schema.ts';

const PARAM = 'param.';

/** What the flag can say of one form: its keys that take a string, the one taking a record (`params`), or its bare word. */
interface FlagForm {
  form: AnyInputForm;
  strings: { key: string; required: boolean }[];
  record: string | null;
  word: string | null;
}

function flagForm(form: AnyInputForm): FlagForm {
  const shape: Record<string, z.ZodType> = form.schema instanceof z.ZodObject ? form.schema.shape : {};
  const field = (key: string) => shape[key];
  const strings = form.keys.filter((key) => field(key)?.safeParse('x').success).map((key) => ({ key, required: field(key)?.safeParse(undefined).success !== true }));
  const record = form.keys.find((key) => !strings.some((s) => s.key === key) && field(key)?.safeParse({ KEY: 'VALUE' }).success) ?? null;
  const [only] = form.keys;
  const word = form.keys.length === 1 && only !== undefined && form.schema.safeParse({ [only]: true }).success ? only : null;
  return { form, strings, record, word };
}

const FLAG_FORMS = inputForms.map(flagForm);

/** `v4=…,v6=… | nft=… | ufw=…[,defaults=…] | …`: every form the flag can give, in the table's order. */
export function flagFormsText(forms: readonly FlagForm[] = FLAG_FORMS): string {
  return forms
    .flatMap(({ strings, record, word }) => {
      if (word !== null) return [word];
      if (strings.length === 0) return [];
      const required = strings.filter((s) => s.required).map((s) => `${s.key}=…`);
      const optional = strings.filter((s) => !s.required).map((s) => `${s.key}=…`);
      // With no required key, at least one of the optional ones names the form: they are written plainly.
      const keys = required.length > 0 ? `${required.join(',')}${optional.map((o) => `[,${o}]`).join('')}` : optional.join(',');
      return [`${keys}${record === null ? '' : `[,${PARAM}KEY=VALUE…]`}`];
    })
    .join(' | ');
}

const isRulesetInput = (value: unknown): value is RulesetInput => rulesetSchema.safeParse(value).success;

/** @throws UsageError naming the flag, the item and the forms it may take. */
export function parseRulesetFlag(flag: string, text: string): RulesetInput {
  const fail = (problem: string) => new UsageError(`${flag} ${JSON.stringify(text)}: ${problem}. Expected ${flagFormsText()} (the keys of a scenario's ruleset:).`);
  const word = FLAG_FORMS.find((f) => f.word !== null && f.word === text.trim())?.word;
  if (word) {
    const input = { [word]: true };
    if (isRulesetInput(input)) return input;
  }
  const stringKeys = new Set(FLAG_FORMS.flatMap((f) => f.strings.map((s) => s.key)));
  const items: Record<string, string> = {};
  const params: Record<string, string> = {};
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw fail(`${JSON.stringify(item)} is not KEY=VALUE`);
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1);
    if (key.startsWith(PARAM) && key.length > PARAM.length) {
      params[key.slice(PARAM.length)] = value;
      continue;
    }
    if (!stringKeys.has(key)) throw fail(`unknown key ${JSON.stringify(key)}`);
    if (key in items) throw fail(`${key} is given twice`);
    items[key] = value;
  }
  const keys = Object.keys(items);
  const hasParams = Object.keys(params).length > 0;
  if (keys.length === 0) throw fail('no ruleset is named');
  const named = formsNamedBy(items);
  const chosen = named.length === 1 ? FLAG_FORMS.find((f) => f.form === named[0]) : undefined;
  if (!chosen || (hasParams && chosen.record === null)) throw fail(`${keys.join(' and ')}${hasParams ? ` with ${PARAM}*` : ''} do not make one form`);
  const input = { ...items, ...(hasParams && chosen.record !== null ? { [chosen.record]: params } : {}) };
  const checked = chosen.form.schema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw fail(`${keys.join(' and ')} do not make ${chosen.form.label}${issue ? `: ${issue.path.join('.') || 'the form'}: ${issue.message}` : ''}`);
  }
  if (!isRulesetInput(input)) throw fail(`${keys.join(' and ')} do not make ${chosen.form.label}`);
  return input;
}
