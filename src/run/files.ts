/**
 * Scenario files in, results out: each file loaded and run, many files side by side with a limiter. A file
 * that does not load is a result with status `error`, so one bad file never stops the others.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { isStopping } from '../lab/cleanup.ts';
import { emptyResult, errorFields, type ScenarioResult } from '../report/result.ts';
import { loadScenario } from '../scenario/load.ts';
import { createLimiter } from './limiter.ts';
import { runScenario, type RunScenarioOptions } from './scenario.ts';

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

/** Runs scenario files with bounded concurrency; results come back in the order of `files`. */
export async function runScenarioFiles(files: readonly string[], options: RunManyOptions): Promise<ScenarioResult[]> {
  const limit = createLimiter(options.concurrency ?? availableParallelism());
  return Promise.all(
    files.map((file, index) =>
      limit(async () => {
        // After Ctrl-C the queue drains without starting anything: the signal handler is removing the labs.
        const result = isStopping() ? interruptedResult(file) : await runScenarioFile(file, options);
        options.onResult?.(result, index);
        return result;
      }),
    ),
  );
}

function interruptedResult(file: string): ScenarioResult {
  const path = relative(process.cwd(), file);
  return { ...emptyResult(path, path), error: 'interrupted before it started', errorCode: 'INTERRUPTED' };
}

function loadErrorResult(file: string, error: unknown): ScenarioResult {
  const path = relative(process.cwd(), file);
  return { ...emptyResult(path, path), ...errorFields(error) };
}
