/** Plain-text rendering of the benchmark's rows: one table, sections in order, targets beside values. */
import type { Row } from './measure.ts';

function formatValue(r: Pick<Row, 'value' | 'unit'>): string {
  switch (r.unit) {
    case 'ms':
      return r.value >= 10_000 ? `${(r.value / 1000).toFixed(1)} s` : `${r.value} ms`;
    case 'x':
      return `${r.value.toFixed(2)}×`;
    case 'MB':
      return `${r.value} MB`;
    case 'calls':
    case 'ports':
      return `${r.value}`;
    case 'load':
      return r.value.toFixed(2);
  }
}

function formatTarget(r: Row): string {
  if (!r.target) return '';
  return `${r.target.op} ${formatValue({ value: r.target.value, unit: r.unit })}`;
}

export function formatRows(rows: readonly Row[]): string {
  const header = ['metric', 'measured', 'target', '', 'note'];
  const lines: string[] = [];
  let section = '';
  const cells = rows.map((r) => [r.metric, formatValue(r), formatTarget(r), r.verdict ?? '', r.note ?? '']);
  const width = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // The note column is last and unpadded: it may be long.
  const render = (c: string[]) =>
    c
      .map((cell, i) => (i === c.length - 1 ? cell : i === 1 || i === 2 ? cell.padStart(width[i]!) : cell.padEnd(width[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(render(header));
  rows.forEach((r, i) => {
    if (r.section !== section) {
      section = r.section;
      lines.push('', `== ${section}`);
    }
    lines.push(render(cells[i]!));
  });
  return `${lines.join('\n')}\n`;
}
