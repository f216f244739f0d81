/**
 * Section 5a: the scenario library timed in a checkout of another commit (`--against REV`) and in this one,
 * back to back and alternating (previous, current, previous, current), so both see the same machine and
 * load: issue 24's target is a ratio of the two walls, never seconds. Each run is a fresh child process of
 * bench/library-runner.ts using that checkout's own src/ and image; the other commit's checkout is a temp
 * git worktree, removed at the end, on error and on Ctrl-C (with the child stopped first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { installSignalCleanup } from '../src/lab/cleanup.ts';
import { againstErrors, againstRows, type SideRun, type SideRuns } from './against-rows.ts';
import type { Row } from './measure.ts';
import { currentSide, describeCommit, REPO, resolveRevision } from './revision.ts';
import { addWorktree } from './worktree.ts';

const RUNNER = fileURLToPath(new URL('./library-runner.ts', import.meta.url));
/** How long an exit waits for a running child to remove its labs (its own deadline is 15 s). */
const CHILD_STOP_MS = 20_000;

/** A library run that did not produce its figures: which side, and what the child said (above, on stderr). */
export class LibraryRunError extends Error {
  readonly code = 'BENCH_LIBRARY_RUN_FAILED';
  override readonly name = 'LibraryRunError';
}

const Output = z.object({
  image: z.string(),
  wallMs: z.number().nonnegative(),
  results: z.array(
    z.looseObject({
      name: z.string(),
      status: z.string(),
      durationMs: z.number(),
      phases: z.array(z.object({ name: z.string(), ms: z.number() })).optional(),
      errorCode: z.string().nullish(),
      error: z.string().nullish(),
    }),
  ),
});

export interface LibraryAgainst {
  previous: SideRuns;
  current: SideRuns;
  rows: Row[];
  /** Scenarios that ended in `error` on either side. */
  errors: string[];
}

let running: ChildProcess | null = null;

/**
 * Runs `pairs` alternating pairs (previous first), then removes the worktree. Throws BenchArgError for a
 * revision git does not know, LibraryRunError when a run did not produce its figures.
 */
export async function libraryAgainst(rev: string, pairs: number, log: (line: string) => void): Promise<LibraryAgainst> {
  // A Ctrl-C becomes a process exit (after this process's own labs are removed), which runs the worktree's
  // exit hook: the child is stopped, then the worktree removed.
  installSignalCleanup();
  const commit = await resolveRevision(rev, REPO);
  const previous: SideRuns = { role: 'previous', label: await describeCommit(commit, REPO), runs: [] };
  const here = await currentSide(REPO);
  const current: SideRuns = { role: 'current', label: here.label, runs: [] };
  log(`library against: previous = ${previous.label}`);
  log(`library against: current  = ${current.label} (${REPO})`);
  const tree = await addWorktree(REPO, commit, { beforeExitRemoval: stopChildSync });
  try {
    for (let i = 0; i < pairs; i++) {
      for (const [side, root] of [
        [previous, tree.path],
        [current, REPO],
      ] as const) {
        log(`library against: pair ${i + 1}/${pairs}, ${side.role} (${side.label.split(' ')[0]})`);
        // The figures go into the worktree's folder: removed with it, whatever happens.
        const start = loadavg()[0]!;
        const run = await runSide(root, join(tree.path, `.bench-${side.role}-${i}.json`), side.role);
        side.runs.push({ ...run, load: { start, end: loadavg()[0]! } });
        const last = side.runs.at(-1)!;
        log(`library against: ${side.role}: ${(last.wallMs / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    await tree.remove();
  }
  return { previous, current, rows: againstRows(previous, current), errors: againstErrors(previous, current) };
}

async function runSide(root: string, out: string, role: string): Promise<SideRun> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), RUNNER, root, out], { cwd: root, stdio: ['ignore', 2, 2] });
  running = child;
  const ended = await new Promise<string | number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'no exit code'));
  }).finally(() => (running = null));
  if (ended !== 0) throw new LibraryRunError(`the ${role} side's library run in ${root} ended with ${ended} (its output is above): no figures for the comparison.`);
  const parsed = Output.safeParse(JSON.parse(await readFile(out, 'utf8')));
  if (!parsed.success) throw new LibraryRunError(`${out}: the ${role} side's figures do not have the expected shape: ${parsed.error.message}`);
  return parsed.data;
}

/** For the exit hook (no event loop left): ends a running child and waits until it has gone, bounded. */
function stopChildSync(): void {
  const child = running;
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill('SIGTERM');
  } catch {
    return;
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + CHILD_STOP_MS;
  while (!gone(child.pid) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 100);
}

/** True when the process no longer runs: absent, or a zombie (nobody reaps it while we exit). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
