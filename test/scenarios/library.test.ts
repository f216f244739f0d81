/**
 * Every scenario file under scenarios/ becomes a describe block named by its path: one test that the lab,
 * ruleset and scans really ran, one per vantage × family with that slice's mismatches, and one for IPv4/IPv6
 * parity. Discovery and runs are the same functions `fwprobe run` uses.
 */
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { FAMILIES, type Family, type Vantage } from '../../src/model/observation.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { discoverScenarioFiles } from '../../src/scenario/discover.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { createLimiter } from '../../src/run/limiter.ts';
import { formatVerdictText } from '../../src/report/verdict-text.ts';

const files = await discoverScenarioFiles(['scenarios']);
// Every scenario starts at once, bounded by the CPU count, each in its own containers and network; the
// describe blocks below only wait for their own.
const limit = createLimiter(availableParallelism());
const runs = new Map(files.map((file) => [file, limit(() => runScenarioFile(file, { image: inject('fwprobeImage') }))]));

test('the scenario library is not empty', () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const file of files) {
  describe(relative(process.cwd(), file), () => {
    let result: ScenarioResult;

    beforeAll(async () => {
      result = await runs.get(file)!;
    });

    test('lab, ruleset and scans ran', ({ task }) => {
      task.meta.fwprobe = result;
      expect(result.status, formatVerdictText(result)).not.toBe('error');
      expect(result.scans.length, 'no scan ran').toBeGreaterThan(0);
    });

    for (const vantage of ['loopback', 'peer'] as const) {
      for (const family of FAMILIES) {
        test(`${vantage} ${family}`, ({ skip }) => {
          if (result.status === 'error') skip(`scenario error: ${result.errorCode}`);
          if (!result.scans.some((s) => s.vantage === vantage && s.family === family)) {
            skip(`the scenario does not scan ${vantage} ${family}`);
          }
          expect(sliceProblems(result, vantage, family), result.verdictText).toEqual([]);
        });
      }
    }

    test('verdict (including parity)', ({ skip }) => {
      if (result.status === 'error') skip(`scenario error: ${result.errorCode}`);
      const gaps = result.verdict?.parityMode === 'strict' ? result.verdict.parity.filter((f) => f.excusedBy === null) : [];
      expect(gaps, result.verdictText).toEqual([]);
      expect(result.verdict?.passed, result.verdictText).toBe(true);
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
