/**
 * The runner's ordering without Docker: the lab is a fake whose removal the test controls, so these tests
 * see when a result is handed out relative to its lab's removal, and whether it changes afterwards.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ScenarioResult } from '../report/result.ts';
import { scenario } from '../verdict/fixtures.test-helpers.ts';
import { runScenarios } from './files.ts';

const fake = vi.hoisted(() => ({ started: [] as string[], removals: new Map<string, { fail: (e: Error) => void; done: () => void }>() }));
vi.mock('./lab-setup.ts', () => ({
  // The lab is "up" with one resource whose removal waits for the test; the scenario then stops, as a
  // scenario that errors mid-way does, so only the removal is left.
  startLab: async (s: { name: string }, _image: string, _bounds: unknown, lab: { use: (r: AsyncDisposable) => void }) => {
    fake.started.push(s.name);
    const removal = new Promise<void>((done, fail) => fake.removals.set(s.name, { done: () => done(), fail }));
    lab.use({ [Symbol.asyncDispose]: () => removal });
    throw new Error(`${s.name}: the fake lab stops here`);
  },
}));

const named = (name: string) => ({ ...scenario([]), name });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runScenarios: a result is handed out once, final', () => {
  it("waits for the lab's removal before onResult, folds its failure in, and never changes the result afterwards", async () => {
    fake.started = [];
    const handed: { index: number; result: ScenarioResult; snapshot: ScenarioResult }[] = [];
    const run = runScenarios([named('a'), named('b')], {
      image: 'fwprobe-target:test',
      concurrency: 1,
      // No lab started ahead: b starts only once a's slot is freed by its removal.
      ahead: 0,
      // The labs here are fakes: no machine-wide slot, which a real run elsewhere on this machine may hold.
      labs: Infinity,
      onResult: (result, index) => handed.push({ index, result, snapshot: structuredClone(result) }),
    });
    await vi.waitFor(() => expect(fake.removals.has('a')).toBe(true));
    // a's lab is being removed: its slot is free, so b starts, but a's result is not handed out yet.
    await vi.waitFor(() => expect(fake.started).toEqual(['a', 'b']));
    await tick();
    expect(handed).toEqual([]);

    fake.removals.get('a')!.fail(new Error('container stuck'));
    await vi.waitFor(() => expect(handed).toHaveLength(1));
    expect(handed[0]!.index).toBe(0);
    expect(handed[0]!.snapshot.status).toBe('error');
    expect(handed[0]!.snapshot.errorCode).toBe('LAB_CLEANUP_FAILED');
    expect(handed[0]!.snapshot.error).toContain('container stuck');
    expect(handed[0]!.snapshot.phases.map((p) => p.name)).toContain('teardown');

    fake.removals.get('b')!.done();
    const results = await run;
    expect(handed.map((h) => h.index)).toEqual([0, 1]);
    // What onResult saw is what the caller gets: the same objects, unchanged since they were handed out.
    expect(results).toEqual(handed.map((h) => h.snapshot));
    expect(results[0]).toBe(handed[0]!.result);
    expect(results[1]!.errorCode).not.toBe('LAB_CLEANUP_FAILED');
  });
});
