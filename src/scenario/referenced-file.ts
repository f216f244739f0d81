/**
 * The files a scenario names (restore files, a policy, a script) are read at load time, from inside the
 * scenario's folder only: a scenario from a pull request or another team must not be able to read
 * `../../etc/shadow` into a lab (or a log) by naming it. A scenario that really shares files with its
 * neighbours says so with `paths: { allowOutside: true }`. Symlinks count where they lead, not where they sit.
 */
import { realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ScenarioErrorCode } from '../model/errors.ts';
import type { LoadedFile } from '../model/scenario.ts';
import type { FieldPath } from '../source/issues.ts';
import { MAX_REFERENCED_FILE_BYTES, readTextFile } from '../source/read-file.ts';
import { isWithin } from './paths.ts';

/** A named file that cannot be used: its field, why, and the code the load error gets. */
export interface ReferenceProblem {
  path: FieldPath;
  code: Extract<ScenarioErrorCode, 'SCENARIO_FILE_MISSING' | 'SCENARIO_PATH_OUTSIDE' | 'SCENARIO_TOO_LARGE'>;
  message: string;
}

export interface ReferenceOptions {
  /**
   * Let paths lead outside the scenario's folder (the scenario's `paths.allowOutside`).
   * @default false
   */
  allowOutside?: boolean;
  /**
   * The largest file accepted, in bytes.
   * @default MAX_REFERENCED_FILE_BYTES (4 MiB)
   */
  maxBytes?: number;
}

const OPT_IN = 'set `paths: { allowOutside: true }` at the top of the scenario to allow it';

/**
 * The folder of a scenario file, symlinks resolved: a linked scenario finds its files beside its target.
 * A file that does not exist (a scenario built in code) falls back to its folder as written.
 */
export async function scenarioFolder(file: string): Promise<string> {
  return realpath(file).then(dirname, () => realpath(dirname(file)).catch(() => dirname(file)));
}

/**
 * Reads the file at `relative` (from `folder`, a real path) for the field at `path`. Contents never appear
 * in a problem's message: the file may be anything (a wrong path, a secret), and load errors are printed
 * and stored in results.json.
 */
export async function readReferencedFile(path: FieldPath, relative: string, folder: string, options: ReferenceOptions = {}): Promise<{ file: LoadedFile } | { problem: ReferenceProblem }> {
  const resolved = resolve(folder, relative);
  const allowOutside = options.allowOutside ?? false;
  // Checked on the path as written first, so that a file outside is not even looked at without the opt-in.
  if (!allowOutside && !isWithin(folder, resolved)) {
    return { problem: { path, code: 'SCENARIO_PATH_OUTSIDE', message: outside(relative, resolved, folder) } };
  }
  let real: string;
  try {
    real = await realpath(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : (code ?? String(error));
    return { problem: missing(path, reason, resolved) };
  }
  if (!allowOutside && !isWithin(folder, real)) {
    return { problem: { path, code: 'SCENARIO_PATH_OUTSIDE', message: outside(relative, real, folder, resolved) } };
  }
  const maxBytes = options.maxBytes ?? MAX_REFERENCED_FILE_BYTES;
  const read = await readTextFile(real, maxBytes);
  if ('text' in read) return { file: { path: resolved, text: read.text } };
  if (read.problem.kind === 'too-large') {
    return {
      problem: {
        path,
        code: 'SCENARIO_TOO_LARGE',
        message: `expected a file within the size limit, found ${resolved}, which is ${read.problem.reason}: ` + 'check that this is the right file',
      },
    };
  }
  return { problem: missing(path, read.problem.reason, resolved) };
}

function missing(path: FieldPath, reason: string, resolved: string): ReferenceProblem {
  return {
    path,
    code: 'SCENARIO_FILE_MISSING',
    message: `expected a readable ruleset file, found ${reason}: ${resolved} (paths are relative to the scenario file)`,
  };
}

function outside(relative: string, resolved: string, folder: string, through?: string): string {
  const via = through !== undefined ? ` (through the symlink ${through})` : '';
  return `expected a path inside the scenario's folder ${folder}, found ${JSON.stringify(relative)}, ` + `which resolves to ${resolved}${via}: move the file into the folder, or ${OPT_IN}`;
}
