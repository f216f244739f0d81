/**
 * The ruleset flags of `fwprobe compare` (`--a`, `--b`): one ruleset as comma-separated KEY=VALUE items,
 * in the terms of a scenario's `ruleset:` field, so that a new form (an `nft=` file) is one more key:
 *
 *   v4=rules.v4,v6=rules.v6     restore files (either may be left out)
 *   script=fw.sh                a shell script
 *   policy=p.yaml               a generator policy, optionally with preset=NAME and param.KEY=VALUE
 *   preset=book-2009            a generator preset (param.KEY=VALUE items give its parameters)
 *   none                        nothing applied
 *
 * Paths are relative to the working directory. A path holding a comma cannot be given here.
 */
import { UsageError } from '../model/errors.ts';
import type { RulesetInput } from '../scenario/schema.ts';

const FORMS = 'v4=FILE,v6=FILE | script=FILE | policy=FILE[,preset=NAME][,param.KEY=VALUE…] | preset=NAME[,param.KEY=VALUE…] | none';

/** @throws UsageError naming the flag, the item and the forms it may take. */
export function parseRulesetFlag(flag: string, text: string): RulesetInput {
  const fail = (problem: string) => new UsageError(`${flag} ${JSON.stringify(text)}: ${problem}. Expected ${FORMS}.`);
  if (text.trim() === 'none') return { none: true };
  const items = new Map<string, string>();
  const params: Record<string, string> = {};
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw fail(`${JSON.stringify(item)} is not KEY=VALUE`);
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1);
    if (key.startsWith('param.') && key.length > 'param.'.length) {
      params[key.slice('param.'.length)] = value;
      continue;
    }
    if (!['v4', 'v6', 'script', 'policy', 'preset'].includes(key)) throw fail(`unknown key ${JSON.stringify(key)}`);
    if (items.has(key)) throw fail(`${key} is given twice`);
    items.set(key, value);
  }
  const keys = [...items.keys()];
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  const hasParams = Object.keys(params).length > 0;
  if (keys.length > 0 && only('v4', 'v6') && !hasParams) {
    return { ...(items.has('v4') ? { v4: items.get('v4')! } : {}), ...(items.has('v6') ? { v6: items.get('v6')! } : {}) };
  }
  if (keys.length === 1 && items.has('script') && !hasParams) return { script: items.get('script')! };
  if (keys.length > 0 && only('policy', 'preset')) {
    return {
      ...(items.has('policy') ? { policy: items.get('policy')! } : {}),
      ...(items.has('preset') ? { preset: items.get('preset')! } : {}),
      ...(hasParams ? { params } : {}),
    };
  }
  throw fail(keys.length === 0 ? 'no ruleset is named' : `${keys.join(' and ')}${hasParams ? ' with param.*' : ''} do not make one form`);
}
