/**
 * summary.md: GitHub-flavoured Markdown for a job summary or a PR comment, rendered from the structured
 * results: a line per scenario, then for each a port matrix (vantage × family) where an IPv4/IPv6
 * difference is marked, and the problems. Bounded (rows per scenario, and 1 MiB in all) so a full sweep
 * cannot make it unreadable or too large for GitHub.
 */
import { compareViews, FAMILIES, viewLabel, type Observation, type View } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from './result.ts';

const MAX_ROWS = 60;
const MAX_BYTES = 1024 * 1024;
const ICON = { passed: '✅', failed: '❌', error: '⛔' } as const;

export function renderSummary(results: readonly ScenarioResult[]): string {
  const sorted = [...results].sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
  const count = (s: ScenarioResult['status']) => sorted.filter((r) => r.status === s).length;
  const head = [
    '# fwprobe',
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('error')} error`,
    '',
    '| | scenario | file |',
    '|---|---|---|',
    ...sorted.map((r) => `| ${ICON[r.status]} | ${cell(r.name)} | \`${cell(r.file)}\` |`),
    '',
  ];
  let out = head.join('\n');
  for (const r of sorted) {
    const section = scenarioSection(r);
    if (Buffer.byteLength(out + section) > MAX_BYTES - 200) {
      out += '\n_(the rest is left out: the summary stays under 1 MiB; results.json has everything)_\n';
      break;
    }
    out += section;
  }
  return out;
}

function scenarioSection(r: ScenarioResult): string {
  const lines = ['', `## ${ICON[r.status]} ${cell(r.name)}`, ''];
  if (r.status === 'error') return [...lines, `**${r.errorCode ?? 'ERROR'}**`, '', fence(r.error ?? ''), ''].join('\n');
  const views = new Map<string, View>(r.scans.map((s) => [viewLabel(s), s]));
  const labels = [...views.values()].sort(compareViews).map(viewLabel);
  const columns = labels.flatMap((v) => FAMILIES.map((f) => ({ v, f }))).filter(({ v, f }) => r.scans.some((s) => viewLabel(s) === v && s.family === f));
  const ports = [...new Set(r.observations.map((o) => `${o.protocol}/${o.port}`))];
  const byKey = new Map(r.observations.map((o) => [`${viewLabel(o)} ${o.family} ${o.protocol}/${o.port}`, o]));
  lines.push(`| port | ${columns.map(({ v, f }) => `${v} ${f}`).join(' | ')} | |`, `|---|${columns.map(() => '---|').join('')}---|`);
  for (const port of ports.slice(0, MAX_ROWS)) {
    const cells = columns.map(({ v, f }) => state(byKey.get(`${v} ${f} ${port}`)));
    // The IPv6 gap: the same vantage answering differently over the two families.
    const gap = labels.some((v) => {
      const [a, b] = FAMILIES.map((f) => byKey.get(`${v} ${f} ${port}`)?.state);
      return a !== undefined && b !== undefined && a !== b;
    });
    lines.push(`| ${port} | ${cells.join(' | ')} | ${gap ? '⚠️ IPv4 ≠ IPv6' : ''} |`);
  }
  if (ports.length > MAX_ROWS) lines.push('', `_${ports.length - MAX_ROWS} more ports in results.json_`);
  if (r.problems.length > 0) lines.push('', ...r.problems.slice(0, 30).map((p) => `- ${cell(p)}`));
  return [...lines, ''].join('\n');
}

function state(o: Observation | undefined): string {
  if (!o) return '';
  return o.state === 'open' || o.state === 'delivered' ? `**${o.state.toUpperCase()}**` : o.state.replace('|', '\\|');
}

/** Table cells: escaped for the terminal and for Markdown (pipes and line breaks would break the table). */
function cell(text: string): string {
  return printable(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function fence(text: string): string {
  return ['```', printable(text, { multiline: true }).replaceAll('```', "'''"), '```'].join('\n');
}
