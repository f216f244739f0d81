/**
 * Two exposures compared: only what changed, port by port, as `check`, `diff` and `compare` print it.
 * A change is any move between the words of admission.ts (`blocked → admitted` is one: the firewall now
 * lets the port in), and coverage that shrinks: a port, or a whole vantage × host × family × protocol,
 * known before and not seen after, is a change, never a silent pass. A port not seen before and blocked
 * after is no change (coverage grew, nothing is exposed); not seen before and admitted or more is.
 */
import { printable } from '../model/printable.ts';
import { rangesOfSorted, formatRange } from '../model/ports.ts';
import { ACCESS_RANK } from './admission.ts';
import { TARGET_HOST, sliceKey, sortedEntries, type Exposure, type ExposureSlice, type ExposureSnapshot } from './exposure.ts';

/** A port's exposure on one side; `not seen` when that side has no known state for it. */
export type Seen = Exposure | 'not seen';

/** One run of consecutive ports in one slice whose exposure changed the same way. */
export interface ExposureChange extends ExposureSlice {
  from: number;
  to: number;
  before: Seen;
  after: Seen;
  /** Set when the whole slice is missing after: every port of it, and the slice itself, is not seen. */
  slice?: { ports: number };
}

/** `more access`, `less access`, or `not seen` (coverage shrank). */
export type ChangeWay = 'more access' | 'less access' | 'not seen';

/** Which way a change goes; `null` when it is no change. */
export function changeWay(before: Seen, after: Seen): ChangeWay | null {
  if (after === 'not seen') return before === 'not seen' ? null : 'not seen';
  if (before === 'not seen') return ACCESS_RANK[after] > ACCESS_RANK.blocked ? 'more access' : null;
  // `shut` (format 1) and `blocked` rank alike: a port read as shut that is blocked now did not move.
  const delta = ACCESS_RANK[after] - ACCESS_RANK[before];
  return delta > 0 ? 'more access' : delta < 0 ? 'less access' : null;
}

/** What changed from `before` to `after`, in slice order then port order. */
export function exposureChanges(before: ExposureSnapshot, after: ExposureSnapshot): ExposureChange[] {
  const slices = new Map([...after, ...before]);
  const changes: ExposureChange[] = [];
  for (const slice of sortedEntries(slices)) {
    const key = sliceKey(slice);
    const { vantage, host, family, protocol } = slice;
    const a = before.get(key)?.ports ?? new Map<number, Exposure>();
    if (before.has(key) && !after.has(key)) {
      // The whole slice is gone (a vantage, host, family or protocol no longer scanned): one line says so.
      const ports = [...a.keys()].sort((x, y) => x - y);
      changes.push({ vantage, host, family, protocol, from: ports[0] ?? 0, to: ports.at(-1) ?? 0, before: 'not seen', after: 'not seen', slice: { ports: ports.length } });
      continue;
    }
    const b = after.get(key)?.ports ?? new Map<number, Exposure>();
    const ports = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
    const changed = ports.map((port) => ({ port, before: a.get(port) ?? ('not seen' as Seen), after: b.get(port) ?? ('not seen' as Seen) })).filter((p) => changeWay(p.before, p.after) !== null);
    // Consecutive ports that changed the same way print as one range: a loosened rule on 1000-2000 is one line.
    const groups = new Map<string, number[]>();
    for (const p of changed) {
      const way = `${p.before}\0${p.after}`;
      groups.set(way, [...(groups.get(way) ?? []), p.port]);
    }
    const inSlice: ExposureChange[] = [];
    for (const [way, list] of groups) {
      const [b4, af] = way.split('\0') as [Seen, Seen];
      for (const range of rangesOfSorted(list)) inSlice.push({ vantage, host, family, protocol, from: range.from, to: range.to, before: b4, after: af });
    }
    changes.push(...inSlice.sort((x, y) => x.from - y.from));
  }
  return changes;
}

/**
 * `peer ipv4 tcp/3000: blocked → admitted (more access)`; a host other than the target is named:
 * `peer to db ipv4 tcp/5432: …`; a slice that is gone: `peer ipv6 udp: scanned before (3 ports known), not seen now`.
 */
export function formatChange(change: ExposureChange): string {
  const where = change.host === TARGET_HOST ? change.vantage : `${change.vantage} to ${change.host}`;
  if (change.slice) {
    return printable(`${where} ${change.family} ${change.protocol}: scanned before (${change.slice.ports} port(s) known), not seen now (coverage shrank)`);
  }
  const ports = formatRange({ from: change.from, to: change.to });
  const way = changeWay(change.before, change.after);
  // Unverified may be admitted: a move to it is a change, said as what it is rather than as proven access.
  const note = way === 'not seen' ? 'coverage shrank' : way === 'more access' && change.after === 'unverified' ? 'may be admitted: the ledger could not verify it' : way;
  return printable(`${where} ${change.family} ${change.protocol}/${ports}: ${change.before} → ${change.after}${note ? ` (${note})` : ''}`);
}

/** How many ports have a known state, over every slice. */
export function knownPorts(snapshot: ExposureSnapshot): number {
  return [...snapshot.values()].reduce((n, e) => n + e.ports.size, 0);
}
