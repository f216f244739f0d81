/**
 * The port table per vantage: family against port, as the demo and `fwprobe run` print it.
 */
import { FAMILIES, PROTOCOLS, type Family, type PortState, type Protocol, type Vantage } from '../model/observation.ts';
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
  const columns: { vantage: Vantage; family: Family }[] = [];
  for (const vantage of ['loopback', 'peer'] as const) {
    for (const family of FAMILIES) {
      if (result.observations.some((o) => o.vantage === vantage && o.family === family)) columns.push({ vantage, family });
    }
  }
  const rows: string[][] = [['port', ...columns.map((c) => `${c.vantage} ${c.family}`)]];
  for (const protocol of PROTOCOLS) {
    for (const port of portsOf(result, protocol)) {
      rows.push([
        `${port}/${protocol}`,
        ...columns.map(({ vantage, family }) => {
          const o = result.observations.find(
            (x) => x.vantage === vantage && x.family === family && x.protocol === protocol && x.port === port,
          );
          return o ? SHORT[o.state] : '-';
        }),
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function portsOf(result: ScenarioResult, protocol: Protocol): number[] {
  return [...new Set(result.observations.filter((o) => o.protocol === protocol).map((o) => o.port))].sort(
    (a, b) => a - b,
  );
}
