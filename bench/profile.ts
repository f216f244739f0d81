/**
 * `npm run bench -- --profile`: where each millisecond of one 4-port scenario went. Every container round
 * trip (exec, batch, copy) is timed and filed under the phase that was running when it started, so a
 * phase's time splits into round trips (and the gaps between them: node's own work, waiting on another
 * container, a container's start). Timing wraps `StartedFwprobeContainer.prototype` in this process only;
 * behaviour is unchanged.
 */
import { cpus, loadavg } from 'node:os';
import { installSignalCleanup, removeAllTracked, sweepStale } from '../src/lab/cleanup.ts';
import { StartedFwprobeContainer } from '../src/lab/container.ts';
import { ensureTargetImage } from '../src/lab/image.ts';
import { runScenario } from '../src/run/scenario.ts';
import { median } from './measure.ts';
import { fourPortScenario } from './scenarios.ts';

/** One round trip: which phase started it, what it was, when (ms since the scenario started) and how long. */
export interface Trip {
  phase: string;
  what: string;
  at: number;
  ms: number;
}

export interface PhaseProfile {
  name: string;
  ms: number;
  share: number;
  trips: Trip[];
}

let current = '(outside)';
let origin = 0;
let trips: Trip[] | null = null;

/** Installs the timers once; they record only while `profileOnce` runs. */
function install(): void {
  const proto = StartedFwprobeContainer.prototype;
  const run = proto.run;
  proto.run = async function (this: StartedFwprobeContainer, ...args: Parameters<typeof run>) {
    const [command, options] = args;
    const what = options?.phase ?? command.slice(0, 3).join(' ');
    return record(what, () => run.apply(this, args));
  };
  // A batch goes to the agent in one request of its own (not through `run`): one round trip, timed as one.
  const batch = proto.runBatch;
  proto.runBatch = async function (this: StartedFwprobeContainer, ...args: Parameters<typeof batch>) {
    const [commands, options] = args;
    const what = options.phase ?? `a batch of ${commands.map((c) => c[0]).join(', ')}`;
    return record(what, () => batch.apply(this, args));
  };
  const copy = proto.copyContentToContainer;
  proto.copyContentToContainer = async function (this: StartedFwprobeContainer, ...args: Parameters<typeof copy>) {
    return record(`copy ${args[0].map((c) => c.target).join(', ')}`, () => copy.apply(this, args));
  };
}

async function record<T>(what: string, work: () => Promise<T>): Promise<T> {
  const phase = current;
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    trips?.push({ phase, what, at: t0 - origin, ms: Date.now() - t0 });
  }
}

let installed = false;

/** One run of the 4-port scenario with every round trip recorded. */
export async function profileOnce(image: string): Promise<{ wallMs: number; status: string; phases: PhaseProfile[] }> {
  if (!installed) install();
  installed = true;
  trips = [];
  origin = Date.now();
  current = '(outside)';
  const result = await runScenario(fourPortScenario('bench: profile'), { image, onPhase: (_s, phase) => void (current = phase) });
  const wallMs = Date.now() - origin;
  const all = trips;
  trips = null;
  const phases = result.phases.map((p) => ({ name: p.name, ms: p.ms, share: p.ms / wallMs, trips: all.filter((t) => t.phase === p.name) }));
  return { wallMs, status: result.status, phases };
}

/** The profile as text: a line per phase (ms, share, round trips), then each round trip under it. */
export function formatProfile(runs: readonly { wallMs: number; status: string; phases: PhaseProfile[] }[]): string {
  const run = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
  const lines = [`\nprofile: 4-port scenario, median of ${runs.length} (walls ${runs.map((r) => r.wallMs).join(', ')} ms), status ${run.status}`];
  const total = run.phases.reduce((n, p) => n + p.trips.length, 0);
  lines.push(`${total} commands in containers (each sent to the container's agent: one exec per container); median command ${median(run.phases.flatMap((p) => p.trips.map((t) => t.ms)))} ms`);
  for (const p of run.phases) {
    const across = runs.map((r) => r.phases.find((x) => x.name === p.name)?.ms ?? 0);
    lines.push(`${p.name.padEnd(14)} ${String(p.ms).padStart(6)} ms ${(100 * p.share).toFixed(1).padStart(5)}%  (median ${median(across)} ms)  ${p.trips.length} commands`);
    for (const t of p.trips) lines.push(`    +${String(t.at).padStart(6)} ${String(t.ms).padStart(6)} ms  ${t.what.slice(0, 110)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--profile`: a warm-up, then `runs` profiled runs; prints the median run's profile and the load. Returns the exit code. */
export async function profileMain(runs: number, log: (line: string) => void): Promise<number> {
  installSignalCleanup();
  try {
    await sweepStale();
    const image = await ensureTargetImage({ log });
    const loadBefore = loadavg();
    log('profile: warm-up run');
    await profileOnce(image);
    const done = [];
    for (let i = 0; i < runs; i++) {
      log(`profile: run ${i + 1}/${runs}`);
      done.push(await profileOnce(image));
    }
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    process.stdout.write(formatProfile(done));
    process.stdout.write(`load average at start ${load(loadBefore)}, at end ${load(loadavg())} on ${cpus().length} CPUs\n`);
    return 0;
  } catch (error) {
    log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await removeAllTracked();
  }
}
