/** The report table drives both what is written and what help texts say is written. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';
import { buildResultsDocument } from './results-document.ts';
import { REPORT_FILES, reportFileList, writeResults } from './results-json.ts';

describe('the report table', () => {
  it('names each report once, and the help sentence lists them all', () => {
    const names = REPORT_FILES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(reportFileList()).toBe('results.json, junit.xml, summary.md, index.html and fwprobe.sarif');
  });

  it("writeResults writes exactly the table's files, each as its renderer renders the document", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-reports-'));
    try {
      const results = [gapResult(), fixedResult(), errorResult()];
      const now = new Date('2025-01-02T03:04:05Z');
      const file = await writeResults(dir, results, { startedAt: now, now });
      expect(file).toBe(join(dir, 'results.json'));
      expect((await readdir(dir)).sort()).toEqual(REPORT_FILES.map((f) => f.name).sort());
      const doc = buildResultsDocument(results, { startedAt: now, now });
      for (const report of REPORT_FILES) expect(await readFile(join(dir, report.name), 'utf8'), report.name).toBe(report.render(doc));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
