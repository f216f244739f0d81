/**
 * The report directory, written from the results document: every file of the report table
 * (report-files.ts), each rendered before any is written.
 */
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from './result.ts';
import { buildResultsDocument, type ResultsDocument, type ResultsMeta } from './results-document.ts';
import { REPORT_FILES } from './report-files.ts';

export { buildResultsDocument, type ResultsDocument, type ResultsMeta } from './results-document.ts';
export { REPORT_FILES, reportFileList, type ReportFile } from './report-files.ts';

/** Written last: its presence says every other report is there. */
const LAST = 'results.json';

/**
 * Writes every report into DIR, each atomically (temp file + rename): a reader never sees half a report.
 * results.json goes last, so its presence says the others are there. Returns the results.json path.
 */
export async function writeResults(dir: string, results: readonly ScenarioResult[], meta: ResultsMeta = {}): Promise<string> {
  return writeReports(dir, buildResultsDocument(results, meta));
}

/** Like writeResults, for a document already built (the one `fwprobe run --json` also prints). */
export async function writeReports(dir: string, doc: ResultsDocument): Promise<string> {
  // Every report is rendered before one is written: a render that throws leaves the folder as it was, not
  // a new junit.xml beside an old index.html.
  const rendered = REPORT_FILES.map((file) => ({ file, text: file.render(doc) }));
  const ordered = [...rendered.filter((r) => r.file.name !== LAST), ...rendered.filter((r) => r.file.name === LAST)];
  await mkdir(dir, { recursive: true });
  const step = process.env['GITHUB_STEP_SUMMARY'];
  for (const { file, text } of ordered) {
    await writeAtomically(join(dir, file.name), text);
    // Appended: other steps of the job may have written there too.
    if (file.stepSummary && step) await appendFile(step, `${text}\n`);
  }
  return join(dir, LAST);
}

async function writeAtomically(file: string, content: string): Promise<string> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
  return file;
}
