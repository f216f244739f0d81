/**
 * The report directory written synchronously, for the one moment that cannot wait: a signal, after which
 * vitest exits within a millisecond. Same files and order as results-json.ts (each atomically, results.json
 * last), and the folder is made only once every report is rendered: never an empty report folder.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printable } from '../model/printable.ts';
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

/**
 * After SIGINT/SIGTERM: the reports of the scenarios that had finished, written now, and the one line that
 * says so, or why nothing was written (no scenario had finished, or the write failed).
 */
export function afterSignal(signal: string, dir: string, results: readonly ScenarioResult[], startedAt: Date): string {
  if (results.length === 0) return `fwprobe: ${signal} before any scenario finished: no report written to ${printable(dir)}`;
  try {
    const file = writeReportsNow(dir, results, { startedAt, interrupted: signal });
    return `fwprobe: ${signal}: ${results.length} finished scenario result(s) written to ${printable(file)} (the others were stopped)`;
  } catch (error) {
    return `fwprobe: ${signal}: the reports could not be written to ${printable(dir)}: ${printable(error instanceof Error ? error.message : String(error))}`;
  }
}
