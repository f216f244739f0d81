/**
 * fwprobe's own scenario library, through the same entry users put in their `npm test` (`fwprobe/vitest`):
 * every file under scenarios/ is a describe block with a test per vantage × family and one for the verdict.
 */
import { inject, vi } from 'vitest';
import { labLimit } from '../../src/lab/slots.ts';
import { scenarioTests } from '../../src/vitest/index.ts';

// Other test files assert more about some of these scenarios (attribution, nftables, topology,
// send-failures): each runs once in the whole vitest run, here or there, with the same options
// (shared-runs.ts). Everything else on the entry's path (files, limiter, slices, reporter) is the real one.
vi.mock('../../src/run/scenario.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/run/scenario.ts')>();
  const { sharedRuns } = await import('./shared-runs.ts');
  return { ...real, runScenario: sharedRuns(real.runScenario) };
});

// As many at once as the machine-wide lab limit (the entry's default is the CPUs: half of it): the other
// scenario files run beside this one and take whatever slots are free, so this only fills idle ones.
await scenarioTests(['scenarios'], { image: inject('fwprobeImage'), concurrency: labLimit() });
