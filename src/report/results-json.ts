/**
 * results.json: the versioned file CI scripts read, written from the structured results.
 */
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderJunit } from './junit.ts';
import { renderSummary } from './summary-md.ts';
import type { ScenarioResult } from './result.ts';
import { FWPROBE_VERSION } from '../model/version.ts';

/** results.json, version 1. Field names are a contract with users' scripts: add fields, never rename. */
export interface ResultsDocument {
  version: 1;
  /** The fwprobe that wrote it: `fwprobe diff` says when two files come from different versions. */
  fwprobe: string;
  generatedAt: string;
  summary: { passed: number; failed: number; error: number };
  scenarios: ScenarioResult[];
}

export function buildResultsDocument(results: readonly ScenarioResult[]): ResultsDocument {
  // Sorted by file then name, so that two runs of the same scenarios diff cleanly.
  const scenarios = [...results].sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
  const count = (status: ScenarioResult['status']) => scenarios.filter((s) => s.status === status).length;
  return {
    version: 1,
    fwprobe: FWPROBE_VERSION,
    generatedAt: new Date().toISOString(),
    summary: { passed: count('passed'), failed: count('failed'), error: count('error') },
    scenarios,
  };
}

/**
 * Writes DIR/results.json, DIR/junit.xml and DIR/summary.md, each atomically (temp file + rename): a reader never sees half
 * a report. Returns the results.json path.
 */
export async function writeResults(dir: string, results: readonly ScenarioResult[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, 'junit.xml'), renderJunit(results));
  const summary = renderSummary(results);
  await writeAtomically(join(dir, 'summary.md'), summary);
  // On GitHub Actions the job page shows it; appended, as other steps may have written there too.
  const step = process.env['GITHUB_STEP_SUMMARY'];
  if (step) await appendFile(step, `${summary}\n`);
  return writeAtomically(join(dir, 'results.json'), `${JSON.stringify(buildResultsDocument(results), null, 2)}\n`);
}

async function writeAtomically(file: string, content: string): Promise<string> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
  return file;
}
