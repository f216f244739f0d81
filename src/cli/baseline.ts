/**
 * `fwprobe baseline [PATHS…]`: runs the scenarios and writes each one's exposure snapshot beside it
 * (`NAME.baseline.json`), to be committed and reviewed; `fwprobe check` compares later runs with it.
 * A scenario that ends in error gets no baseline (its exposure is unknown): exit 2.
 */
import { writeFile, rename } from 'node:fs/promises';
import { FWPROBE_VERSION } from '../model/version.ts';
import { printable } from '../model/printable.ts';
import { baselinePathFor, renderBaseline, rulesetsHash } from '../report/baseline-file.ts';
import { assumedAdmitted, exposureOf, portsWith } from '../report/exposure.ts';
import { writeResults } from '../report/results-json.ts';
import type { ScenarioResult } from '../report/result.ts';
import { runScenarioFiles } from '../run/files.ts';
import { engineFor, parseGateArgs, scenarioFilesOf, shown } from './gate-run.ts';

export async function runBaseline(args: readonly string[]): Promise<number> {
  const options = await parseGateArgs('baseline', args);
  const files = await scenarioFilesOf(options.positionals);
  const image = await engineFor(options.bounds);
  const results = await runScenarioFiles(files, { image, bounds: options.bounds, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
  await writeResults(options.reportDir, results);
  let errors = 0;
  for (const [index, result] of results.entries()) {
    const file = files[index]!;
    if (result.status === 'error') {
      errors++;
      process.stdout.write(`error    ${shown(file)}: no baseline written\n  ${printable(`${result.errorCode}: ${result.error}`, { multiline: true }).replace(/\n/g, '\n  ')}\n`);
      continue;
    }
    const target = baselinePathFor(file);
    await writeAtomically(target, baselineText(result));
    const exposure = exposureOf(result.observations, result.others);
    const count = (word: 'open' | 'admitted' | 'unverified') => [...exposure.values()].reduce((n, e) => n + portsWith(e, word).length, 0);
    // Admitted by assumption (closed, no rule traced) is said: the reader may want the port traced or named.
    const assumed = assumedAdmitted(exposure);
    const admitted = `${count('admitted')} admitted${assumed > 0 ? ` (${assumed} closed with no rule traced, read as admitted)` : ''}`;
    // Silent UDP ports a counted sweep's ledger could not decide are said too: they may be admitted.
    const unverified = count('unverified') > 0 ? `, ${count('unverified')} unverified` : '';
    // A failed verdict is still a known exposure; it is said, so nobody baselines a failure unawares.
    const note = result.status === 'failed' ? ' (the scenario FAILED its expectations: see fwprobe run)' : '';
    process.stdout.write(`written  ${shown(target)}: ${count('open')} open, ${admitted}${unverified} port(s)${note}\n`);
  }
  return errors > 0 ? 2 : 0;
}

/** The baseline of one finished scenario. */
export function baselineText(result: ScenarioResult): string {
  return renderBaseline({
    fwprobe: FWPROBE_VERSION,
    scenario: result.name,
    rulesets: rulesetsHash(result.applied),
    exposure: exposureOf(result.observations, result.others),
  });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}
