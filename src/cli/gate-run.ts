/**
 * What `baseline`, `check` and `compare` share with `run`: the common options (report folder,
 * concurrency, bounds), an engine prepared once, and reading back a file fwprobe wrote, with a size limit.
 */
import { relative } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NoScenariosError, UsageError } from '../model/errors.ts';
import type { Bounds } from '../model/bounds.ts';
import { printable } from '../model/printable.ts';
import { prepareEngine } from '../run/engine.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { readTextFile } from '../source/read-file.ts';
import { parseBoundOptions } from './bounds.ts';
import { checkReportDir } from './run-options.ts';

/** Baselines and results files are small; anything past this is not one. */
export const MAX_GATE_FILE_BYTES = 64 * 1024 * 1024;

export interface GateOptions {
  positionals: string[];
  reportDir: string;
  concurrency: number | undefined;
  bounds: Partial<Bounds>;
  values: Record<string, string | string[] | boolean | undefined>;
}

/**
 * Parses the options every running command takes, plus `extra`, and checks the report folder: a report
 * folder that cannot be written is an error in a second, not after every scan ran (as `run` does).
 */
export async function parseGateArgs(args: readonly string[], extra: NonNullable<ParseArgsConfig['options']> = {}): Promise<GateOptions> {
  const { values: parsed, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'report-dir': { type: 'string', default: process.env['FWPROBE_REPORT_DIR'] || 'reports' },
      concurrency: { type: 'string' },
      bound: { type: 'string', multiple: true, default: [] },
      ...extra,
    },
  });
  const values = parsed as Record<string, string | string[] | boolean | undefined>;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new UsageError(`--concurrency must be a whole number ≥ 1, got ${String(values.concurrency)}`);
  }
  const reportDir = values['report-dir'] as string;
  await checkReportDir(reportDir);
  return {
    positionals,
    reportDir,
    concurrency,
    bounds: parseBoundOptions(values.bound as string[]),
    values,
  };
}

/** The scenario files under the given paths (default ./scenarios); none is an error. */
export async function scenarioFilesOf(paths: readonly string[]): Promise<string[]> {
  const given = paths.length > 0 ? paths : ['scenarios'];
  const files = await discoverScenarioFiles(given);
  if (files.length === 0) throw new NoScenariosError(`No scenario files (*.scenario.yaml, *.scenario.ts) in ${given.join(' ')}.`);
  return files;
}

/** The image tag, after the engine answered and stale labs were swept. */
export function engineFor(bounds: Partial<Bounds>): Promise<string> {
  return prepareEngine({
    log: (line) => process.stderr.write(`image: ${line}\n`),
    ...(bounds.imageBuild === undefined ? {} : { imageBuildMs: bounds.imageBuild }),
  });
}

/** A file's text, or `missing` when there is none; any other problem is `fail`'s error. */
export async function readGateFile(file: string, fail: (message: string) => Error): Promise<string | 'missing'> {
  const read = await readTextFile(file, MAX_GATE_FILE_BYTES);
  if ('text' in read) return read.text;
  if (read.problem.kind === 'missing') return 'missing';
  throw fail(`Cannot read ${file}: ${read.problem.reason}.`);
}

/** A path as printed: relative to the working directory, escaped. */
export function shown(path: string): string {
  return printable(relative(process.cwd(), path) || path);
}
