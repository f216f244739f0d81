/**
 * `fwprobe/vitest`: a user's own `npm test` runs their scenarios. Two lines in a test file,
 *
 *   import { scenarioTests } from 'fwprobe/vitest';
 *   await scenarioTests(['scenarios']);
 *
 * and every scenario file under those paths becomes a describe block named by the scenario's `name` and
 * its path: one test that the lab, ruleset and scans really ran, one per vantage × family the scenario
 * expects something of (a failure lists only that slice's ports, each with the rule that decided it, and
 * points at the scenario file's line), and one for parity and coverage. Results reach the reporter in
 * `fwprobe/vitest-reporter` (results.json, junit.xml, summary.md, index.html, fwprobe.sarif).
 */
import { relative } from 'node:path';
import { afterAll, test } from 'vitest';
import type { Bounds } from '../model/bounds.ts';
import { TimeoutError } from '../model/errors.ts';
import type { ScenarioResult } from '../report/result.ts';
import { prepareEngine, removeEverything } from '../run/engine.ts';
import { runScenarioFiles } from '../run/files.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { describeScenario } from './describe-scenario.ts';
import { scenarioFailure } from './failure.ts';
import { declaredSlices } from './slices.ts';
// Brings the reporter's declaration of `task.meta.fwprobe` into the user's program.
import type {} from '../report/vitest-reporter.ts';

export interface ScenarioTestsOptions {
  /** The target image; built (or found) once when not given. @default built from fwprobe's containers/ */
  image?: string;
  /** Scenarios running at once in this process (labs are limited machine-wide too: `FWPROBE_LABS`). @default the number of CPUs */
  concurrency?: number;
  /** Labs started ahead of a free slot, as runScenarioFiles' `ahead`. @default 1 */
  ahead?: number;
  /** Step bounds, as `fwprobe run --bound`. @default DEFAULT_BOUNDS */
  bounds?: Partial<Bounds>;
  /**
   * How long one scenario may take, waiting for a lab slot included, before its tests fail with a timeout
   * that names this option. Set here, so a vitest config needs no `hookTimeout`. @default 1_800_000 (30 min)
   */
  timeoutMs?: number;
}

/** @default 30 minutes: a lab takes about a minute, and may wait behind the others for a slot. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
/** The cleanup at the end. */
const TEST_TIMEOUT_MS = 60_000;

/** Declares the tests of every scenario under `paths`; call it at the top level of a test file. */
export async function scenarioTests(paths: readonly string[], options: ScenarioTestsOptions = {}): Promise<void> {
  const files = await discoverScenarioFiles(paths);
  if (files.length === 0) {
    test(`scenarios under ${paths.join(', ')}`, () => {
      throw scenarioFailure(`no *.scenario.yaml or *.scenario.ts under ${paths.join(', ')}`, paths[0] ?? '.', { line: 1, column: 1 }, 'scenarioTests');
    });
    return;
  }
  // Every scenario starts as soon as the limiter lets it, each in its own lab; each describe block below
  // only waits for its own.
  const image = options.image ?? (await prepareEngine({ startEngine: true }));
  const waiting = files.map(() => settleable<ScenarioResult>());
  runScenarioFiles(files, {
    image,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.ahead === undefined ? {} : { ahead: options.ahead }),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    onResult: (result, i) => waiting[i]!.resolve(result),
  }).catch((error: unknown) => waiting.forEach((w) => w.reject(error)));
  if (!options.image) afterAll(() => removeEverything(), TEST_TIMEOUT_MS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const [i, file] of files.entries()) {
    describeScenario(await declaredSlices(relative(process.cwd(), file)), () => withTimeout(waiting[i]!.promise, timeoutMs, relative(process.cwd(), file)));
  }
}

/** The scenario's result, or a timeout that names fwprobe's option (never vitest's generic hook timeout). */
function withTimeout(promise: Promise<ScenarioResult>, ms: number, file: string): Promise<ScenarioResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`fwprobe: scenario ${file} (waiting for a lab included)`, ms, 'scenarioTests(paths, { timeoutMs })')), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve and reject at hand (Node 20 has no Promise.withResolvers). */
function settleable<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // A run that fails before a describe block awaits it must not be an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
