/**
 * `fwprobe merge-reports --out DIR SHARD_DIR…`: the reports of CI shards merged into one: every report
 * rendered from every shard's results (and the summary appended to
 * $GITHUB_STEP_SUMMARY when set). Exit 0: merged; 2: a shard's results.json is missing or unreadable.
 */
import { join } from 'node:path';
import { ResultsFileError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { mergeShards } from '../report/merge.ts';
import { parseResultsDocument } from '../report/results-input.ts';
import { writeResults } from '../report/results-json.ts';
import { parseCommandArgs } from './args.ts';
import { readGateFile, shown } from './gate-run.ts';

export async function runMergeReports(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs('merge-reports', args);
  const out = parsed.string('out');
  const positionals = parsed.positionals;
  if (!out || positionals.length === 0) throw new UsageError('merge-reports needs --out DIR and at least one shard folder; see fwprobe merge-reports --help');
  const shards = await Promise.all(
    positionals.map(async (dir) => {
      const file = join(dir, 'results.json');
      const text = await readGateFile(file, (message) => new ResultsFileError(message));
      if (text === 'missing') throw new ResultsFileError(`No results.json in shard folder ${shown(dir)} (expected ${shown(file)}): did that shard run, and was its reports/ folder downloaded?`);
      return parseResultsDocument(text, shown(file));
    }),
  );
  const results = mergeShards(shards);
  // One interrupted shard makes the merged run interrupted: its missing scenarios are missing from the merge too.
  const stopped = shards.filter((s) => s.interrupted !== null).map((s) => `${s.interrupted} in ${s.file}`);
  const written = await writeResults(out, results, stopped.length > 0 ? { interrupted: stopped.join(', ') } : {});
  const count = (status: string) => results.filter((r) => r.status === status).length;
  process.stdout.write(
    `merged ${shards.length} shard(s): ${results.length} scenario(s), ${count('passed')} passed, ` + `${count('failed')} failed, ${count('error')} error\nresults: ${printable(written)}\n`,
  );
  return 0;
}
