/**
 * What `baseline`, `check` and `compare` share with `run`: the common options (report folder,
 * concurrency, bounds), an engine prepared once, and reading back a file fwprobe wrote, with a size limit.
 */
import { relative } from 'node:path';
import { NoScenariosError } from '../model/errors.ts';
import type { Bounds } from '../model/bounds.ts';
import { printable } from '../model/printable.ts';
import { prepareEngine } from '../run/engine.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { readTextFile } from '../source/read-file.ts';
import { parseBoundOptions } from './bounds.ts';
import { parseCommandArgs, type ParsedArgs } from './args.ts';
import type { CommandName } from './commands.ts';
import { checkReportDir, defaultReportDir, parseConcurrency } from './run-options.ts';

/** Baselines and results files are small; anything past this is not one. */
export const MAX_GATE_FILE_BYTES = 64 * 1024 * 1024;

export interface GateOptions {
  positionals: string[];
  reportDir: string;
  concurrency: number | undefined;
  bounds: Partial<Bounds>;
  /** Every option as parsed, for the command's own. */
  args: ParsedArgs;
}

/**
 * Parses `command`'s options (commands.ts) and checks the report folder: a report folder that cannot be
 * written is an error in a second, not after every scan ran (as `run` does).
 */
export async function parseGateArgs(command: CommandName, args: readonly string[]): Promise<GateOptions> {
  const parsed = parseCommandArgs(command, args);
  const reportDir = parsed.string('report-dir') ?? defaultReportDir();
  await checkReportDir(reportDir);
  return {
    positionals: parsed.positionals,
    reportDir,
    concurrency: parseConcurrency(parsed.string('concurrency')),
    bounds: parseBoundOptions(parsed.strings('bound')),
    args: parsed,
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
