/**
 * The report directory written synchronously, for the one moment that cannot wait: a signal, after which
 * vitest exits within a millisecond. Same files and order as results-json.ts (each atomically, results.json
 * last), and the folder is made only once every report is rendered: never an empty report folder.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FILES } from './report-files.ts';
import type { ScenarioResult } from './result.ts';
import { buildResultsDocument, type ResultsMeta } from './results-document.ts';

const LAST = 'results.json';

/** Writes every report of `results` into `dir` before returning; returns the results.json path. */
export function writeReportsNow(dir: string, results: readonly ScenarioResult[], meta: ResultsMeta = {}): string {
  const doc = buildResultsDocument(results, meta);
  const rendered = REPORT_FILES.map((file) => ({ name: file.name, text: file.render(doc) }));
  const ordered = [...rendered.filter((r) => r.name !== LAST), ...rendered.filter((r) => r.name === LAST)];
  mkdirSync(dir, { recursive: true });
  for (const { name, text } of ordered) {
    const temp = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(temp, text);
    renameSync(temp, join(dir, name));
  }
  return join(dir, LAST);
}
