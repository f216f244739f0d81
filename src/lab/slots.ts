/**
 * At most N labs at once on this machine, across processes. A vitest run spreads scenario files over
 * several workers, each with its own in-process limiter, and a user's CI may run two fwprobe commands side
 * by side: on a 2-core runner twenty labs at once starve each other until Docker execs miss their bounds
 * and a verdict becomes an error. A slot is a file created exclusively in one folder; a slot whose owner
 * process is gone is taken over, so a killed run never blocks the next one.
 */
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStopping } from './cleanup.ts';

/** The environment variable that sets how many labs may run at once on this machine. */
export const LABS_ENV = 'FWPROBE_LABS';

/** Frees a slot; calling it twice is harmless. */
export type ReleaseSlot = () => Promise<void>;

export interface LabSlotOptions {
  /** Labs at once on this machine, across processes; `Infinity` takes no slot. @default `FWPROBE_LABS`, else 2 × the CPUs (at least 2) */
  max?: number;
  /** The folder holding the slot files. @default `<tmpdir>/fwprobe-lab-slots` */
  dir?: string;
  /** Stops waiting: the returned release then holds no slot. @default never */
  signal?: AbortSignal;
}

/** The machine-wide lab limit: `FWPROBE_LABS` when it is a whole number ≥ 1, else 2 × CPUs, at least 2. */
export function labLimit(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[LABS_ENV]);
  if (Number.isInteger(set) && set >= 1) return set;
  return Math.max(2, availableParallelism() * 2);
}

/** Waits for a free slot and returns its release. Gives up waiting (a no-op release) once SIGINT/SIGTERM arrived or `signal` aborts. */
export async function acquireLabSlot(options: LabSlotOptions = {}): Promise<ReleaseSlot> {
  const max = options.max ?? labLimit();
  // No limit asked for: no slot to wait for (a caller that bounds its labs itself, or a test without Docker).
  if (max === Infinity) return async () => undefined;
  const dir = options.dir ?? join(tmpdir(), 'fwprobe-lab-slots');
  await mkdir(dir, { recursive: true, mode: 0o1777 });
  for (let wait = 20; !isStopping() && !options.signal?.aborted; wait = Math.min(wait * 2, 250)) {
    for (let i = 0; i < max; i++) {
      const path = join(dir, `slot-${i}`);
      if (await take(path)) return once(() => unlink(path).catch(() => undefined));
    }
    // Jittered, so processes waiting on the same folder do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * wait));
  }
  return async () => undefined;
}

/** Creates the slot file with this process's pid; a slot left by a dead process is removed and retried once. */
async function take(path: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await ownerGone(path))) return false;
      await unlink(path).catch(() => undefined);
    }
  }
  return false;
}

/**
 * Whether the process named in a claim file (its pid) has exited, or the claim stayed empty for 10 s (its writer
 * was killed while writing it). Shared with the test runs' own claims (test/scenarios/shared-runs.ts).
 */
export async function ownerGone(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text);
  // An empty file is a slot being written this instant, unless it has stayed empty (its writer was killed).
  if (!Number.isInteger(pid) || pid <= 0) {
    const since = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return since > 10_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function once(release: () => Promise<unknown>): ReleaseSlot {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    await release();
  };
}
