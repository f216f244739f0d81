/**
 * Finds scenario files. A file given explicitly is taken as is; a directory is walked recursively for
 * `*.scenario.yaml`, `*.scenario.yml` and `*.scenario.ts`. Only these suffixes count, so that the files a
 * scenario refers to (`rules.v4`, a generator `policy.yaml`, a `firewall.sh`) can sit beside it.
 * Symlinks are followed, to files and to folders: a linked scenario is a scenario. A link that points at
 * nothing, or a folder link that leads back into a folder being walked, is an error naming the link, never
 * a silent skip (a skipped scenario is a check that quietly stopped running).
 * The result is absolute, sorted and free of duplicates (one entry per real file), so runs are deterministic.
 */
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { ScenarioError } from '../model/errors.ts';
import { isWithin } from './paths.ts';

export const SCENARIO_FILE_PATTERN = /\.scenario\.(ya?ml|ts)$/;

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * @throws ScenarioError `SCENARIO_NOT_FOUND` when a given path does not exist, `SCENARIO_BROKEN_LINK` for
 * a symlink (given or met in a folder) that points at nothing, `SCENARIO_LINK_LOOP` for a link that loops.
 */
export async function discoverScenarioFiles(pathsOrDirs: readonly string[]): Promise<string[]> {
  const walk = new Walk();
  for (const given of pathsOrDirs) {
    const path = resolve(given);
    await lstat(path).catch((error: unknown) => {
      throw new ScenarioError('SCENARIO_NOT_FOUND', path, [], {
        cause: error,
        headline: `No such scenario file or directory: ${path}`,
      });
    });
    const target = await follow(path);
    if (target.info.isDirectory()) await walk.folder(path, target.real, []);
    else walk.add(path, target.real);
  }
  return walk.files();
}

/** One discovery: the files found (by real path) and the folders already walked. */
class Walk {
  private readonly found = new Map<string, string>();
  private readonly walked = new Set<string>();

  /** Two names for one real file (a link beside its target) run it once, under the name that sorts first. */
  add(path: string, real: string): void {
    const earlier = this.found.get(real);
    if (earlier === undefined || path < earlier) this.found.set(real, path);
  }

  files(): string[] {
    return [...this.found.values()].sort();
  }

  /**
   * @param chain - Real paths of the folders this one is inside, as walked (through links too): a folder
   * link to one of them, or to a folder above one of them, would walk forever.
   */
  async folder(dir: string, real: string, chain: readonly string[]): Promise<void> {
    // A folder reached a second time through another link: its files are already found.
    if (this.walked.has(real)) return;
    this.walked.add(real);
    const inside = [...chain, real];
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await follow(path);
        if (target.info.isDirectory()) {
          if (SKIPPED_DIRS.has(entry.name)) continue;
          checkNoLoop(path, target.real, inside);
          await this.folder(path, target.real, inside);
        } else if (SCENARIO_FILE_PATTERN.test(entry.name)) this.add(path, target.real);
      } else if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await this.folder(path, join(real, entry.name), inside);
      } else if (entry.isFile() && SCENARIO_FILE_PATTERN.test(entry.name)) {
        this.add(path, join(real, entry.name));
      }
    }
  }
}

/** Stats what `path` points at, through any links, and its real path. */
async function follow(path: string): Promise<{ info: Stats; real: string }> {
  try {
    const info = await stat(path);
    return { info, real: await realpath(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const target = await readlink(path).catch(() => null);
    if (code === 'ELOOP') {
      throw new ScenarioError('SCENARIO_LINK_LOOP', path, [], {
        cause: error,
        headline: `Symlink loop: ${path} -> ${target ?? '?'} never reaches a file or folder. Remove the link or point it at one.`,
      });
    }
    if (target !== null && (code === 'ENOENT' || code === 'ENOTDIR')) {
      throw new ScenarioError('SCENARIO_BROKEN_LINK', path, [], {
        cause: error,
        headline: `Broken symlink: ${path} -> ${target} points at nothing. Fix or remove the link: discovery follows ` + 'links, and one that might have led to scenarios is not skipped silently.',
      });
    }
    throw error;
  }
}

function checkNoLoop(path: string, real: string, chain: readonly string[]): void {
  const entered = chain.find((folder) => isWithin(real, folder));
  if (entered === undefined) return;
  throw new ScenarioError('SCENARIO_LINK_LOOP', path, [], {
    headline: `Symlink loop: ${path} -> ${real} leads back into ${entered}, a folder being walked. ` + 'Remove the link, or point it at a folder outside the tree.',
  });
}
