/**
 * `fwprobe merge-reports --out DIR SHARD_DIR…`: the reports of CI shards merged into one: every report
 * rendered from every shard's results (and the summary appended to
 * $GITHUB_STEP_SUMMARY when set). Exit 0: merged; 2: a shard's results.json is missing or unreadable.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ResultsFileError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { mergeShards } from '../report/merge.ts';
import { parseResultsDocument } from '../report/results-input.ts';
import { reportFileList, writeResults } from '../report/results-json.ts';
import { readGateFile, shown } from './gate-run.ts';

export const MERGE_USAGE = `  fwprobe merge-reports --out DIR SHARD_DIR…
      Merge the results.json of CI shards into DIR: ${reportFileList()}.
      Exit 0: merged; 2: a shard's results.json is missing or invalid, from another fwprobe, or a scenario
      is in two shards.
`;

export async function runMergeReports(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { out: { type: 'string' } } });
  if (!values.out || positionals.length === 0) throw new UsageError(`merge-reports needs --out DIR and at least one shard folder.\n\n${MERGE_USAGE}`);
  const shards = await Promise.all(
    positionals.map(async (dir) => {
      const file = join(dir, 'results.json');
      const text = await readGateFile(file, (message) => new ResultsFileError(message));
      if (text === 'missing') throw new ResultsFileError(`No results.json in shard folder ${shown(dir)} (expected ${shown(file)}): did that shard run, and was its reports/ folder downloaded?`);
      return parseResultsDocument(text, shown(file));
    }),
  );
  const results = mergeShards(shards);
  const written = await writeResults(values.out, results);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  process.stdout.write(`merged ${shards.length} shard(s): ${results.length} scenario(s), ${count('passed')} passed, ` +
    `${count('failed')} failed, ${count('error')} error\nresults: ${printable(written)}\n`);
  return 0;
}
