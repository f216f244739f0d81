import { defineConfig } from 'vitest/config';

// Two projects: `unit` never touches Docker; `scenarios` starts real containers. Files that need Docker
// are named `*.docker.test.ts` (beside the code they test) or live in `test/scenarios/`.
export default defineConfig({
  test: {
    reporters: ['default', './src/report/vitest-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.docker.test.ts', 'node_modules/**'],
          // A hang guard, not a speed check: in a full run the labs load both cores, and tests that
          // take 0.5 s alone (validating the library, two runs of the collect script) took 5-8 s, past
          // vitest's 5 s default. A test that asserts speed measures CPU time itself.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'scenarios',
          include: ['src/**/*.docker.test.ts', 'test/scenarios/**/*.test.ts'],
          // Labs are limited machine-wide (src/lab/slots.ts), so a test may wait its turn for a lab: its
          // timeout covers that wait. Every step inside a lab has its own, much shorter, bound.
          testTimeout: 480_000,
          hookTimeout: 600_000,
          globalSetup: ['test/scenarios/global-setup.ts'],
        },
      },
    ],
  },
});
