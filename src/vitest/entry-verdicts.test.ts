/**
 * The vitest entry run by vitest itself over constructed results: a failed verdict is never an all-green
 * run (a problem outside the declared slices, a summary of other ports, a scanned host, an error with scans
 * present), and a `-t` that runs only some of a scenario's tests still puts it in the reports.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Mismatch } from '../model/observation.ts';
import { scanRecord } from '../report/fixtures.test-helpers.ts';
import { emptyResult, verdictFields, type ScenarioResult } from '../report/result.ts';
import type { OthersMismatch, Verdict } from '../verdict/types.ts';
import type { Declared } from './slices.ts';

const FIXTURE = resolve(import.meta.dirname, '../../test/fixtures/vitest-entry');
const REPORTER = resolve(import.meta.dirname, '../report/vitest-reporter.ts');
const VITEST = resolve(import.meta.dirname, '../../node_modules/vitest/vitest.mjs');

interface Case {
  declared: Declared;
  result: ScenarioResult;
}
interface Run {
  states: Record<string, string>;
  results: { scenarios: { name: string; status: string }[] } | null;
}

/** vitest run over `cases` (and `-t filter`): each test's state by full name, and the reporter's results.json. */
async function runEntry(cases: Case[], filter?: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'fwprobe-entry-'));
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
  const args = [VITEST, 'run', '--root', FIXTURE, '--reporter=json', `--outputFile=${join(dir, 'vitest.json')}`, `--reporter=${REPORTER}`, ...(filter ? ['-t', filter] : [])];
  const env = { ...process.env, FWPROBE_ENTRY_CASES: join(dir, 'cases.json'), FWPROBE_REPORT_DIR: join(dir, 'reports') };
  await promisify(execFile)(process.execPath, args, { env, cwd: FIXTURE }).catch(() => {});
  const json = JSON.parse(readFileSync(join(dir, 'vitest.json'), 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string }[] }[] };
  const states = Object.fromEntries(json.testResults.flatMap((f) => f.assertionResults.map((t) => [t.fullName, t.status])));
  let results: Run['results'] = null;
  try {
    results = JSON.parse(readFileSync(join(dir, 'reports', 'results.json'), 'utf8')) as Run['results'];
  } catch {
    // No report: left null, and the assertion below says so.
  }
  return { states, results };
}

const base: Verdict = { passed: true, mismatches: [], missing: [], othersMismatches: [], unchecked: { observations: [], summaries: [] }, parity: [], unverified: [] };
const loopbackV4: Declared['slices'] = [{ vantage: 'loopback', family: 'ipv4' }];

function failedCase(name: string, patch: Partial<Verdict>, extra: Partial<ScenarioResult> = {}): Case {
  const file = `scenarios/${name}.scenario.yaml`;
  const verdict = { ...base, ...patch, passed: false };
  const result = { ...emptyResult(name, file), ...verdictFields(verdict, 'strict'), scans: [scanRecord('loopback', 'ipv4'), scanRecord('peer', 'ipv6')], ...extra };
  return { declared: { file, title: `${name} (${file})`, slices: loopbackV4 }, result };
}

const open22: Mismatch = {
  vantage: 'peer',
  family: 'ipv6',
  protocol: 'tcp',
  port: 22,
  expected: ['filtered'],
  observed: 'open',
  reason: 'syn-ack',
  message: 'peer ipv6 tcp/22: expected filtered, observed open (syn-ack)',
};
const othersOpen: OthersMismatch = {
  vantage: 'peer',
  family: 'ipv6',
  protocol: 'tcp',
  expected: 'filtered',
  observed: 'open',
  reason: 'syn-ack',
  count: 12,
  message: 'peer ipv6 tcp (12 other ports): expected filtered, observed open (syn-ack)',
};

describe('the vitest entry over failed verdicts', () => {
  it('never runs all green for a failed verdict, and a -t run still reports the scenario', { timeout: 120_000 }, async () => {
    const cases = [
      failedCase('undeclared-slice', { mismatches: [open22] }),
      failedCase('others-summary', { othersMismatches: [othersOpen] }),
      failedCase('host-behind', { mismatches: [{ ...open22, vantage: 'loopback', family: 'ipv4', host: 'db', message: 'loopback → db ipv4 tcp/22: expected filtered, observed open' }] }),
      failedCase('error-with-scans', {}, { status: 'error', error: 'removal failed', errorCode: 'LAB_CLEANUP_FAILED' }),
    ];
    const all = await runEntry(cases);
    for (const { result } of cases) {
      const own = Object.entries(all.states).filter(([name]) => name.startsWith(`${result.name} (`));
      expect(own.length, result.name).toBeGreaterThan(0);
      expect(
        own.some(([, state]) => state === 'failed'),
        `${result.name}: ${JSON.stringify(own)}`,
      ).toBe(true);
    }
    // Only the slice tests (no `lab, ruleset and scans ran`): the failed scenario is still in results.json.
    const filtered = await runEntry([cases[2]!], 'loopback ipv4');
    expect(Object.values(filtered.states)).toContain('failed');
    expect(filtered.results?.scenarios.map((s) => [s.name, s.status])).toEqual([['host-behind', 'failed']]);
  });
});
