/**
 * Which commit each side of the library comparison is: `--against REV` resolved by git to one commit (or a
 * clear error for a revision git does not know), and a one-line description of both sides for the report.
 * git runs with argv only, never a shell: the revision is the user's text.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BenchArgError, checkRevision } from './args.ts';

const run = promisify(execFile);

/** This checkout's root (bench/..): the current side, and the repository revisions are resolved in. */
export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface Side {
  /** Full commit hash. */
  commit: string;
  /** Short hash and subject, e.g. `f6383bf A silent port under…`. */
  label: string;
  /** The checkout the side runs from. */
  root: string;
}

/** Resolves `rev` to a full commit hash in the repository at `repo`. */
export async function resolveRevision(rev: string, repo: string): Promise<string> {
  checkRevision(rev);
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd: repo });
    const commit = stdout.trim();
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) return commit;
  } catch {
    // Falls through to the error below: rev-parse --quiet says nothing, its exit code is the answer.
  }
  throw new BenchArgError(
    `--against ${JSON.stringify(rev)}: no such commit in ${repo} (git rev-parse --verify "${rev}^{commit}" found none). Give a commit hash, tag or branch this repository has (git log --oneline lists them).`,
  );
}

/** `<short hash> <subject>` of a commit, the subject cut to `width` characters. */
export async function describeCommit(commit: string, repo: string, width = 72): Promise<string> {
  const { stdout } = await run('git', ['log', '-1', '--format=%h %s', commit, '--'], { cwd: repo });
  return cut(stdout.trim(), width);
}

/**
 * The current checkout as a side: its HEAD, and whether files differ from it (the bench times the files
 * as they are, so a dirty tree is not HEAD and the report says so).
 */
export async function currentSide(repo: string): Promise<Side> {
  const { stdout: head } = await run('git', ['rev-parse', 'HEAD'], { cwd: repo });
  const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repo });
  const commit = head.trim();
  const label = await describeCommit(commit, repo);
  return { commit, label: status.trim() === '' ? label : `${label} (+ uncommitted changes)`, root: repo };
}

export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
