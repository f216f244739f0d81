/**
 * One scenario's describe block: a test that the lab, ruleset and scans ran, one per declared vantage ×
 * family, one for parity and coverage. Every test hands the result to the reporter (task meta), so a
 * `vitest -t` that runs only some of them still puts the scenario in the reports.
 */
import { beforeAll, describe, test } from 'vitest';
import type { ScenarioResult } from '../report/result.ts';
import { scenarioFailure, sliceFailure, verdictLines } from './failure.ts';
import type { Declared } from './slices.ts';
// Brings the reporter's declaration of `task.meta.fwprobe` into the user's program.
import type {} from '../report/vitest-reporter.ts';

/** The tests only read a result already in hand. */
const TEST_TIMEOUT_MS = 60_000;

export function describeScenario(declared: Declared, run: () => Promise<ScenarioResult>): void {
  const { file, title, slices } = declared;
  describe(title, () => {
    let result: ScenarioResult;
    // vitest's own hook timeout comes after fwprobe's, whose message names the option to raise.
    beforeAll(
      async () => {
        result = await run();
      },
      2 ** 31 - 1,
    );

    test(
      'lab, ruleset and scans ran',
      ({ task }) => {
        task.meta.fwprobe = result;
        if (result.status === 'error') throw scenarioFailure(`${result.errorCode ?? 'ERROR'}: ${result.error ?? 'unknown error'}`, file, { line: 1, column: 1 }, result.name);
        if (result.scans.length === 0) throw scenarioFailure('no scan ran', file, { line: 1, column: 1 }, result.name);
      },
      TEST_TIMEOUT_MS,
    );

    for (const { vantage, family } of slices) {
      test(
        `${vantage} ${family}`,
        ({ task, skip }) => {
          task.meta.fwprobe = result;
          if (result.status === 'error') skip(`scenario error: ${result.errorCode}`);
          const failure = sliceFailure(result, vantage, family, result.name);
          if (failure) throw failure;
        },
        TEST_TIMEOUT_MS,
      );
    }

    test(
      'parity and coverage',
      ({ task, skip }) => {
        task.meta.fwprobe = result;
        if (result.status === 'error') skip(`scenario error: ${result.errorCode}`);
        const lines = verdictLines(result, slices);
        if (lines.length > 0) throw scenarioFailure(lines.join('\n'), file, { line: result.lines?.parity ?? result.lines?.expect ?? 1, column: 1 }, result.name);
      },
      TEST_TIMEOUT_MS,
    );
  });
}
