/**
 * The options of `fwprobe run` and `fwprobe demo`, parsed and checked before any container starts: a typo
 * in an option, a report directory that cannot be written, or a filter that matches nothing is an error in
 * a second, not after minutes of scans whose results then go nowhere.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bounds } from '../model/bounds.ts';
import { NoScenariosError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { loadScenario } from '../scenario/load.ts';
import { parseBoundOptions } from './bounds.ts';

export interface RunOptions {
  /** Scenario files, in the order they are run and printed. */
  files: string[];
  /** Where the reports go. @default $FWPROBE_REPORT_DIR, else `reports` */
  reportDir: string;
  /** Scenarios at once. @default the number of CPUs */
  concurrency: number | undefined;
  bounds: Partial<Bounds>;
  /** No port tables on stdout. @default false */
  quiet: boolean;
  /** results.json's document on stdout, and nothing else there. @default false */
  json: boolean;
}

/** Parses `args` (after the command) and checks everything a run needs before it starts. */
export async function parseRunOptions(args: readonly string[], defaults: { paths: string[] }): Promise<RunOptions> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        'report-dir': { type: 'string' },
        concurrency: { type: 'string' },
        bound: { type: 'string', multiple: true, default: [] },
        filter: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    // node's messages name the option; the help says what there is.
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  const { values, positionals } = parsed;
  const bounds = parseBoundOptions(values.bound);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new UsageError(`--concurrency must be a whole number ≥ 1, got ${values.concurrency}`);
  }
  const reportDir = values['report-dir'] ?? (process.env['FWPROBE_REPORT_DIR'] || 'reports');
  await checkReportDir(reportDir);
  const paths = positionals.length > 0 ? positionals : defaults.paths;
  let files = await discoverScenarioFiles(paths);
  if (files.length === 0) throw new NoScenariosError(`No scenario files (*.scenario.yaml, *.scenario.ts) in ${paths.join(' ')}.`);
  if (values.filter !== undefined) {
    files = await filterFiles(files, values.filter);
    if (files.length === 0) throw new NoScenariosError(`No scenario under ${paths.join(' ')} has ${JSON.stringify(values.filter)} in its name or path.`);
  }
  return { files, reportDir, concurrency, bounds, quiet: values.quiet, json: values.json };
}

/** The report directory exists (or is made now) and can be written: checked before any container starts. */
export async function checkReportDir(dir: string): Promise<void> {
  const shown = printable(dir);
  if (dir.trim() === '') throw new UsageError('--report-dir is empty: give a directory.');
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : error));
  if (found instanceof Error) throw new UsageError(`--report-dir ${shown}: ${found.message}`);
  if (found && !found.isDirectory()) throw new UsageError(`--report-dir ${shown} is not a directory.`);
  if (!found) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`--report-dir ${shown} cannot be created: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--report-dir ${shown} is not writable.`);
  }
}

/**
 * Files whose path (relative to the working directory) or scenario name holds `pattern`. A file that does
 * not load is kept when its path matches, so its error is still reported.
 */
async function filterFiles(files: readonly string[], pattern: string): Promise<string[]> {
  const kept = await Promise.all(
    files.map(async (file) => {
      if (relative(process.cwd(), file).includes(pattern) || file.includes(pattern)) return true;
      try {
        return (await loadScenario(file)).name.includes(pattern);
      } catch {
        return false;
      }
    }),
  );
  return files.filter((_, i) => kept[i]);
}
