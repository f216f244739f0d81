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
  /** runScenario from call until only the lab's removal remained: lab up, scans, verdict. */
  wallMs: number;
  /** The lab's removal after that (runScenario returns once it has ended; the runner frees the slot before). */
  teardownMs: number;
  result: ScenarioResult;
}

export interface PhaseBreakdown {
  /** `ScenarioResult.phases`, in order, plus the two the runner does not name. */
  phases: { name: string; ms: number }[];
  scans: { label: string; ms: number }[];
}

export async function runTimed(scenario: Scenario, image: string): Promise<TimedRun> {
  const t0 = Date.now();
  let removing = 0;
  const result = await runScenario(scenario, { image, onRemoving: () => void (removing = Date.now()) });
  // A removal that failed is an error (the result carries it).
  if (result.errorCode === 'LAB_CLEANUP_FAILED') throw new Error(result.error);
  return { wallMs: removing - t0, teardownMs: Date.now() - removing, result };
}

/**
 * The runner's phases (teardown included: the slot is freed before it, the result waits for it), plus `verdict` (durationMs minus the named phases: judging and
 * formatting, the only work left after the scans) and `other` (wall minus durationMs: the call's own
 * overhead).
 */
export function breakdown(run: TimedRun): PhaseBreakdown {
  const named = run.result.phases.reduce((sum, p) => sum + p.ms, 0);
  return {
    phases: [...run.result.phases, { name: 'verdict', ms: run.result.durationMs - named }, { name: 'other', ms: run.wallMs + run.teardownMs - run.result.durationMs }],
    scans: run.result.scans.map((s) => ({ label: `${s.vantage} ${s.family} ${s.protocol} ${s.target}`, ms: s.ms })),
  };
}

/**
 * The same scenarios one by one, then all at once, through the runner `fwprobe run` uses (labs removed off
 * the critical path, every removal ended before the batch counts as done).
 */
export async function serialVsConcurrent(scenarios: readonly Scenario[], image: string): Promise<{ serialMs: number; concurrentMs: number; results: ScenarioResult[] }> {
  const serial = await timed(() => runScenarios(scenarios, { image, concurrency: 1 }));
  const concurrent = await timed(() => runScenarios(scenarios, { image, concurrency: scenarios.length }));
  return { serialMs: serial.ms, concurrentMs: concurrent.ms, results: [...serial.value, ...concurrent.value] };
}
