import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { STATEFUL_UNIT_FILES } from './test/unit/stateful-files.ts';

// Two projects: `unit` never touches Docker; `scenarios` starts real containers. Files that need Docker
// are named `*.docker.test.ts` (beside the code they test) or live in `test/scenarios/`.

/**
 * Scenario files at once. vitest's default is CPUs - 1, which on a 2-core runner is one: every file waited
 * for the one before, while a scenario file spends most of its time waiting on containers and nmap. Labs
 * stay limited machine-wide (src/lab/slots.ts, 2 × CPUs), so more files at once fill the free lab slots
 * instead of adding labs.
 */
const SCENARIO_WORKERS = 4;

/**
 * Unit files at once, one per core (at least 2), and before the scenarios (`groupOrder`): their tests have
 * 5 s timeouts and some time themselves, which four workers beside running labs on 2 cores overran.
 */
const UNIT_WORKERS = Math.max(2, availableParallelism());

/**
 * The scenario files that take longest, longest first: started first, so none of them starts last and
 * holds the run up alone. Without vitest's cache (a fresh CI checkout) files would start in path order.
 */
const LONGEST = ['attacks.test.ts', 'library.test.ts', 'timing-agreement.test.ts', 'packed-tarball.test.ts', 'release-gate.test.ts', 'attribution.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = LONGEST.findIndex((name) => spec.moduleId.endsWith(`/test/scenarios/${name}`));
      return at === -1 ? LONGEST.length : at;
    };
    const sorted = await super.sort(files);
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    reporters: ['default', './src/report/vitest-reporter.ts'],
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          maxWorkers: UNIT_WORKERS,
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.docker.test.ts', 'node_modules/**', ...STATEFUL_UNIT_FILES],
          // One module graph per worker, not per file: importing the source anew for each of ~150 files
          // was most of the unit run (import 207 s of CPU against 33 s shared). Files that mock modules
          // or change the process run isolated below.
          isolate: false,
          // A hang guard, not a speed check: in a full run the labs load both cores, and tests that
          // take 0.5 s alone (validating the library, two runs of the collect script) took 5-8 s, past
          // vitest's 5 s default. A test that asserts speed measures CPU time itself.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'unit-isolated',
          maxWorkers: UNIT_WORKERS,
          sequence: { groupOrder: 0 },
          include: [...STATEFUL_UNIT_FILES],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'scenarios',
          maxWorkers: SCENARIO_WORKERS,
          sequence: { groupOrder: 1 },
          include: ['src/**/*.docker.test.ts', 'test/scenarios/**/*.test.ts'],
          // Labs are limited machine-wide (src/lab/slots.ts), so a test may wait its turn for a lab: its
          // timeout covers that wait, with four files asking for the same slots (and a timed test holding
          // them all meanwhile: exclusive-labs.ts). Every step inside a lab has its own, much shorter, bound.
          testTimeout: 1_200_000,
          hookTimeout: 600_000,
          globalSetup: ['test/scenarios/global-setup.ts'],
        },
      },
    ],
  },
});
