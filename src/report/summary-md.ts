/**
 * summary.md: GitHub-flavoured Markdown for a job summary or a PR comment, rendered from the structured
 * results: a line per scenario, then for each a port matrix (vantage × family) where an IPv4/IPv6
 * difference is marked, and the problems. Bounded (rows per scenario, and 1 MiB in all) so a full sweep
 * cannot make it unreadable or too large for GitHub.
 */
import type { PortState } from '../model/observation.ts';
import { columnLabel } from './columns.ts';
import { buildMatrix } from './matrix.ts';
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from './result.ts';
import { interruptedText, type ResultsDocument } from './results-document.ts';
import { problemsOf } from './verdict-format.ts';

const MAX_ROWS = 60;
const MAX_BYTES = 1024 * 1024;
const ICON = { passed: '✅', failed: '❌', error: '⛔' } as const;

export function renderSummary(doc: ResultsDocument): string {
  const sorted = doc.scenarios;
  const { passed, failed, error } = doc.summary;
  const stopped = interruptedText(doc);
  const head = [
    '# fwprobe',
    '',
    ...(stopped ? [`> **${stopped}**`, ''] : []),
    `${passed} passed, ${failed} failed, ${error} error`,
    '',
    '| | scenario | file |',
    '|---|---|---|',
    ...sorted.map((r) => `| ${ICON[r.status]} | ${cell(r.name)} | \`${cell(r.file)}\` |`),
    '',
  ];
  const parts = [head.join('\n')];
  // Counted as it grows: measuring the whole text again for each scenario would be quadratic.
  let bytes = Buffer.byteLength(parts[0]!);
  for (const r of sorted) {
    const section = scenarioSection(r);
    bytes += Buffer.byteLength(section);
    if (bytes > MAX_BYTES - 200) {
      parts.push('\n_(the rest is left out: the summary stays under 1 MiB; results.json has everything)_\n');
      break;
    }
    parts.push(section);
  }
  return parts.join('');
}

function scenarioSection(r: ScenarioResult): string {
  const lines = ['', `## ${ICON[r.status]} ${cell(r.name)}`, ''];
  if (r.status === 'error') return [...lines, `**${r.errorCode ?? 'ERROR'}**`, '', fence(r.error ?? ''), ''].join('\n');
  const matrix = buildMatrix(r, MAX_ROWS);
  lines.push(`| port | ${matrix.columns.map((c) => cell(columnLabel(c))).join(' | ')} | |`, `|---|${matrix.columns.map(() => '---|').join('')}---|`);
  for (const row of matrix.rows) {
    const cells = row.cells.map((c) => state(c.observed));
    // The IPv6 gap: the same vantage answering differently over the two families.
    lines.push(`| ${row.protocol}/${row.port} | ${cells.join(' | ')} | ${row.parity.length > 0 ? '⚠️ IPv4 ≠ IPv6' : ''} |`);
  }
  if (matrix.more > 0) lines.push('', `_${matrix.more} more ports in results.json_`);
  const problems = problemsOf(r);
  if (problems.length > 0) lines.push('', ...problems.slice(0, 30).map((p) => `- ${cell(p)}`));
  return [...lines, ''].join('\n');
}

function state(observed: PortState | null): string {
  if (!observed) return '';
  return observed === 'open' || observed === 'delivered' ? `**${observed.toUpperCase()}**` : observed.replace('|', '\\|');
}

/**
 * Table cells: escaped for the terminal and for Markdown (pipes and line breaks would break the table), and
 * HTML turned into text: GitHub renders HTML in a job summary or a PR comment, so a scenario named
 * `<img src=https://…>` (or Markdown's `![](https://…)`) would make every reader's browser fetch from elsewhere.
 */
function cell(text: string): string {
  return printable(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '\\|').replaceAll('[', '\\[').replaceAll(']', '\\]').replaceAll('\n', ' ');
}

function fence(text: string): string {
  return ['```', printable(text, { multiline: true }).replaceAll('```', "'''"), '```'].join('\n');
}
