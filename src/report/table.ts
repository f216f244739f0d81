/**
 * The port table per vantage: family against port, as the demo and `fwprobe run` print it, with a "why"
 * footnote on every attributed cell (the rule or policy that decided it).
 */
import { attributionText } from '../model/attribution.ts';
import { compareViews, FAMILIES, PROTOCOLS, viewLabel, type Family, type PortState, type Protocol, type View } from '../model/observation.ts';
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

/**
 * A port-by-family table of one scenario's observations: one row a port, one column a vantage × family.
 * Open ports are upper case, so the IPv6 gap stands out.
 */
export function formatExposureTable(result: ScenarioResult): string {
  const columns: { view: string; family: Family }[] = [];
  const views = new Map<string, View>(result.observations.map((o) => [viewLabel(o), o]));
  for (const view of [...views.values()].sort(compareViews).map(viewLabel)) {
    for (const family of FAMILIES) {
      if (result.observations.some((o) => viewLabel(o) === view && o.family === family)) columns.push({ view, family });
    }
  }
  const rows: string[][] = [['port', ...columns.map((c) => `${c.view} ${c.family}`)]];
  // One number per distinct reason, in order of first use: cells that share a rule share its number.
  const why = new Map<string, number>();
  const mark = (o: { attribution?: Parameters<typeof attributionText>[0] }) => {
    if (!o.attribution) return '';
    const text = attributionText(o.attribution);
    if (!why.has(text)) why.set(text, why.size + 1);
    return ` [${why.get(text)}]`;
  };
  for (const protocol of PROTOCOLS) {
    for (const port of portsOf(result, protocol)) {
      rows.push([
        `${port}/${protocol}`,
        ...columns.map(({ view, family }) => {
          const o = result.observations.find(
            (x) => viewLabel(x) === view && x.family === family && x.protocol === protocol && x.port === port,
          );
          return o ? `${SHORT[o.state]}${mark(o)}` : '-';
        }),
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const notes = [...why].map(([text, n]) => `[${n}] ${text}`);
  return [...table, ...(notes.length > 0 ? ['why:', ...notes] : [])].join('\n');
}

function portsOf(result: ScenarioResult, protocol: Protocol): number[] {
  return [...new Set(result.observations.filter((o) => o.protocol === protocol).map((o) => o.port))].sort(
    (a, b) => a - b,
  );
}
