/**
 * `fwprobe validate [PATHS…]`: loads every scenario file as a run would (schema, referenced files inside the
 * folder, generated rulesets, limits) without Docker, for a pre-commit hook or an editor. Exit 0 when all
 * load, 2 otherwise; each problem names the file, the line and the field.
 */
import { relative } from 'node:path';
import { asFwprobeError, NoScenariosError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { loadScenario } from '../scenario/load.ts';
import { parseCommandArgs } from './args.ts';

export async function runValidate(args: readonly string[]): Promise<number> {
  const { positionals } = parseCommandArgs('validate', args);
  const paths = positionals.length > 0 ? positionals : ['scenarios'];
  const files = await discoverScenarioFiles(paths);
  if (files.length === 0) throw new NoScenariosError(`No scenario files (*.scenario.yaml, *.scenario.ts) in ${paths.join(' ')}.`);
  let bad = 0;
  for (const file of files) {
    const name = printable(relative(process.cwd(), file));
    try {
      const scenario = await loadScenario(file);
      process.stdout.write(`ok       ${name}: ${printable(scenario.name)}\n`);
    } catch (error) {
      bad++;
      const { message } = asFwprobeError(error);
      process.stdout.write(`invalid  ${name}\n${printable(message, { multiline: true }).replace(/^/gm, '  ')}\n`);
    }
  }
  process.stdout.write(`\n${files.length - bad} valid, ${bad} invalid\n`);
  return bad === 0 ? 0 : 2;
}
