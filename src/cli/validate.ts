/**
 * `fwprobe validate [PATHS…]`: loads every scenario file as a run would (schema, referenced files inside the
 * folder, generated rulesets, limits), then, when a Docker engine answers, checks every ruleset file with
 * the tools a run uses (nft -c -f, iptables-restore --test, bash -n) in one throwaway container, so that a
 * syntax error is found before any lab starts. For a pre-commit hook or an editor. Exit 0 when all pass,
 * 2 otherwise; each problem names the file and the line. Without an engine the syntax check is skipped,
 * said so, and the exit code is the rest's.
 */
import { relative } from 'node:path';
import { asFwprobeError, NoScenariosError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import type { Scenario } from '../model/scenario.ts';
import { checkScenarioSyntax, SYNTAX_CHECKS } from '../run/syntax.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { loadScenario } from '../scenario/load.ts';
import { parseCommandArgs } from './args.ts';

type Loaded = { name: string; scenario: Scenario } | { name: string; problem: string };

export async function runValidate(args: readonly string[]): Promise<number> {
  const { positionals } = parseCommandArgs('validate', args);
  const paths = positionals.length > 0 ? positionals : ['scenarios'];
  const files = await discoverScenarioFiles(paths);
  if (files.length === 0) throw new NoScenariosError(`No scenario files (*.scenario.yaml, *.scenario.ts) in ${paths.join(' ')}.`);
  const loaded: Loaded[] = [];
  for (const file of files) {
    const name = printable(relative(process.cwd(), file));
    try {
      loaded.push({ name, scenario: await loadScenario(file) });
    } catch (error) {
      loaded.push({ name, problem: asFwprobeError(error).message });
    }
  }
  const valid = loaded.flatMap((l) => ('scenario' in l ? [l] : []));
  const syntax = await checkScenarioSyntax(
    valid.map((l) => l.scenario),
    { log: (line) => process.stderr.write(`fwprobe: ${printable(line)}\n`) },
  );
  let bad = 0;
  for (const entry of loaded) {
    const index = valid.indexOf(entry as (typeof valid)[number]);
    const checked = syntax.ran && index >= 0 ? syntax.results[index] : undefined;
    const problems = 'problem' in entry ? [entry.problem] : (checked?.problems ?? []);
    if (problems.length > 0) {
      bad++;
      process.stdout.write(`invalid  ${entry.name}\n${problems.map((p) => printable(p, { multiline: true }).replace(/^/gm, '  ')).join('\n')}\n`);
    } else if ('scenario' in entry) {
      process.stdout.write(`ok       ${entry.name}: ${printable(entry.scenario.name)}\n`);
    }
    for (const skipped of checked?.skipped ?? []) process.stdout.write(`  not checked: ${printable(skipped)}\n`);
  }
  if (syntax.ran && syntax.ms > 0) {
    const count = syntax.results.reduce((n, r) => n + r.checked, 0);
    process.stdout.write(`\n${SYNTAX_CHECKS}: ${count} file${count === 1 ? '' : 's'} checked in ${(syntax.ms / 1000).toFixed(1)} s\n`);
  }
  if (!syntax.ran) process.stdout.write(`\nskipped: ${SYNTAX_CHECKS}: ${printable(syntax.why)}\n`);
  process.stdout.write(`\n${files.length - bad} valid, ${bad} invalid\n`);
  return bad === 0 ? 0 : 2;
}
