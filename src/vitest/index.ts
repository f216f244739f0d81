/**
 * `fwprobe/vitest`: a user's own `npm test` runs their scenarios. Two lines in a test file,
 *
 *   import { scenarioTests } from 'fwprobe/vitest';
 *   await scenarioTests(['scenarios']);
 *
 * and every scenario file under those paths becomes a describe block named by its path: one test that the
 * lab, ruleset and scans really ran, one per vantage × family with that slice's problems (as data, shown
 * once as the readable diff), and one for parity and coverage. Results reach the reporter in
 * `fwprobe/vitest-reporter` (results.json, junit.xml, summary.md).
 */
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bounds } from '../model/bounds.ts';
import { DEFAULT_VANTAGES, FAMILIES, type Family, type Vantage } from '../model/observation.ts';
import { loadScenario } from '../scenario/load.ts';
import type { ScenarioResult } from '../report/result.ts';
import { formatVerdictText } from '../report/verdict-text.ts';
import { prepareEngine, removeEverything } from '../run/engine.ts';
import { runScenarioFiles } from '../run/files.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
// Brings the reporter's declaration of `task.meta.fwprobe` into the user's program.
import type {} from '../report/vitest-reporter.ts';

export interface ScenarioTestsOptions {
  /** The target image; built (or found) once when not given. @default built from fwprobe's containers/ */
  image?: string;
  /** Scenarios running at once in this process (labs are limited machine-wide too: `FWPROBE_LABS`). @default the number of CPUs */
  concurrency?: number;
  /** Step bounds, as `fwprobe run --bound`. @default DEFAULT_BOUNDS */
  bounds?: Partial<Bounds>;
}

/** Declares the tests of every scenario under `paths`; call it at the top level of a test file. */
export async function scenarioTests(paths: readonly string[], options: ScenarioTestsOptions = {}): Promise<void> {
  const files = await discoverScenarioFiles(paths);
  test(`scenarios under ${paths.join(', ')} were found`, () => {
    expect(files.length, `no *.scenario.yaml or *.scenario.ts under ${paths.join(', ')}`).toBeGreaterThan(0);
  });
  // Every scenario starts as soon as the limiter lets it, each in its own lab; each describe block below
  // only waits for its own.
  const image = options.image ?? (await prepareEngine());
  // The runner fwprobe run uses: each result arrives final (its lab removed), while the next scenario
  // already has the slot.
  const waiting = files.map(() => settleable<ScenarioResult>());
  const runs = new Map(files.map((file, i) => [file, waiting[i]!.promise]));
  runScenarioFiles(files, {
    image,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    onResult: (result, i) => waiting[i]!.resolve(result),
  }).catch((error: unknown) => waiting.forEach((w) => w.reject(error)));
  if (!options.image) afterAll(() => removeEverything());
  for (const file of files) describeScenario(relative(process.cwd(), file), await vantagesOf(file), () => runs.get(file)!);
}

/** The scenario's vantages, for naming its tests; a file that does not load is reported by its run. */
async function vantagesOf(file: string): Promise<readonly Vantage[]> {
  try {
    return (await loadScenario(file)).vantages;
  } catch {
    return DEFAULT_VANTAGES;
  }
}

function describeScenario(name: string, vantages: readonly Vantage[], run: () => Promise<ScenarioResult>): void {
  describe(name, () => {
    let result: ScenarioResult;
    beforeAll(async () => {
      result = await run();
    });

    // The verdict as text, rendered from the structured verdict for assertion messages.
    const why = () => formatVerdictText(result);
    test('lab, ruleset and scans ran', ({ task }) => {
      task.meta.fwprobe = result;
      expect(result.status, why()).not.toBe('error');
      expect(result.scans.length, 'no scan ran').toBeGreaterThan(0);
    });

    for (const vantage of vantages) {
      for (const family of FAMILIES) {
        test(`${vantage} ${family}`, ({ skip }) => {
          if (result.status === 'error') skip(`scenario error: ${result.errorCode}`);
          if (!result.scans.some((s) => s.vantage === vantage && s.family === family)) skip(`the scenario does not scan ${vantage} ${family}`);
          expect(sliceProblems(result, vantage, family), why()).toEqual([]);
        });
      }
    }

    test('verdict (parity and coverage included)', ({ skip }) => {
      if (result.status === 'error') skip(`scenario error: ${result.errorCode}`);
      const gaps = result.verdict?.parityMode === 'strict' ? result.verdict.parity.filter((f) => f.excusedBy === null) : [];
      expect(gaps, why()).toEqual([]);
      expect(result.verdict?.unverified, why()).toEqual([]);
      expect(result.verdict?.passed, why()).toBe(true);
      expect(result.status).toBe('passed');
    });
  });
}

/** The verdict's problems in one vantage × family, as data: a change of wording cannot hide one. */
function sliceProblems(result: ScenarioResult, vantage: Vantage, family: Family): unknown[] {
  const verdict = result.verdict;
  if (!verdict) return [`no verdict was taken (status ${result.status})`];
  const inSlice = (p: { vantage: Vantage; family: Family }) => p.vantage === vantage && p.family === family;
  return [...verdict.mismatches, ...verdict.missing, ...verdict.othersMismatches].filter(inSlice);
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
