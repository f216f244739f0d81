/**
 * Finds scenario files. A file given explicitly is taken as is; a directory is walked recursively for
 * `*.scenario.yaml`, `*.scenario.yml` and `*.scenario.ts`. Only these suffixes count, so that the files a
 * scenario refers to (`rules.v4`, a generator `policy.yaml`, a `firewall.sh`) can sit beside it.
 * The result is absolute, sorted and free of duplicates, so runs are deterministic.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ScenarioError } from '../model/errors.ts';

export const SCENARIO_FILE_PATTERN = /\.scenario\.(ya?ml|ts)$/;

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** @throws ScenarioError `SCENARIO_NOT_FOUND` when a given path does not exist. */
export async function discoverScenarioFiles(pathsOrDirs: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const given of pathsOrDirs) {
    const path = resolve(given);
    const info = await stat(path).catch((error: unknown) => {
      throw new ScenarioError('SCENARIO_NOT_FOUND', path, [], {
        cause: error,
        headline: `No such scenario file or directory: ${path}`,
      });
    });
    if (info.isDirectory()) for (const file of await walk(path)) found.add(file);
    else found.add(path);
  }
  return [...found].sort();
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) out.push(...(await walk(path)));
    else if (entry.isFile() && SCENARIO_FILE_PATTERN.test(entry.name)) out.push(path);
  }
  return out;
}
