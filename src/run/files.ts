/**
 * Scenario files in, results out: each file loaded and run, many files side by side. `concurrency`
 * scenarios probe and scan at once; up to `ahead` more start their labs meanwhile (containers, wiring,
 * services: mostly waiting on the engine) and wait, lab ready, for a slot. A scenario frees its slots as
 * soon as only its lab's removal remains, but its result is handed out only once that removal has ended:
 * final, never changed afterwards. A file that does not load is a result with status `error`, so one bad
 * file never stops the others.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { isStopping } from '../lab/cleanup.ts';
import { emptyResult, errorFields, type ScenarioResult } from '../report/result.ts';
import { loadScenario } from '../scenario/load.ts';
import { acquireSlot, createLimiter } from './limiter.ts';
import { runScenario, type RunScenarioOptions } from './scenario.ts';
import type { Scenario } from '../model/scenario.ts';

/**
 * Loads and runs one scenario file. A file that does not load becomes a result with status `error`
 * (path, field, what to do), so that one bad file never stops the others. Shared by `fwprobe run` and the
 * vitest integration.
 */
export async function runScenarioFile(file: string, options: RunScenarioOptions): Promise<ScenarioResult> {
  let scenario;
  try {
    scenario = await loadScenario(file);
  } catch (error) {
    return loadErrorResult(file, error);
  }
  return runScenario(scenario, options);
}

/** The runner frees a scenario's slots at its `onRemoving` and `onLabReady` itself: those are not the caller's. */
export interface RunManyOptions extends Omit<RunScenarioOptions, 'onRemoving' | 'onLabReady'> {
  /**
   * Scenarios probing and scanning at once, each in its own containers and network. Must be ≥ 1.
   * @default the number of CPUs (labs are limited machine-wide too: `FWPROBE_LABS`)
   */
  concurrency?: number;
  /**
   * Labs started ahead: scenarios beyond `concurrency` whose containers, wiring and services start while
   * the others scan, and which wait, ready, for a scan slot. 0 starts each lab only when a slot is free.
   * @default 1
   */
  ahead?: number;
  /** Called once per scenario with its final result (its lab removed), and its index in `files`. */
  onResult?: (result: ScenarioResult, index: number) => void;
}

/**
 * Runs scenario files with bounded concurrency; results come back in the order of `files`, each final: its
 * lab's removal has ended (a failed removal is the result's error) before `onResult` or the caller sees it.
 */
export async function runScenarioFiles(files: readonly string[], options: RunManyOptions): Promise<ScenarioResult[]> {
  return runMany(
    files,
    (file, o) => runScenarioFile(file, o),
    (file) => relative(process.cwd(), file),
    options,
  );
}

/** Like runScenarioFiles, for scenarios already loaded (the benchmark, `defineScenario` users). */
export async function runScenarios(scenarios: readonly Scenario[], options: RunManyOptions): Promise<ScenarioResult[]> {
  return runMany(
    scenarios,
    (scenario, o) => runScenario(scenario, o),
    (scenario) => scenario.name,
    options,
  );
}

async function runMany<T>(
  items: readonly T[],
  run: (item: T, options: RunScenarioOptions) => Promise<ScenarioResult>,
  nameOf: (item: T) => string,
  options: RunManyOptions,
): Promise<ScenarioResult[]> {
  const { concurrency: asked, ahead: askedAhead, onResult, ...scenarioOptions } = options;
  const concurrency = Math.max(1, Math.floor(asked ?? availableParallelism()));
  const ahead = Math.max(0, Math.floor(askedAhead ?? 1));
  // A lab slot is held from the start to the removal; a scan slot from the lab being ready to the removal.
  const labs = createLimiter(concurrency + ahead);
  const scanning = createLimiter(concurrency);
  return Promise.all(
    items.map(async (item, index) => {
      const releaseLab = await acquireSlot(labs);
      let releaseScan = () => {};
      const onLabReady = async () => {
        releaseScan = await acquireSlot(scanning);
      };
      const onRemoving = () => {
        releaseScan();
        releaseLab();
      };
      // After Ctrl-C the queue drains without starting anything: the signal handler is removing the labs.
      const result = await (isStopping() ? Promise.resolve(interruptedResult(nameOf(item))) : run(item, { ...scenarioOptions, onRemoving, onLabReady })).finally(onRemoving);
      onResult?.(result, index);
      return result;
    }),
  );
}

function interruptedResult(path: string): ScenarioResult {
  return { ...emptyResult(path, path), error: 'interrupted before it started', errorCode: 'INTERRUPTED' };
}

function loadErrorResult(file: string, error: unknown): ScenarioResult {
  const path = relative(process.cwd(), file);
  return { ...emptyResult(path, path), ...errorFields(error) };
}
