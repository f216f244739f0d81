/**
 * Labs started ahead (runMany's `ahead`): while `concurrency` scenarios scan, the next ones bring their labs
 * up and wait, ready, for a scan slot; never more labs than `concurrency + ahead`, never more scanning than
 * `concurrency`. The scenario is a fake that reports where it is and waits for the test at each step.
 */
import { describe, expect, it, vi } from 'vitest';
import { scenario } from '../verdict/fixtures.test-helpers.ts';
import { runScenarios } from './files.ts';
import type { RunScenarioOptions } from './scenario.ts';

const fake = vi.hoisted(() => ({
  labs: new Set<string>(),
  scanning: new Set<string>(),
  peak: { labs: 0, scanning: 0 },
  finish: new Map<string, () => void>(),
}));

vi.mock('./scenario.ts', async () => {
  const { emptyResult } = await import('../report/result.ts');
  return {
    runScenario: async (s: { name: string }, options: RunScenarioOptions) => {
      fake.labs.add(s.name);
      fake.peak.labs = Math.max(fake.peak.labs, fake.labs.size);
      await options.onLabReady?.();
      fake.scanning.add(s.name);
      fake.peak.scanning = Math.max(fake.peak.scanning, fake.scanning.size);
      await new Promise<void>((done) => fake.finish.set(s.name, done));
      fake.scanning.delete(s.name);
      options.onRemoving?.();
      fake.labs.delete(s.name);
      return emptyResult(s.name, s.name);
    },
  };
});

const named = (name: string) => ({ ...scenario([]), name });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runScenarios with labs started ahead', () => {
  it('brings up `ahead` more labs while `concurrency` scan, and hands each a scan slot as one frees', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const run = runScenarios(names.map(named), { image: 'fwprobe-target:test', concurrency: 2, ahead: 1, labs: Infinity });
    await vi.waitFor(() => expect([...fake.scanning].sort()).toEqual(['a', 'b']));
    await tick();
    // c's lab is up and waits for a slot; d and e have not started.
    expect([...fake.labs].sort()).toEqual(['a', 'b', 'c']);
    fake.finish.get('b')!();
    await vi.waitFor(() => expect([...fake.scanning].sort()).toEqual(['a', 'c']));
    await vi.waitFor(() => expect([...fake.labs].sort()).toEqual(['a', 'c', 'd']));
    for (const name of ['a', 'c', 'd', 'e']) {
      await vi.waitFor(() => expect(fake.finish.has(name)).toBe(true));
      fake.finish.get(name)!();
    }
    const results = await run;
    expect(results.map((r) => r.name)).toEqual(names);
    expect(fake.peak).toEqual({ labs: 3, scanning: 2 });
  });

  it('ahead 0: a lab starts only when a scan slot is free', async () => {
    fake.peak = { labs: 0, scanning: 0 };
    fake.finish.clear();
    const run = runScenarios(['p', 'q', 'r'].map(named), { image: 'fwprobe-target:test', concurrency: 1, ahead: 0, labs: Infinity });
    for (const name of ['p', 'q', 'r']) {
      await vi.waitFor(() => expect(fake.finish.has(name)).toBe(true));
      await tick();
      expect([...fake.labs]).toEqual([name]);
      fake.finish.get(name)!();
    }
    await run;
    expect(fake.peak).toEqual({ labs: 1, scanning: 1 });
  });
});
