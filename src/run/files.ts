/**
 * Scenario files in, results out: each file loaded and run, many files side by side with a limiter, each lab
 * removed off the critical path. A file that does not load is a result with status `error`, so one bad file
 * never stops the others.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { isStopping } from '../lab/cleanup.ts';
import { emptyResult, errorFields, type ScenarioResult } from '../report/result.ts';
import { loadScenario } from '../scenario/load.ts';
import { createLimiter } from './limiter.ts';
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

export interface RunManyOptions extends RunScenarioOptions {
  /**
   * Scenarios running at once, each in its own containers and network. Must be ≥ 1.
   * @default the number of CPUs
   */
  concurrency?: number;
  /** Called as each scenario ends, with its index in `files`. */
  onResult?: (result: ScenarioResult, index: number) => void;
}

/**
 * Runs scenario files with bounded concurrency; results come back in the order of `files`. Each lab is
 * removed in the background once its result is final, and every removal has ended before this returns.
 */
export async function runScenarioFiles(files: readonly string[], options: RunManyOptions): Promise<ScenarioResult[]> {
  return runMany(files, (file, o) => runScenarioFile(file, o), (file) => relative(process.cwd(), file), options);
}

/** Like runScenarioFiles, for scenarios already loaded (the benchmark, `defineScenario` users). */
export async function runScenarios(scenarios: readonly Scenario[], options: RunManyOptions): Promise<ScenarioResult[]> {
  return runMany(scenarios, (scenario, o) => runScenario(scenario, o), (scenario) => scenario.name, options);
}

async function runMany<T>(
  items: readonly T[],
  run: (item: T, options: RunScenarioOptions) => Promise<ScenarioResult>,
  nameOf: (item: T) => string,
  options: RunManyOptions,
): Promise<ScenarioResult[]> {
  const limit = createLimiter(options.concurrency ?? availableParallelism());
  const removals: Promise<void>[] = [];
  const failed = new Map<number, Error>();
  const results = await Promise.all(
    items.map((item, index) =>
      limit(async () => {
        // After Ctrl-C the queue drains without starting anything: the signal handler is removing the labs.
        const onTeardown = (removal: Promise<Error | undefined>) => {
          removals.push(removal.then((error) => void (error && failed.set(index, error))));
        };
        const result = isStopping() ? interruptedResult(nameOf(item)) : await run(item, { ...options, onTeardown });
        options.onResult?.(result, index);
        return result;
      }),
    ),
  );
  await Promise.all(removals);
  // A lab that could not be removed is a leak on the user's machine: its scenario ends in error after all.
  for (const [index, error] of failed) Object.assign(results[index]!, errorFields(error));
  return results;
}

function interruptedResult(path: string): ScenarioResult {
  return { ...emptyResult(path, path), error: 'interrupted before it started', errorCode: 'INTERRUPTED' };
}

function loadErrorResult(file: string, error: unknown): ScenarioResult {
  const path = relative(process.cwd(), file);
  return { ...emptyResult(path, path), ...errorFields(error) };
}
