/**
 * The port table per vantage, as `fwprobe run` and the demo print it: one row a port, one column a
 * vantage × host × family (from the data, loopback first), a mark where IPv4 and IPv6 differ. Colour (red
 * for an unexpected exposure, yellow for another mismatch, green for as expected) only when asked: the
 * caller decides from the terminal, NO_COLOR and FORCE_COLOR. Every traced cell carries a "why" mark,
 * `[n]`, listed under the table: the rule or policy that decided it.
 */
import { attributionText } from '../model/attribution.ts';
import type { PortState } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import { columnLabel } from './columns.ts';
import { buildMatrix, type Cell } from './matrix.ts';
import type { ScenarioResult } from './result.ts';

const SHORT: Record<PortState, string> = {
  open: 'OPEN',
  closed: 'closed',
  filtered: 'filtered',
  unfiltered: 'unfiltered',
  'open|filtered': 'open|filt',
  'closed|filtered': 'closed|filt',
  unreachable: 'unreach',
  delivered: 'DELIVERED',
};

const SGR: Partial<Record<Cell['kind'], string>> = { ok: '32', exposed: '1;31', mismatch: '33', missing: '35' };

export interface TableOptions {
  /** ANSI colours by verdict. @default false */
  colour?: boolean;
  /** Rows at most; the rest are counted. @default 200 */
  maxRows?: number;
}

/**
 * A port-by-column table of one scenario's observations. Open ports are upper case, so the IPv6 gap stands
 * out; a cell the verdict rejects ends in `✗`.
 */
export function formatExposureTable(result: ScenarioResult, options: TableOptions = {}): string {
  const matrix = buildMatrix(result, options.maxRows ?? 200);
  const gaps = matrix.rows.some((r) => r.parity.length > 0);
  const rows: { text: string; kind: Cell['kind'] | null }[][] = [
    [{ text: 'port', kind: null }, ...matrix.columns.map((c) => ({ text: printable(columnLabel(c)), kind: null })), ...(gaps ? [{ text: '', kind: null }] : [])],
  ];
  // One number per distinct reason, in order of first use: cells that share a rule share its number.
  const why = new Map<string, number>();
  const mark = (c: Cell) => {
    if (!c.attribution) return '';
    const text = attributionText(c.attribution);
    if (!why.has(text)) why.set(text, why.size + 1);
    return ` [${why.get(text)}]`;
  };
  for (const row of matrix.rows) {
    rows.push([
      { text: `${row.port}/${row.protocol}`, kind: null },
      ...row.cells.map((c) => ({ text: `${cellText(c)}${mark(c)}`, kind: c.kind })),
      ...(gaps ? [{ text: row.parity.length > 0 ? 'IPv4≠IPv6' : '', kind: null }] : []),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.text.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => paint(cell.text.padEnd(widths[i]!), cell.kind, options.colour === true))
      .join('  ')
      .trimEnd(),
  );
  if (matrix.more > 0) lines.push(`… ${matrix.more} more ports in results.json`);
  const notes = [...why].map(([text, n]) => `[${n}] ${printable(text)}`);
  return [...lines, ...(notes.length > 0 ? ['why:', ...notes] : [])].join('\n');
}

function cellText(c: Cell): string {
  if (c.observed === null) return c.kind === 'missing' ? 'missing ✗' : '-';
  const wrong = c.kind === 'exposed' || c.kind === 'mismatch';
  return `${SHORT[c.observed]}${wrong ? ' ✗' : ''}`;
}

function paint(text: string, kind: Cell['kind'] | null, colour: boolean): string {
  const sgr = kind ? SGR[kind] : undefined;
  return colour && sgr && text.trim() !== '' ? `\u001b[${sgr}m${text}\u001b[0m` : text;
}
