/**
 * Which ports each protocol scans: the services of that protocol, `ports`, and every port named in an
 * expectation, as a sorted unique list. `all` means 1-65535. `top-N` becomes nmap's `--top-ports N` and
 * keeps the explicit ports beside it, because the top-N set is only known to nmap at scan time.
 * Everything stays a range until the merged result is expanded, once per protocol.
 */
import { PROTOCOLS, type Protocol } from '../model/observation.ts';
import type { IssueList } from '../source/issues.ts';
import { expandRanges, MAX_PORT, MIN_PORT, mergeRanges, parsePortRange, rangesOfSorted, TOP_PATTERN, type PortRange } from '../model/ports.ts';
import { RangeSet } from '../model/range-set.ts';
import type { ScenarioInput } from './schema.ts';
import type { PortSelection, ServiceSpec } from '../model/scenario.ts';

type PortsInput = NonNullable<ScenarioInput['ports']>;
type SelectionInput = NonNullable<PortsInput['tcp']>;

export function computeScan(
  portsInput: PortsInput | undefined,
  services: readonly ServiceSpec[],
  expectationRanges: Record<Protocol, readonly PortRange[]>,
  issues: IssueList,
): Record<Protocol, PortSelection> {
  const out = {} as Record<Protocol, PortSelection>;
  for (const protocol of PROTOCOLS) {
    const requested = parseSelection(portsInput?.[protocol], ['ports', protocol], issues);
    const explicit = expandRanges(mergeRanges([...services.filter((s) => s.protocol === protocol).map((s) => ({ from: s.port, to: s.port })), ...requested.ranges, ...expectationRanges[protocol]]));
    if (requested.all) out[protocol] = { kind: 'list', ports: expandRanges([{ from: MIN_PORT, to: MAX_PORT }]) };
    else if (requested.top !== null) out[protocol] = { kind: 'top', count: requested.top, ports: explicit };
    else out[protocol] = { kind: 'list', ports: explicit };
  }
  return out;
}

/** A protocol scans something when it has explicit ports or a top-N selection. */
export function scannedProtocols(scan: Record<Protocol, PortSelection>): Protocol[] {
  return PROTOCOLS.filter((p) => scan[p].kind === 'top' || scan[p].ports.length > 0);
}

/**
 * The lowest port of `range` that is certainly not scanned, or null. With top-N, unknown ports are given
 * the benefit of the doubt.
 */
export function firstUnscanned(selection: PortSelection, scanned: RangeSet, range: PortRange): number | null {
  return selection.kind === 'top' ? null : scanned.firstMissing(range);
}

/** A selection's explicit ports as a range set, for `firstUnscanned`. */
export function scannedSet(selection: PortSelection): RangeSet {
  const set = new RangeSet();
  for (const range of rangesOfSorted(selection.ports)) set.add(range);
  return set;
}

interface ParsedSelection {
  all: boolean;
  top: number | null;
  ranges: PortRange[];
}

function parseSelection(input: SelectionInput | undefined, path: (string | number)[], issues: IssueList): ParsedSelection {
  const result: ParsedSelection = { all: false, top: null, ranges: [] };
  if (input === undefined) return result;
  const items = typeof input === 'string' ? [input] : input;
  items.forEach((item, index) => {
    const itemPath = typeof input === 'string' ? path : [...path, index];
    const top = typeof item === 'string' ? TOP_PATTERN.exec(item) : null;
    if (item === 'all') result.all = true;
    else if (top) {
      if (result.top !== null) {
        issues.add(itemPath, `expected at most one top-N, found top-${result.top} and ${item}: keep one`);
      }
      result.top = Number(top[1]);
    } else result.ranges.push(parsePortRange(item));
  });
  return result;
}
