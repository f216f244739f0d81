/**
 * Section 5: the whole scenario library as `fwprobe run scenarios/` runs it (discovered files, the runner's
 * default concurrency, labs removed off the critical path): the wall time against the sum of the scenarios'
 * own times, which is what running them one by one without overlap would cost at least. With `--against
 * REV` the library is instead timed in a worktree of REV and here, alternating (section 5a,
 * bench/library-against.ts), and section 5's figures are this checkout's last run there.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenarioFiles } from '../src/run/files.ts';
import type { ScenarioResult } from '../src/report/result.ts';
import { discoverScenarioFiles } from '../src/scenario/discover.ts';
import { libraryPairs } from './args.ts';
import type { LibraryResult } from './against-rows.ts';
import { libraryAgainst } from './library-against.ts';
import type { Row } from './measure.ts';
import { timed } from './measure.ts';
import { libraryRows } from './rows.ts';

const LIBRARY = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'scenarios');

export interface LibraryRun {
  wallMs: number;
  /** Sum of every scenario's `durationMs`. */
  sumMs: number;
  results: ScenarioResult[];
}

export async function runLibrary(image: string): Promise<LibraryRun> {
  const files = await discoverScenarioFiles([LIBRARY]);
  const { value: results, ms } = await timed(() => runScenarioFiles(files, { image }));
  return { wallMs: ms, sumMs: results.reduce((sum, r) => sum + r.durationMs, 0), results };
}

export interface LibrarySection {
  rows: Row[];
  /** Results of the in-process run (none with --against: the bench's checks of them are the caller's). */
  inProcess: ScenarioResult[] | null;
  /** Scenarios that ended in `error` in the comparison, on either side. */
  errors: string[];
  /** For reports/bench.json. */
  json: Record<string, unknown>;
}

/** Section 5, in this process, or (with `against`) section 5a and this checkout's side as section 5. */
export async function librarySection(image: string, options: { against: string | null; runs: number; log: (line: string) => void }): Promise<LibrarySection> {
  const brief = (results: readonly LibraryResult[]) => results.map((r) => ({ name: r.name, status: r.status, durationMs: r.durationMs, phases: r.phases }));
  if (options.against === null) {
    const library = await runLibrary(image);
    return {
      rows: libraryRows(library),
      inProcess: library.results,
      errors: [],
      json: { library: { wallMs: library.wallMs, sumMs: library.sumMs, results: brief(library.results) } },
    };
  }
  const cmp = await libraryAgainst(options.against, libraryPairs(options.runs), options.log);
  const last = cmp.current.runs.at(-1)!;
  const side = (s: typeof cmp.previous) => ({ label: s.label, runs: s.runs.map((r) => ({ wallMs: r.wallMs, image: r.image, results: brief(r.results) })) });
  return {
    rows: [...libraryRows(last, `a child process, the last run of section 5a`), ...cmp.rows],
    inProcess: null,
    errors: cmp.errors,
    json: { libraryAgainst: { against: options.against, previous: side(cmp.previous), current: side(cmp.current), ratio: cmp.rows.at(-1)?.value } },
  };
}
