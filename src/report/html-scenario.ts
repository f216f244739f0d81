/**
 * One scenario's section of index.html: status, file, problems, the colour matrix (expected against
 * observed, per vantage × host × family; each cell its state and a numbered mark for the deciding rule, the
 * rules themselves in a folded list under it), then the applied rulesets with their hashes, the rule counters
 * after the scans, nmap's XML of each scan and the verdict text, folded away.
 */
import { attributionText } from '../model/attribution.ts';
import { buildMatrix, type Cell, type Matrix } from './matrix.ts';
import { columnLabel } from './columns.ts';
import { esc, type RawBudget } from './html-text.ts';
import type { ScenarioEntry } from './results-document.ts';
import { problemsOf, verdictTextOf } from './verdict-format.ts';

/** Rows of one scenario's matrix; the rest are counted (a full sweep lists only unexpected ports anyway). */
export const MAX_MATRIX_ROWS = 200;

export function scenarioSection(r: ScenarioEntry, id: string, raw: RawBudget): string {
  const line = r.lines?.name;
  const parts = [
    `<section class="scenario ${r.status}" id="${id}">`,
    `<h2><span class="badge ${r.status}">${r.status.toUpperCase()}</span> ${esc(r.name)}</h2>`,
    `<div class="file"><code>${esc(r.file)}${line ? `:${esc(String(line))}` : ''}</code> · ${(r.durationMs / 1000).toFixed(1)} s</div>`,
  ];
  if (r.status === 'error') parts.push(`<h3>Error ${esc(r.errorCode ?? '')}</h3>`, raw.pre(r.error ?? 'unknown error'));
  const problems = problemsOf(r);
  if (problems.length > 0) {
    parts.push(
      '<h3>Problems</h3>',
      `<ul class="problems">${problems
        .slice(0, 50)
        .map((p) => `<li>${esc(p)}</li>`)
        .join('')}</ul>`,
    );
    if (problems.length > 50) parts.push(`<p class="meta">${problems.length - 50} more in results.json</p>`);
  }
  if (r.observations.length > 0 || (r.verdict?.missing.length ?? 0) > 0) parts.push('<h3>Ports: expected against observed</h3>', matrixTable(buildMatrix(r, MAX_MATRIX_ROWS), id));
  parts.push(...details(r, raw), '</section>');
  return parts.join('\n');
}

function matrixTable(m: Matrix, id: string): string {
  // Each distinct deciding rule gets a number; a cell carries the number, the folded list under the matrix
  // the rule's text, so a matrix stays one line a port however long the rules are.
  const whys = new Map<string, number>();
  const head = `<tr><th>port</th>${m.columns.map((c) => `<th>${esc(columnLabel(c))}</th>`).join('')}<th>IPv4 / IPv6</th></tr>`;
  const rows = m.rows.map((row) => {
    const gap = row.parity.length > 0 ? `<td class="gap">⚠ IPv4 ≠ IPv6 (${esc(row.parity.join(', '))})</td>` : '<td></td>';
    return `<tr><th>${esc(`${row.protocol}/${row.port}`)}</th>${row.cells.map((c) => cell(c, whys, id)).join('')}${gap}</tr>`;
  });
  const more = m.more > 0 ? `<p class="meta">${m.more} more ports in results.json</p>` : '';
  return `<div class="scroll"><table class="matrix"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></div>${more}${whyList(whys, id)}`;
}

function whyList(whys: ReadonlyMap<string, number>, id: string): string {
  if (whys.size === 0) return '';
  const items = [...whys].map(([text, n]) => `<li id="${id}-why-${n}" value="${n}">${esc(text)}</li>`);
  return `<details class="why"><summary>Why: the deciding rules (${whys.size})</summary><ol class="why">${items.join('\n')}</ol></details>`;
}

const KIND_TEXT: Record<Cell['kind'], string> = {
  ok: 'as expected',
  exposed: 'EXPOSED, not expected',
  mismatch: 'not as expected',
  missing: 'expected, not observed',
  unchecked: 'no expectation',
  none: 'no verdict',
};

function cell(c: Cell, whys: Map<string, number>, id: string): string {
  const open = c.observed === 'open' || c.observed === 'delivered';
  const classes = ['cell', c.kind, ...(open ? ['open'] : [])].join(' ');
  // The rule or policy that decided the cell: on hover, and numbered in the "why" list under the matrix.
  const why = c.attribution ? attributionText(c.attribution) : '';
  if (why && !whys.has(why)) whys.set(why, whys.size + 1);
  const title = [KIND_TEXT[c.kind], c.reason ? `reason: ${c.reason}` : '', c.expected ? `expected: ${c.expected}` : '', why ? `why: ${why}` : ''].filter(Boolean).join('; ');
  const state = c.observed === null ? (c.kind === 'missing' ? '—' : '') : open ? c.observed.toUpperCase() : c.observed;
  const mark = why ? ` <a class="mark" href="#${id}-why-${whys.get(why)}">[${whys.get(why)}]</a>` : '';
  const expected = c.expected ? `<small>expected ${esc(c.expected)}</small>` : '';
  return `<td class="${classes}" title="${esc(title)}">${esc(state)}${mark}${expected}</td>`;
}

function details(r: ScenarioEntry, raw: RawBudget): string[] {
  const out: string[] = [];
  const verdictText = verdictTextOf(r);
  if (verdictText) out.push(`<details open><summary>Verdict</summary>${raw.pre(verdictText)}</details>`);
  if (r.applied) {
    const hash = r.appliedSha256;
    out.push(
      '<details><summary>Applied rulesets (as the kernel had them)</summary>',
      `<p class="meta">IPv4 sha256 <code>${hash?.v4 ?? ''}</code></p>`,
      raw.pre(r.applied.v4),
      `<p class="meta">IPv6 sha256 <code>${hash?.v6 ?? ''}</code></p>`,
      raw.pre(r.applied.v6),
      '</details>',
    );
  }
  if (r.counters) {
    out.push('<details><summary>Rule counters after the scans ([packets:bytes])</summary>', raw.pre(r.counters.v4), raw.pre(r.counters.v6), '</details>');
  }
  const scans = r.scans.filter((s) => s.xml !== undefined);
  if (scans.length > 0) {
    out.push(`<details><summary>nmap's XML (${scans.length} scans)</summary>`);
    for (const s of scans) out.push(`<p class="meta"><code>${esc(s.command.join(' '))}</code> · ${esc(String(s.ms))} ms</p>`, raw.pre(s.xml!));
    out.push('</details>');
  }
  return out;
}
