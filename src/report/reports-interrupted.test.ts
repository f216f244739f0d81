/**
 * Reports written after a signal say the run was interrupted, in every file a person or CI reads: two
 * finished, passing scenarios of an interrupted run (the failing one never finished) must not read as a
 * complete, green run in results.json, junit.xml, summary.md, index.html or fwprobe.sarif.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { emptyResult, verdictFields } from './result.ts';
import { runMergeReports } from '../cli/merge-reports.ts';
import { afterSignal, writeReportsNow } from './reports-now.ts';

const passed = { passed: true, mismatches: [], missing: [], othersMismatches: [], unchecked: { observations: [], summaries: [] }, parity: [], unverified: [] };
const ok = (name: string) => ({ ...emptyResult(name, `scenarios/${name}.scenario.yaml`), ...verdictFields(passed, 'strict') });

describe('reports of an interrupted run', () => {
  it('mark the interruption in results.json, junit.xml, summary.md, index.html and fwprobe.sarif', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fwprobe-interrupted-')), 'reports');
    afterSignal('SIGINT', dir, [ok('web01'), ok('web02')], new Date());
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    expect(JSON.parse(read('results.json'))).toMatchObject({ interrupted: { signal: 'SIGINT' }, summary: { passed: 2, failed: 0, error: 0 } });
    const junit = await parseStringPromise(read('junit.xml'));
    expect(Number(junit.testsuites.$.errors)).toBeGreaterThan(0);
    expect(read('junit.xml')).toContain('interrupted (SIGINT)');
    expect(read('summary.md').split('\n').slice(0, 4).join('\n')).toContain('interrupted (SIGINT)');
    expect(read('index.html')).toMatch(/<div class="interrupted"[^>]*>[^<]*interrupted \(SIGINT\)/);
    expect(JSON.parse(read('fwprobe.sarif')).runs[0].invocations[0]).toMatchObject({ executionSuccessful: false, exitSignalName: 'SIGINT' });
  });

  it('stay marked when merged with a shard that ran to the end', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fwprobe-interrupted-merge-'));
    afterSignal('SIGTERM', join(root, 'a'), [ok('web01')], new Date());
    writeReportsNow(join(root, 'b'), [ok('web02')]);
    const out = join(root, 'merged');
    const write = process.stdout.write;
    process.stdout.write = () => true;
    try {
      expect(await runMergeReports(['--out', out, join(root, 'a'), join(root, 'b')])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toMatchObject({ interrupted: { signal: expect.stringContaining('SIGTERM') }, summary: { passed: 2 } });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('Run interrupted (SIGTERM in ');
  });
});
