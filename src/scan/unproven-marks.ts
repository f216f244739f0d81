/**
 * nmap's scans come from one pinned source port with one shape. Under a rule keyed on the source port or the
 * packet's shape (`--sport 53 -j ACCEPT`, `tcp sport 47311 drop`), a silent port says only that *this* probe
 * was held: a client from another port or of another shape may get in. Such ports are marked `unverified`
 * (Observation.ledger), so the release gate never reads them as blocked; the UDP ledger's own `admitted`
 * stands, since the scan's probe was let in whatever the rule.
 */
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import type { PortState } from '../model/observation.ts';
import type { PortSummary, ScanResult } from './types.ts';

const SILENT: ReadonlySet<PortState> = new Set(['filtered', 'open|filtered']);

/**
 * The result with every silent port that `unproven` names a rule for marked `unverified`, summaries split so
 * that each holds one mark, and the count of marked ports.
 * @param unproven - The rule keyed on the probe's shape that can decide `port`, or undefined.
 */
export function markUnproven(result: ScanResult, unproven: (port: number) => string | undefined): { result: ScanResult; marked: number; rule?: string } {
  let marked = 0;
  let rule: string | undefined;
  const hit = (state: PortState, ledger: string | undefined, port: number) => {
    if (!SILENT.has(state) || ledger === 'admitted') return false;
    const found = unproven(port);
    if (found === undefined) return false;
    marked++;
    rule ??= found;
    return true;
  };
  const mark = <T extends { ledger?: unknown; droppedAt?: unknown }>(item: T): T => {
    const { droppedAt: _held, ...rest } = item;
    return { ...rest, ledger: 'unverified' } as T;
  };
  const observations = result.observations.map((o) => (hit(o.state, o.ledger, o.port) ? mark(o) : o));
  const others = result.others.flatMap((summary): PortSummary[] => {
    if (summary.ports === null || !SILENT.has(summary.state) || summary.ledger === 'admitted') return [summary];
    const held: number[] = [];
    const kept: number[] = [];
    // Pushed, never copied: a full sweep's summary holds ~65,000 ports (see counted.ts).
    for (const port of parsePortSpec(summary.ports)) (hit(summary.state, summary.ledger, port) ? held : kept).push(port);
    if (held.length === 0) return [summary];
    const part = (ports: number[]) => ({ ...summary, count: ports.length, ports: formatPortSpec(ports) });
    return [...(kept.length > 0 ? [part(kept)] : []), mark(part(held))];
  });
  return { result: { ...result, observations, others }, marked, ...(rule === undefined ? {} : { rule }) };
}
