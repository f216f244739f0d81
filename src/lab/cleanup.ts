/**
 * Everything a run creates is labelled and tracked, removed at the end, on failure and on Ctrl-C; runs
 * killed outright are swept by the next one.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { getDocker, isNotFound } from './docker.ts';
import { InterruptedError } from '../model/errors.ts';
import { isAlive } from './pid.ts';
import { startReaper } from './reaper.ts';

/** The label every container fwprobe creates carries (and the Docker networks older versions made); its value is the run id. */
export const LABEL = 'fwprobe';
const LABEL_PID = 'fwprobe.pid';
const LABEL_HOST = 'fwprobe.host';
/** Resources of a run older than this are stale even if a process with their pid happens to exist. */
const STALE_AFTER_MS = 6 * 60 * 60_000;

/** Identifies this process's run: labels carry it, and the sweep uses it to tell live runs from dead ones. */
export const RUN_ID = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

const containers = new Set<string>();
/** Set once a signal arrived: nothing new may start, and whatever gets created is removed at once. */
let stopping = false;
/** Container creations in flight, which a signal handler must wait for. */
let creating = 0;
const STOP_DEADLINE_MS = 15_000;

/** Labels for anything this run creates. */
export function runLabels(): Record<string, string> {
  return { [LABEL]: RUN_ID, [LABEL_PID]: String(process.pid), [LABEL_HOST]: hostname() };
}

export function trackContainer(id: string): void {
  // Whatever process creates a container guards it: a vitest worker given its image never called
  // prepareEngine, and a Ctrl-C there left every lab it held running.
  installSignalCleanup();
  containers.add(id);
  if (stopping) void removeContainer(id).catch(() => {});
}

/** True once SIGINT/SIGTERM arrived: runners must start nothing new. */
export function isStopping(): boolean {
  return stopping;
}

/**
 * Wraps the creation of a container, so that a signal handler knows to wait for it: a create
 * call still in flight when the signal arrives would otherwise finish after the cleanup and leak.
 */
export async function creation<T>(create: () => Promise<T>): Promise<T> {
  if (stopping) throw new InterruptedError('fwprobe is stopping (SIGINT/SIGTERM): not creating anything new');
  creating++;
  try {
    return await create();
  } finally {
    creating--;
  }
}

export async function removeContainer(id: string): Promise<void> {
  try {
    await getDocker().getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    if (!isNotFound(error) && !isRemovalInProgress(error)) throw error;
  }
  containers.delete(id);
}

export async function removeNetwork(id: string): Promise<void> {
  try {
    await getDocker().getNetwork(id).remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Removes every container this process created and has not removed yet. */
export async function removeAllTracked(): Promise<void> {
  await Promise.allSettled([...containers].map(removeContainer));
}

/**
 * Removes `fwprobe` containers and networks left by runs that are gone (killed, Ctrl-C before cleanup
 * finished). A run counts as gone when it ran on this host and its pid is no longer alive, or when it is
 * older than six hours. Resources of runs still alive on this or another host are left alone.
 * @returns how many containers and networks were removed.
 */
export async function sweepStale(): Promise<{ containers: number; networks: number }> {
  const docker = getDocker();
  const filters = { label: [LABEL] };
  const staleContainers = (await docker.listContainers({ all: true, filters })).filter((c) => isStale(c.Labels, c.Created * 1000));
  await Promise.allSettled(staleContainers.map((c) => removeContainer(c.Id)));
  // Lab networks are wired inside the containers now; labelled Docker networks are what older versions left.
  const staleNetworks = (await docker.listNetworks({ filters })).filter((n) => isStale(n.Labels ?? {}, Date.parse(n.Created ?? '') || 0));
  await Promise.allSettled(staleNetworks.map((n) => removeNetwork(n.Id)));
  return { containers: staleContainers.length, networks: staleNetworks.length };
}

function isStale(labels: Record<string, string>, createdMs: number): boolean {
  if (labels[LABEL] === RUN_ID) return false;
  if (Date.now() - createdMs > STALE_AFTER_MS) return true;
  if (labels[LABEL_HOST] !== hostname()) return false;
  const pid = Number(labels[LABEL_PID]);
  return !Number.isInteger(pid) || !isAlive(pid);
}

function isRemovalInProgress(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 409;
}

let signalsInstalled = false;

/**
 * On SIGINT / SIGTERM: start nothing new, wait for creations in flight, and remove every container
 * labelled with this run's id (tracked or not), then exit with 130 / 143. Whatever a second signal
 * or a SIGKILL leaves behind is taken by the next run's `sweepStale()`.
 */
export function installSignalCleanup(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  // A vitest worker whose main process went away (Ctrl-C) is ended with process.exit, no signal: what it
  // still holds is left to a reaper, started synchronously here (a normal run has removed everything).
  process.on('exit', () => {
    if (containers.size + creating > 0) startReaper(RUN_ID);
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      // vitest stops its worker processes with SIGTERM at the end of every normal run, after each file's
      // afterAll removed its labs: in a worker, the message is for a signal that interrupts work.
      const work = containers.size + creating;
      // Under vitest the worker may be killed before this cleanup finishes: a detached reaper finishes it.
      if (work > 0) startReaper(RUN_ID);
      if (work > 0 || process.env['VITEST_WORKER_ID'] === undefined) process.stderr.write(`\nfwprobe: ${signal}: removing this run's containers…\n`);
      void stopAndRemoveEverything().finally(() => process.exit(code));
    });
  }
}

async function stopAndRemoveEverything(): Promise<void> {
  stopping = true;
  const deadline = Date.now() + STOP_DEADLINE_MS;
  for (;;) {
    await removeAllTracked();
    const left = await removeLabelled();
    if ((left === 0 && creating === 0) || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Removes what carries this run's label, tracked or not; returns how many it found. */
async function removeLabelled(): Promise<number> {
  const docker = getDocker();
  const filters = { label: [`${LABEL}=${RUN_ID}`] };
  const found = await docker.listContainers({ all: true, filters });
  await Promise.allSettled(found.map((c) => removeContainer(c.Id)));
  return found.length;
}
