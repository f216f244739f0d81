/**
 * One lab per scenario and options in a whole `vitest run`: library.test.ts runs every library scenario,
 * and attribution, nftables, topology and send-failures assert other things about some of the same ones.
 * Test files run in separate worker processes, so the first to ask for a scenario runs it and writes its
 * result to the run's folder (global-setup.ts); the others wait for that file and read it. A runner that
 * dies or is stopped mid-run leaves its claim to the next one asking, and a file run on its own runs what
 * it needs itself.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import type { Scenario } from '../../src/model/scenario.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import type { RunScenarioOptions } from '../../src/run/scenario.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { ownerGone } from '../../src/lab/slots.ts';

type Run = (scenario: Scenario, options: RunScenarioOptions) => Promise<ScenarioResult>;

/** Runs in this process, by key: a second caller here waits on the same promise, not on the folder. */
const inProcess = new Map<string, Promise<ScenarioResult>>();

/**
 * `run` (runScenario), shared across the run's test files for the same scenario and the same options that
 * change a result. Each caller's `onRemoving` is called once the result is there (the runner's own by
 * the run itself), so a limiter that frees its slot there is never held.
 */
export function sharedRuns(run: Run): Run {
  return async (scenario, options) => {
    const key = keyOf(scenario, options);
    const first = inProcess.get(key);
    if (first) {
      const result = await first;
      options.onRemoving?.();
      return result;
    }
    let ranHere = false;
    const pending = once(key, () => {
      ranHere = true;
      return run(scenario, options);
    });
    inProcess.set(key, pending);
    const result = await pending;
    if (!ranHere) options.onRemoving?.();
    return result;
  };
}

/** A library scenario file through the shared runs, with the options library.test.ts runs it with. */
export async function sharedRunFile(file: string, run: Run, options: RunScenarioOptions): Promise<ScenarioResult> {
  return sharedRuns(run)(await loadScenario(file), options);
}

/**
 * The scenario as loaded (its file's path made absolute, its texts included) and every option that can
 * change a result, defaults filled in: a run with `attribution: true` is the run with it unset.
 */
function keyOf(scenario: Scenario, options: RunScenarioOptions): string {
  const { image, timing = 'lab', bounds = {}, attribution = true, countFrom = 256 } = options;
  const text = JSON.stringify({ scenario: { ...scenario, file: resolve(scenario.file) }, image, timing, bounds, attribution, countFrom });
  return createHash('sha256').update(text).digest('hex');
}

/** Runs `work` here if no other process has claimed `key`, else waits for that process's result. */
async function once(key: string, work: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  const dir = inject('fwprobeRuns');
  const done = join(dir, `${key}.json`);
  const claim = join(dir, `${key}.claim`);
  for (;;) {
    const finished = await readResult(done);
    if (finished) return finished;
    if (await take(claim)) {
      try {
        // Finished and released between the read above and the claim: its result, not a second lab.
        const late = await readResult(done);
        if (late) return late;
        const result = await work();
        // A run cut short because this process is being stopped (a file that timed out, Ctrl-C) is no
        // reading of the scenario: not handed to the others, who then run it themselves.
        if (result.errorCode === 'INTERRUPTED') return result;
        await writeFile(`${done}.${process.pid}`, JSON.stringify(result));
        await rename(`${done}.${process.pid}`, done);
        return result;
      } finally {
        await unlink(claim).catch(() => undefined);
      }
    }
    if (await ownerGone(claim)) await unlink(claim).catch(() => undefined);
    await new Promise((wake) => setTimeout(wake, 200 + Math.random() * 200));
  }
}

async function readResult(path: string): Promise<ScenarioResult | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as ScenarioResult);
}

async function take(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
