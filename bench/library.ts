/**
 * Section 5: the whole scenario library as `fwprobe run scenarios/` runs it (discovered files, the runner's
 * default concurrency, labs removed off the critical path): the wall time against the sum of the scenarios'
 * own times, which is what running them one by one without overlap would cost at least.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenarioFiles } from '../src/run/files.ts';
import type { ScenarioResult } from '../src/report/result.ts';
import { discoverScenarioFiles } from '../src/scenario/discover.ts';
import { timed } from './measure.ts';

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
