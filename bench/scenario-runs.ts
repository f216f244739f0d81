/**
 * Sections 1, 3 and 4: whole scenarios through fwprobe's own runner, timed from outside (wall clock,
 * including lab teardown) and from inside (`ScenarioResult.phases`, `.scans`, `.durationMs`).
 */
import type { ScenarioResult } from '../src/report/result.ts';
import { runScenario } from '../src/run/scenario.ts';
import { runScenarios } from '../src/run/files.ts';
import type { Scenario } from '../src/model/scenario.ts';
import { timed } from './measure.ts';

export interface TimedRun {
  /** runScenario from call to return, when the result is final: lab up, scans, verdict. */
  wallMs: number;
  /** The lab's removal after that, off the critical path (awaited before the next run starts). */
  teardownMs: number;
  result: ScenarioResult;
}

export interface PhaseBreakdown {
  /** `ScenarioResult.phases`, in order, plus the two the runner does not name. */
  phases: { name: string; ms: number }[];
  scans: { label: string; ms: number }[];
}

export async function runTimed(scenario: Scenario, image: string): Promise<TimedRun> {
  let removal: Promise<Error | undefined> = Promise.resolve(undefined);
  const { value: result, ms } = await timed(() => runScenario(scenario, { image, onTeardown: (r) => void (removal = r) }));
  // Removed before the next run starts, so that runs never overlap; a removal that failed is an error.
  const { value: failure, ms: teardownMs } = await timed(() => removal);
  if (failure) throw failure;
  return { wallMs: ms, teardownMs, result };
}

/**
 * The runner's phases (teardown included), plus `verdict` (durationMs minus the named phases: judging and
 * formatting, the only work left after the scans) and `other` (wall minus durationMs: the call's own
 * overhead).
 */
export function breakdown(run: TimedRun): PhaseBreakdown {
  const named = run.result.phases.reduce((sum, p) => sum + p.ms, 0);
  return {
    phases: [
      ...run.result.phases,
      { name: 'verdict', ms: run.result.durationMs - named },
      { name: 'other', ms: run.wallMs - run.result.durationMs },
      { name: 'teardown (after the result, off the critical path)', ms: run.teardownMs },
    ],
    scans: run.result.scans.map((s) => ({ label: `${s.vantage} ${s.family} ${s.protocol} ${s.target}`, ms: s.ms })),
  };
}

/**
 * The same scenarios one by one, then all at once, through the runner `fwprobe run` uses (labs removed off
 * the critical path, every removal ended before the batch counts as done).
 */
export async function serialVsConcurrent(
  scenarios: readonly Scenario[],
  image: string,
): Promise<{ serialMs: number; concurrentMs: number; results: ScenarioResult[] }> {
  const serial = await timed(() => runScenarios(scenarios, { image, concurrency: 1 }));
  const concurrent = await timed(() => runScenarios(scenarios, { image, concurrency: scenarios.length }));
  return { serialMs: serial.ms, concurrentMs: concurrent.ms, results: [...serial.value, ...concurrent.value] };
}
