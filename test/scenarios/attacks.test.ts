/**
 * Every hole an attacker's shape opened in fwprobe's "not exposed" verdicts, as a scenario under
 * test/fixtures/attacks/ with its golden expectation beside it (`NAME.expect.yaml`): each of these
 * scenarios expects the port NOT exposed on a host a real client gets into, so a green run of one of them
 * means the hole has reopened. The expectation says how fwprobe must catch it: `failed` with the exposed
 * ports it names (`caught`) or the unverified rule matches it names (`unverified`), or an `error` with its
 * code, or (`stage: load`) a load error: never a bare `status: failed`, which any failure would satisfy.
 */
import { readFile, realpath } from 'node:fs/promises';
import { relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, inject, test } from 'vitest';
import { z } from 'zod';
import { asFwprobeError } from '../../src/model/errors.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { createLimiter } from '../../src/run/limiter.ts';
import { labLimit } from '../../src/lab/slots.ts';
import { discoverScenarioFiles } from '../../src/scenario/discover.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const ROOT = 'test/fixtures/attacks';

const OBSERVATION = /^[a-z][a-z0-9_-]*(→[a-z][a-z0-9_-]*)? (ipv4|ipv6) (tcp|udp)\/\d+$/;

const expectation = z
  .strictObject({
    stage: z.enum(['load', 'run']).default('run'),
    /** One status, or several when the hole may be caught in more than one way (never `passed` among them). */
    status: z.union([z.enum(['passed', 'failed', 'error']), z.array(z.enum(['failed', 'error']))]).optional(),
    errorCode: z.string().optional(),
    loads: z.boolean().optional(),
    /** `VANTAGE FAMILY PROTO/PORT` of each mismatch that must be reported, observed open or delivered. */
    caught: z.array(z.string().regex(OBSERVATION)).min(1).optional(),
    /** `FAMILY MATCH` of each rule the verdict must name unverified (a match fwprobe's clients do not vary). */
    unverified: z
      .array(z.string().regex(/^(ipv4|ipv6) [a-z0-9 -]+$/))
      .min(1)
      .optional(),
  })
  .superRefine((e, ctx) => {
    const statuses = [e.status ?? []].flat();
    const say = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (e.stage === 'load') {
      if (!e.loads && !e.errorCode) say('a load fixture needs `loads: true` or the `errorCode` it must be refused with');
      return;
    }
    if (statuses.length === 0) say('`status` is required');
    if (statuses.includes('error') && !e.errorCode) say('`status: error` needs the `errorCode` it must carry');
    if (statuses.includes('failed') && !e.caught && !e.unverified) {
      say('`status: failed` needs what it must catch: `caught` (VANTAGE FAMILY PROTO/PORT) or `unverified` (FAMILY MATCH)');
    }
  });

/** The expectation beside a scenario, its errors naming that file. */
async function readExpectation(file: string): Promise<z.infer<typeof expectation>> {
  const text = await readFile(file, 'utf8');
  const parsed = expectation.safeParse(parse(text));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
  throw new TypeError(`${file}: ${issues}`);
}

const files = await discoverScenarioFiles([ROOT]);
const cases = await Promise.all(
  files.map(async (file) => {
    const real = await realpath(file);
    const expected = await readExpectation(real.replace(/\.scenario\.ya?ml$/, '.expect.yaml'));
    return { file, name: relative(ROOT, real), expected };
  }),
);

// As many as the machine-wide lab limit: several of them spend seconds waiting out rate limits and DROP rules.
const limit = createLimiter(labLimit());
const image = inject('fwprobeImage');
// Each run starts when its test does, so `-t NAME` runs only the named fixtures.
const run = (file: string) => limit(() => runScenarioFile(file, { image, bounds: { script: 10_000 } }));

test('every attack scenario has its expectation, and symlinked ones are found once', () => {
  expect(cases.length).toBeGreaterThanOrEqual(37);
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
          (error: unknown) => ({ code: asFwprobeError(error).code }),
        );
        expect(loaded.code).toBe(expected.loads ? null : expected.errorCode);
        return;
      }
      const result = await run(file);
      const why = `${result.error ?? ''}\n${verdictTextOf(result)}`;
      expect([expected.status].flat(), why).toContain(result.status);
      if (expected.errorCode) expect(result.errorCode, why).toBe(expected.errorCode);
      if (expected.caught) expect(caughtPorts(result), why).toEqual(expect.arrayContaining(expected.caught));
      if (expected.unverified) {
        const named = (result.verdict?.unverified ?? []).map((u) => `${u.family} ${u.match}`);
        expect([...new Set(named)].sort(), why).toEqual([...expected.unverified].sort());
      }
    });
  }
});

/** Mismatches where the scenario expected the port not exposed and fwprobe saw it exposed. */
function caughtPorts(result: ScenarioResult): string[] {
  return (result.verdict?.mismatches ?? [])
    .filter((m) => m.observed === 'open' || m.observed === 'delivered')
    .map((m) => `${m.host ? `${m.vantage}→${m.host}` : m.vantage} ${m.family} ${m.protocol}/${m.port}`);
}
