/** After a signal, the reports of the finished scenarios are written at once, or one line says why not; never an empty folder. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyResult, verdictFields } from './result.ts';
import { afterSignal } from './reports-now.ts';
import { REPORT_FILES } from './report-files.ts';

const passed = { passed: true, mismatches: [], missing: [], othersMismatches: [], unchecked: { observations: [], summaries: [] }, parity: [], unverified: [] };
const result = { ...emptyResult('web01', 'scenarios/web01.scenario.yaml'), ...verdictFields(passed, 'strict') };

describe('the reports after a signal', () => {
  it('are every report of the finished scenarios, written before the line is returned', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fwprobe-signal-')), 'reports');
    const line = afterSignal('SIGINT', dir, [result], new Date());
    expect(line).toBe(`fwprobe: SIGINT: 1 finished scenario result(s) written to ${join(dir, 'results.json')} (the others were stopped)`);
    expect(readdirSync(dir).sort()).toEqual(REPORT_FILES.map((f) => f.name).sort());
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toMatchObject({ summary: { passed: 1, failed: 0, error: 0 } });
  });

  it('say in one line why none were written, and leave no folder behind', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fwprobe-signal-')), 'reports');
    expect(afterSignal('SIGTERM', dir, [], new Date())).toBe(`fwprobe: SIGTERM before any scenario finished: no report written to ${dir}`);
    expect(existsSync(dir)).toBe(false);
    // A report folder that cannot be made (a file in its place): the line says so.
    const blocked = join(mkdtempSync(join(tmpdir(), 'fwprobe-signal-')), 'reports');
    writeFileSync(blocked, '');
    expect(afterSignal('SIGINT', blocked, [result], new Date())).toMatch(/^fwprobe: SIGINT: the reports could not be written to .*reports: EEXIST/);
  });
});
