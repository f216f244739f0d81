/**
 * Every hole an attacker's shape opened in fwprobe's "not exposed" verdicts, as a scenario under
 * test/fixtures/attacks/ with its golden expectation beside it (`NAME.expect.yaml`): each of these
 * scenarios expects the port NOT exposed on a host a real client gets into, so a green run of one of them
 * means the hole has reopened. The expectation says how fwprobe must catch it: `failed` with the exposed
 * ports it names (`caught`), or an `error` with its code, or (`stage: load`) a load error.
 */
import { availableParallelism } from 'node:os';
import { readFile, realpath } from 'node:fs/promises';
import { relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, inject, test } from 'vitest';
import { z } from 'zod';
import type { ScenarioResult } from '../../src/report/result.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { createLimiter } from '../../src/run/limiter.ts';
import { discoverScenarioFiles } from '../../src/scenario/discover.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = 'test/fixtures/attacks';

const expectation = z.strictObject({
  stage: z.enum(['load', 'run']).default('run'),
  /** One status, or several when the hole may be caught in more than one way (never `passed` among them). */
  status: z.union([z.enum(['passed', 'failed', 'error']), z.array(z.enum(['failed', 'error']))]).optional(),
  errorCode: z.string().optional(),
  loads: z.boolean().optional(),
  /** `VANTAGE FAMILY PROTO/PORT` of each mismatch that must be reported, observed open or delivered. */
  caught: z.array(z.string().regex(/^[a-z][a-z0-9_-]*(→[a-z][a-z0-9_-]*)? (ipv4|ipv6) (tcp|udp)\/\d+$/)).default([]),
  /** `FAMILY MATCH` of each rule the result must call unverified (a match the clients do not vary). */
  unverified: z.array(z.string().regex(/^(ipv4|ipv6) [a-z0-9 ]+$/)).default([]),
});

const files = await discoverScenarioFiles([ROOT]);
const cases = await Promise.all(
  files.map(async (file) => {
    const real = await realpath(file);
    const text = await readFile(real.replace(/\.scenario\.ya?ml$/, '.expect.yaml'), 'utf8');
    return { file, name: relative(ROOT, real), expected: expectation.parse(parse(text)) };
  }),
);

// A few at a time: several of them spend seconds waiting out rate limits and DROP rules.
const limit = createLimiter(Math.max(2, availableParallelism()));
const image = inject('fwprobeImage');
const runs = new Map(
  cases
    .filter((c) => c.expected.stage === 'run')
    .map((c) => [c.file, limit(() => runScenarioFile(c.file, { image, bounds: { script: 10_000 } }))] as const),
);

test('every attack scenario has its expectation, and symlinked ones are found once', () => {
  expect(cases.length).toBeGreaterThanOrEqual(38);
  const names = cases.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toContain('symlinks/elsewhere/must-fail.scenario.yaml');
});

describe.concurrent('attacks', () => {
  for (const { file, name, expected } of cases) {
    test(name, async () => {
      if (expected.stage === 'load') {
        const loaded = await loadScenario(file).then(
          () => ({ code: null }),
          (error: unknown) => ({ code: (error as { code?: string }).code ?? 'UNEXPECTED' }),
        );
        expect(loaded.code).toBe(expected.loads ? null : expected.errorCode);
        return;
      }
      const result = await runs.get(file)!;
      const why = `${result.error ?? ''}\n${result.verdictText}`;
      expect([expected.status].flat(), why).toContain(result.status);
      if (expected.errorCode) expect(result.errorCode, why).toBe(expected.errorCode);
      expect(caughtPorts(result), why).toEqual(expect.arrayContaining(expected.caught));
      const unverified = (result.verdict?.unverified ?? []).map((u) => `${u.family} ${u.match}`);
      expect(unverified, why).toEqual(expect.arrayContaining(expected.unverified));
    });
  }
});

/** Mismatches where the scenario expected the port not exposed and fwprobe saw it exposed. */
function caughtPorts(result: ScenarioResult): string[] {
  return result.mismatches
    .filter((m) => m.observed === 'open' || m.observed === 'delivered')
    .map((m) => `${m.host ? `${m.vantage}→${m.host}` : m.vantage} ${m.family} ${m.protocol}/${m.port}`);
}
