/**
 * `fwprobe diff A.json B.json`: two results files compared offline (no Docker), the way `check`
 * compares a run with its baseline. Exit 0: same exposure; 1: changed; 2: an error (a file that is not a
 * results.json, a scenario that ended in error on either side).
 */
import { ResultsFileError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { formatChange } from '../report/exposure-diff.ts';
import { compareResults } from '../report/results-diff.ts';
import { parseResultsDocument, type ResultsInput } from '../report/results-input.ts';
import { parseCommandArgs } from './args.ts';
import { readGateFile, shown } from './gate-run.ts';

export async function runDiff(args: readonly string[]): Promise<number> {
  const { positionals } = parseCommandArgs('diff', args);
  if (positionals.length !== 2) {
    throw new UsageError(`fwprobe diff takes exactly two results.json files (A.json B.json), got ${positionals.length}; see fwprobe diff --help`);
  }
  const [a, b] = await Promise.all(positionals.map(readResults));
  if (a!.fwprobe !== b!.fwprobe) {
    // Exposure means the same across versions; the reader should still know the scanners differed.
    process.stdout.write(`note: ${shown(a!.file)} was written by fwprobe ${a!.fwprobe ?? '(unknown)'}, ${shown(b!.file)} by ${b!.fwprobe ?? '(unknown)'}\n`);
  }
  const count = { same: 0, changed: 0, error: 0 };
  for (const c of compareResults(a!, b!)) {
    const what = `${printable(c.file)} (${printable(c.name)})`;
    if (c.kind === 'same') count.same++;
    else if (c.kind === 'error') {
      count.error++;
      process.stdout.write(`error    ${what}: ended in error in ${c.side}, cannot compare\n  ${printable(c.error, { multiline: true }).replace(/\n/g, '\n  ')}\n`);
    } else {
      count.changed++;
      if (c.kind === 'changed') process.stdout.write(`changed  ${what}\n${c.changes.map((x) => `  ${formatChange(x)}\n`).join('')}`);
      else process.stdout.write(`changed  ${what}: only in ${c.kind === 'only-a' ? 'A' : 'B'}\n`);
    }
  }
  process.stdout.write(`\n${count.changed} changed, ${count.same} same, ${count.error} error\n`);
  if (count.error > 0) return 2;
  return count.changed > 0 ? 1 : 0;
}

async function readResults(file: string): Promise<ResultsInput> {
  const text = await readGateFile(file, (message) => new ResultsFileError(message));
  if (text === 'missing') throw new ResultsFileError(`No such results file: ${shown(file)}. Give the results.json of a run (reports/results.json).`);
  return parseResultsDocument(text, shown(file));
}
