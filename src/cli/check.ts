/**
 * `fwprobe check [PATHS…]`: runs the scenarios and compares each one's exposure (what the firewall admits,
 * report/admission.ts) with its committed baseline, printing only what changed. Exit 0: the same; 1:
 * changed, which includes coverage that shrank (a port or slice the baseline had and the run did not see);
 * 2: an error, which includes a missing or unreadable baseline (checked before any container starts) and
 * a scenario that could not run.
 */
import { BaselineInvalidError, BaselineMissingError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { shellWord } from '../model/shell-word.ts';
import { FORMAT_1_NOTE, baselinePathFor, parseBaseline, rulesetsHash, type BaselineDocument } from '../report/baseline-file.ts';
import { exposureOf } from '../report/exposure.ts';
import { exposureChanges, formatChange } from '../report/exposure-diff.ts';
import { writeResults } from '../report/results-json.ts';
import { runScenarioFiles } from '../run/files.ts';
import { engineFor, parseGateArgs, readGateFile, scenarioFilesOf, shown } from './gate-run.ts';

export async function runCheck(args: readonly string[]): Promise<number> {
  const options = await parseGateArgs('check', args);
  const files = await scenarioFilesOf(options.positionals);
  // Every baseline is read before a container starts: a missing one is found in a second, not after a run.
  const baselines = await Promise.all(files.map(readBaseline));
  const image = await engineFor(options.bounds);
  const results = await runScenarioFiles(files, { image, bounds: options.bounds, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
  await writeResults(options.reportDir, results);
  const count = { same: 0, changed: 0, error: 0 };
  for (const [index, result] of results.entries()) {
    const file = files[index]!;
    const baseline = baselines[index]!;
    if (result.status === 'error') {
      count.error++;
      process.stdout.write(`error    ${shown(file)}: cannot compare\n  ${printable(`${result.errorCode}: ${result.error}`, { multiline: true }).replace(/\n/g, '\n  ')}\n`);
      continue;
    }
    // A baseline copied from another scenario, or a renamed scenario, is said before anything else.
    if (baseline.scenario !== result.name) {
      process.stdout.write(`note     ${shown(file)}: its baseline was written for ${JSON.stringify(printable(baseline.scenario))}, the scenario is now ${JSON.stringify(printable(result.name))}\n`);
    }
    const old = baseline.format === 1;
    if (old) process.stdout.write(`note     ${shown(baselinePathFor(file))} ${FORMAT_1_NOTE}\n`);
    const changes = exposureChanges(baseline.exposure, exposureOf(result.observations, result.others));
    const hash = rulesetsHash(result.applied);
    if (changes.length > 0) {
      count.changed++;
      process.stdout.write(`changed  ${shown(file)} (${printable(result.name)})\n${changes.map((c) => `  ${formatChange(c)}\n`).join('')}`);
    } else {
      count.same++;
      // Said, not judged: the same exposure from other rules is a pass, but a reviewer may want to know.
      if (!old && hash !== baseline.rulesets) process.stdout.write(`same     ${shown(file)}: the applied rulesets changed, the exposure did not\n`);
    }
  }
  process.stdout.write(`\n${count.changed} changed, ${count.same} same, ${count.error} error\n`);
  if (count.error > 0) return 2;
  return count.changed > 0 ? 1 : 0;
}

async function readBaseline(scenarioFile: string): Promise<BaselineDocument> {
  const file = baselinePathFor(scenarioFile);
  const text = await readGateFile(file, (message) => new BaselineInvalidError(message));
  if (text === 'missing') {
    throw new BaselineMissingError(
      `No baseline for ${shown(scenarioFile)}: expected ${shown(file)}. Write it with ` + `\`fwprobe baseline ${shellWord(shown(scenarioFile))}\`, review it and commit it beside the scenario.`,
    );
  }
  return parseBaseline(text, shown(file));
}
