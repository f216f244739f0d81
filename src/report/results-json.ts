/**
 * The report directory, written from the structured results: results.json (the versioned file CI scripts
 * read), junit.xml, summary.md, index.html and fwprobe.sarif.
 */
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderSarif } from './sarif.ts';
import { renderSummary } from './summary-md.ts';
import type { ScenarioResult } from './result.ts';
import { buildResultsDocument, type ResultsMeta } from './results-document.ts';

export { buildResultsDocument, type ResultsDocument, type ResultsMeta } from './results-document.ts';

/** The files `writeResults` writes into the report directory, in the order it writes them. */
export const REPORT_FILES = ['junit.xml', 'summary.md', 'index.html', 'fwprobe.sarif', 'results.json'] as const;

/**
 * Writes every report into DIR, each atomically (temp file + rename): a reader never sees half a report.
 * results.json goes last, so its presence says the others are there. Returns the results.json path.
 */
export async function writeResults(dir: string, results: readonly ScenarioResult[], meta: ResultsMeta = {}): Promise<string> {
  const doc = buildResultsDocument(results, meta);
  // Every report is rendered before one is written: a render that throws leaves the folder as it was, not
  // a new junit.xml beside an old index.html.
  const junit = renderJunit(results);
  const summary = renderSummary(results);
  const html = renderHtml(doc);
  const sarif = renderSarif(doc);
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, 'junit.xml'), junit);
  await writeAtomically(join(dir, 'summary.md'), summary);
  // On GitHub Actions the job page shows it; appended, as other steps may have written there too.
  const step = process.env['GITHUB_STEP_SUMMARY'];
  if (step) await appendFile(step, `${summary}\n`);
  await writeAtomically(join(dir, 'index.html'), html);
  await writeAtomically(join(dir, 'fwprobe.sarif'), sarif);
  return writeAtomically(join(dir, 'results.json'), json);
}

async function writeAtomically(file: string, content: string): Promise<string> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
  return file;
}
