/**
 * The options of `fwprobe run` and `fwprobe demo`, parsed and checked before any container starts: a typo
 * in an option, a report directory that cannot be written, or a filter that matches nothing is an error in
 * a second, not after minutes of scans whose results then go nowhere.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Bounds } from '../model/bounds.ts';
import { NoScenariosError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { loadScenario } from '../scenario/load.ts';
import { parseCommandArgs } from './args.ts';
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
  const parsed = parseCommandArgs('run', args);
  const bounds = parseBoundOptions(parsed.strings('bound'));
  const concurrency = parseConcurrency(parsed.string('concurrency'));
  const reportDir = parsed.string('report-dir') ?? defaultReportDir();
  await checkReportDir(reportDir);
  const paths = parsed.positionals.length > 0 ? parsed.positionals : defaults.paths;
  let files = await discoverScenarioFiles(paths);
  if (files.length === 0) throw new NoScenariosError(`No scenario files (*.scenario.yaml, *.scenario.ts) in ${paths.join(' ')}.`);
  const filter = parsed.string('filter');
  if (filter !== undefined) {
    files = await filterFiles(files, filter);
    if (files.length === 0) throw new NoScenariosError(`No scenario under ${paths.join(' ')} has ${JSON.stringify(filter)} in its name or path.`);
  }
  return { files, reportDir, concurrency, bounds, quiet: parsed.flag('quiet'), json: parsed.flag('json') };
}

/** `--report-dir`'s default: $FWPROBE_REPORT_DIR, else `reports`. */
export function defaultReportDir(): string {
  return process.env['FWPROBE_REPORT_DIR'] || 'reports';
}

/** `--concurrency N`: a whole number ≥ 1, or undefined when not given. */
export function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const concurrency = Number(text);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new UsageError(`--concurrency must be a whole number ≥ 1, got ${printable(text)}`);
  return concurrency;
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
