/**
 * Where a user's ruleset script runs: a throwaway container that shares only the target's network
 * namespace. The script changes the target's rules, addresses and routes as on a real host, but cannot
 * touch the target's files (its nmap, its nmap-services), its listeners or its processes; whatever it
 * leaves running is listed and then killed with the sidecar, before the ruleset is recorded and scanned.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { FwprobeContainer, type StartedFwprobeContainer } from './container.ts';

/** Where the script's folder is copied: `$0` and `dirname "$0"` work as on a real host. */
export const SCRIPT_DIR = '/run/fwprobe/script';
/** The folder beside the script is copied along while it stays this small. */
const MAX_FOLDER_BYTES = 4 * 1024 * 1024;
const MAX_FOLDER_FILES = 200;
const LEFTOVER = /^@@FWPROBE-LEFTOVER pid=(\d+) ppid=\d+ pgid=\d+ sid=\d+ state=(\S+) exe=(\S*)@@(.*)$/;

/** A process the script left running when it ended (killed with the sidecar, and reported). */
export interface Leftover {
  pid: number;
  state: string;
  /** The binary it ran (cannot be forged by the process, unlike its command line). */
  exe: string;
  command: string;
}

/** Starts the sidecar in the target's network namespace, with the target's backend. */
export async function startSidecar(target: StartedFwprobeContainer): Promise<StartedFwprobeContainer> {
  return new FwprobeContainer(target.image).withBounds(target.bounds).withBackend(target.backend).withNetworkNamespaceOf(target).start();
}

/**
 * Copies the script's folder (files beside it that it may source) when it is small, else the script
 * alone; returns the script's path in the sidecar.
 */
export async function copyScriptFolder(sidecar: StartedFwprobeContainer, scriptPath: string): Promise<{ path: string; copied: string }> {
  const folder = dirname(scriptPath);
  const files = await listFiles(folder).catch(() => null);
  const total = files?.reduce((sum, f) => sum + f.size, 0) ?? Infinity;
  if (files && files.length <= MAX_FOLDER_FILES && total <= MAX_FOLDER_BYTES) {
    await sidecar.copyDirectoriesToContainer([{ source: folder, target: SCRIPT_DIR }]);
    return { path: `${SCRIPT_DIR}/${basename(scriptPath)}`, copied: `the folder ${relative(process.cwd(), folder) || '.'} (${files.length} files)` };
  }
  await sidecar.copyFilesToContainer([{ source: scriptPath, target: `${SCRIPT_DIR}/${basename(scriptPath)}` }]);
  return { path: `${SCRIPT_DIR}/${basename(scriptPath)}`, copied: `the script alone (its folder is over ${MAX_FOLDER_FILES} files or 4 MiB)` };
}

/** The processes `fwprobe-leftovers` listed (and killed) after the script. */
export function parseLeftovers(stdout: string): Leftover[] {
  return stdout.split('\n').flatMap((line) => {
    const m = LEFTOVER.exec(line);
    return m ? [{ pid: Number(m[1]), state: m[2]!, exe: m[3]!, command: m[4]! }] : [];
  });
}

async function listFiles(dir: string, depth = 0): Promise<{ path: string; size: number }[]> {
  if (depth > 4) return [];
  const out: { path: string; size: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path, depth + 1)));
    else if (entry.isFile()) out.push({ path, size: (await stat(path)).size });
    if (out.length > MAX_FOLDER_FILES) break;
  }
  return out;
}
