/**
 * The reaper: a detached process a signal handler starts, which removes a run's containers after the run
 * itself is gone. Under vitest a Ctrl-C ends the main process at once, and vitest then kills its workers
 * before their own cleanup has finished: their containers stayed up until the next run swept them. This
 * process is in a session of its own, so neither the terminal's signal nor the worker's end reaches it.
 *
 * Run as `node --import tsx reaper.ts RUN_ID PID`: while PID lives, and for a grace period after (a
 * creation in flight may still land), it removes every container labelled with RUN_ID, then exits.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isAlive } from './pid.ts';

/** How long the reaper keeps looking after the run's process is gone. @default 20 s */
const GRACE_MS = 20_000;
/** The longest it lives at all, whatever the run does. */
const LIFETIME_MS = 120_000;
const RUN_ID = /^[a-z0-9]{1,16}-[0-9a-f]{6}$/;

let started = false;

/** Starts the reaper for this process's run (once); never throws (a signal handler calls it). */
export function startReaper(runId: string): void {
  if (!RUN_ID.test(runId) || started) return;
  started = true;
  try {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), runId, String(process.pid)], {
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {});
    child.unref();
  } catch {
    // Without a reaper the next run's sweep still removes what is left (cleanup.ts sweepStale).
  }
}

async function reap(runId: string, pid: number): Promise<void> {
  const { getDocker } = await import('./docker.ts');
  const docker = getDocker();
  const started = Date.now();
  let goneAt: number | null = null;
  while (Date.now() - started < LIFETIME_MS) {
    if (goneAt === null && !isAlive(pid)) goneAt = Date.now();
    const found = await docker.listContainers({ all: true, filters: { label: [`fwprobe=${runId}`] } }).catch(() => []);
    await Promise.allSettled(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
    if (goneAt !== null && Date.now() - goneAt > GRACE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [runId, pid] = process.argv.slice(2);
  if (runId !== undefined && RUN_ID.test(runId) && /^\d+$/.test(pid ?? '')) await reap(runId, Number(pid));
}
