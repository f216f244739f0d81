import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { isStopping } from '../lab/cleanup.ts';
import { emptyResult, errorFields, type ScenarioResult } from '../result.ts';
import { loadScenario } from './load.ts';
import { runScenario, type RunScenarioOptions } from './run.ts';

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
  /** Called as each scenario ends. */
  onResult?: (result: ScenarioResult) => void;
}

/** Runs scenario files with bounded concurrency; results come back in the order of `files`. */
export async function runScenarioFiles(files: readonly string[], options: RunManyOptions): Promise<ScenarioResult[]> {
  const limit = createLimiter(options.concurrency ?? availableParallelism());
  return Promise.all(
    files.map((file) =>
      limit(async () => {
        // After Ctrl-C the queue drains without starting anything: the signal handler is removing the labs.
        const result = isStopping() ? interruptedResult(file) : await runScenarioFile(file, options);
        options.onResult?.(result);
        return result;
      }),
    ),
  );
}

/** Runs at most `concurrency` (≥ 1) tasks at once, in the order they were given. */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, Math.floor(concurrency));
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    running--;
    queue.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = () => {
        running++;
        task().then(resolve, reject).finally(release);
      };
      if (running < max) start();
      else queue.push(start);
    });
}

function interruptedResult(file: string): ScenarioResult {
  const path = relative(process.cwd(), file);
  return { ...emptyResult(path, path), error: 'interrupted before it started', errorCode: 'INTERRUPTED' };
}

function loadErrorResult(file: string, error: unknown): ScenarioResult {
  const path = relative(process.cwd(), file);
  return { ...emptyResult(path, path), ...errorFields(error) };
}
