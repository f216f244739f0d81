/**
 * The report files, in one table: what each is called, what it is for, and how it is rendered from the
 * results document. Writing the report directory and every help text that lists the reports read this
 * table, so a new report is one line here.
 */
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import type { ResultsDocument } from './results-document.ts';
import { renderSarif } from './sarif.ts';
import { renderSummary } from './summary-md.ts';

export interface ReportFile {
  /** The file's name in the report directory. */
  name: string;
  /** What it is for, in a few words (help text). */
  purpose: string;
  render: (doc: ResultsDocument) => string;
  /** Also appended to `$GITHUB_STEP_SUMMARY` when set (GitHub Actions shows it on the job page). @default false */
  stepSummary?: boolean;
}

/** Every report, in the order help texts list them; results.json first, as the one scripts read. */
export const REPORT_FILES: readonly ReportFile[] = [
  { name: 'results.json', purpose: 'every result as data, versioned, for scripts', render: (doc) => `${JSON.stringify(doc, null, 2)}\n` },
  { name: 'junit.xml', purpose: 'a test case per vantage and family, for CI test reporters', render: renderJunit },
  { name: 'summary.md', purpose: 'a Markdown summary for a job page or a pull request', render: renderSummary, stepSummary: true },
  { name: 'index.html', purpose: 'the whole run in one page for a person', render: renderHtml },
  { name: 'fwprobe.sarif', purpose: 'findings for code scanning', render: renderSarif },
];

/** `results.json, junit.xml, summary.md, index.html and fwprobe.sarif`: the reports named in a sentence. */
export function reportFileList(): string {
  const names = REPORT_FILES.map((f) => f.name);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
