/**
 * A throwaway checkout of another commit for the library comparison: a detached `git worktree` in a temp
 * folder, with the current checkout's node_modules linked in (no install: the dependencies are the same
 * packages, and a fair comparison times fwprobe's code, not a second install). It is removed when the bench
 * is done, when it fails, and on Ctrl-C (a process exit hook), so no stray worktree stays registered.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, realpath, rm, symlink, unlink } from 'node:fs/promises';
import { rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TempWorktree {
  /** The worktree's folder (its repository root). */
  path: string;
  /** Removes it (idempotent); the exit hook is dropped. */
  remove(): Promise<void>;
}

export interface WorktreeOptions {
  /**
   * Called synchronously before an exit-time removal: stops what still runs from the worktree (a child
   * process still reading its files).
   * @default nothing
   */
  beforeExitRemoval?: () => void;
}

/** Checks out `commit` (detached) in a new temp folder, with node_modules linked in. */
export async function addWorktree(repo: string, commit: string, options: WorktreeOptions = {}): Promise<TempWorktree> {
  const modules = await realpath(join(repo, 'node_modules'));
  const path = await mkdtemp(join(tmpdir(), 'fwprobe-bench-'));
  let removed = false;
  const onExit = () => {
    if (removed) return;
    removed = true;
    options.beforeExitRemoval?.();
    removeSync(repo, path);
  };
  process.on('exit', onExit);
  try {
    await run('git', ['worktree', 'add', '--detach', '--quiet', path, commit], { cwd: repo });
    await symlink(modules, join(path, 'node_modules'), 'dir');
  } catch (error) {
    onExit();
    process.off('exit', onExit);
    throw error;
  }
  return {
    path,
    async remove() {
      if (removed) return;
      removed = true;
      process.off('exit', onExit);
      // The link goes first: the removal must never walk into the shared node_modules.
      await unlink(join(path, 'node_modules')).catch(() => {});
      await run('git', ['worktree', 'remove', '--force', path], { cwd: repo }).catch(() => {});
      await rm(path, { recursive: true, force: true });
      await run('git', ['worktree', 'prune'], { cwd: repo }).catch(() => {});
    },
  };
}

/** The exit hook's removal: no event loop is left, so everything here is synchronous and never throws. */
function removeSync(repo: string, path: string): void {
  const quiet = (work: () => void) => {
    try {
      work();
    } catch {
      // Best effort at exit: `git worktree prune` (or the next removal) finishes what is left.
    }
  };
  quiet(() => unlinkSync(join(path, 'node_modules')));
  quiet(() => execFileSync('git', ['worktree', 'remove', '--force', path], { cwd: repo, stdio: 'ignore' }));
  quiet(() => rmSync(path, { recursive: true, force: true }));
  quiet(() => execFileSync('git', ['worktree', 'prune'], { cwd: repo, stdio: 'ignore' }));
}
