/**
 * `parity`: the mode (default strict: an IPv6 port that answers otherwise than its IPv4 twin fails unless an
 * exception excuses it with a reason, or the scenario says `parity: report`) and its exceptions, one per port. Ranges are checked against the scan
 * and against earlier exceptions as ranges: a port named again (same vantage and protocol) keeps its first
 * reason, so 2,000 exceptions of "2-65535" give 65,534 exceptions, not 131 million.
 */
import { PROTOCOLS, type Protocol, type Vantage } from '../model/observation.ts';
import type { IssueList } from '../source/issues.ts';
import { parsePortRef } from '../model/ports.ts';
import { RangeSet } from '../model/range-set.ts';
import type { ScenarioInput } from './schema.ts';
import { firstUnscanned, scannedSet } from './scan-selection.ts';
import type { ParityException, ParityMode, PortSelection } from '../model/scenario.ts';

type ParityInput = NonNullable<ScenarioInput['parity']>;

/** A scenario that says nothing about parity is held to it: the IPv6 gap is the mistake fwprobe exists to catch. */
export const DEFAULT_PARITY_MODE: ParityMode = 'strict';

export function normaliseParity(
  input: ParityInput | undefined,
  vantages: readonly Vantage[],
  scan: Record<Protocol, PortSelection>,
  issues: IssueList,
): { mode: ParityMode; exceptions: ParityException[] } {
  if (input === undefined) return { mode: DEFAULT_PARITY_MODE, exceptions: [] };
  if (typeof input === 'string') return { mode: input, exceptions: [] };
  const exceptions: ParityException[] = [];
  const scanned = { tcp: scannedSet(scan.tcp), udp: scannedSet(scan.udp) };
  const excused = new Map<string, RangeSet>();
  (input.exceptions ?? []).forEach((exception, index) => {
    const path = ['parity', 'exceptions', index];
    const vantage = exception.vantage ?? 'all';
    if (vantage !== 'all' && !vantages.includes(vantage)) {
      issues.add([...path, 'vantage'], `expected one of the scanned vantages [${vantages.join(', ')}] or all, found ${vantage}`);
    }
    const ref = parsePortRef(exception.port);
    const unscanned = firstUnscanned(scan[ref.protocol], scanned[ref.protocol], ref);
    if (unscanned !== null) {
      issues.add(
        [...path, 'port'],
        `expected a scanned port, found ${unscanned}/${ref.protocol}, which is never scanned: ` + `add it to services, ports.${ref.protocol} or an expectation, or remove this exception`,
      );
      return;
    }
    const key = `${vantage}/${ref.protocol}`;
    const earlier = excused.get(key) ?? new RangeSet();
    excused.set(key, earlier);
    const why = exception.why.trim();
    for (const part of earlier.missingParts(ref)) {
      for (let port = part.from; port <= part.to; port++) exceptions.push({ vantage, protocol: ref.protocol, port, why });
    }
    earlier.add(ref);
  });
  exceptions.sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
  return { mode: input.mode ?? DEFAULT_PARITY_MODE, exceptions };
}
