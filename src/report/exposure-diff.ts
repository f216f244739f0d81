/**
 * Two exposures compared: only what changed, port by port, as `check`, `diff` and `compare` print it.
 * A change is one where either side is exposed (`open`, `delivered`); a port that is shut on one side
 * and not seen on the other (an ambiguous state, a port not scanned) changes no exposure.
 */
import { printable } from '../model/printable.ts';
import { rangesOfSorted, formatRange } from '../model/ports.ts';
import { TARGET_HOST, sliceKey, sortedEntries, type Exposure, type ExposureSlice, type ExposureSnapshot } from './exposure.ts';

/** A port's exposure on one side; `not seen` when that side has no known state for it. */
export type Seen = Exposure | 'not seen';

/** One run of consecutive ports in one slice whose exposure changed the same way. */
export interface ExposureChange extends ExposureSlice {
  from: number;
  to: number;
  before: Seen;
  after: Seen;
}

const EXPOSED = new Set<Seen>(['open', 'delivered']);

/** What changed from `before` to `after`, in slice order then port order. */
export function exposureChanges(before: ExposureSnapshot, after: ExposureSnapshot): ExposureChange[] {
  const slices = new Map([...after, ...before]);
  const changes: ExposureChange[] = [];
  for (const slice of sortedEntries(slices)) {
    const key = sliceKey(slice);
    const a = before.get(key)?.ports ?? new Map<number, Exposure>();
    const b = after.get(key)?.ports ?? new Map<number, Exposure>();
    const ports = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
    const changed = ports
      .map((port) => ({ port, before: a.get(port) ?? ('not seen' as Seen), after: b.get(port) ?? ('not seen' as Seen) }))
      .filter((p) => p.before !== p.after && (EXPOSED.has(p.before) || EXPOSED.has(p.after)));
    // Consecutive ports that changed the same way print as one range: a loosened rule on 1000-2000 is one line.
    const groups = new Map<string, number[]>();
    for (const p of changed) {
      const way = `${p.before}\0${p.after}`;
      groups.set(way, [...(groups.get(way) ?? []), p.port]);
    }
    const { vantage, host, family, protocol } = slice;
    const inSlice: ExposureChange[] = [];
    for (const [way, list] of groups) {
      const [b4, af] = way.split('\0') as [Seen, Seen];
      for (const range of rangesOfSorted(list)) inSlice.push({ vantage, host, family, protocol, from: range.from, to: range.to, before: b4, after: af });
    }
    changes.push(...inSlice.sort((x, y) => x.from - y.from));
  }
  return changes;
}

/** `peer ipv6 tcp/53: shut → open`; a host other than the target is named: `peer to db ipv4 tcp/5432: …`. */
export function formatChange(change: ExposureChange): string {
  const where = change.host === TARGET_HOST ? change.vantage : `${change.vantage} to ${change.host}`;
  const ports = formatRange({ from: change.from, to: change.to });
  return printable(`${where} ${change.family} ${change.protocol}/${ports}: ${change.before} → ${change.after}`);
}

/** How many ports have a known state, over every slice. */
export function knownPorts(snapshot: ExposureSnapshot): number {
  return [...snapshot.values()].reduce((n, e) => n + e.ports.size, 0);
}
