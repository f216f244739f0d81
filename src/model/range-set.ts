/**
 * A set of ports kept as sorted, disjoint ranges. Scenario lists name ranges ("2-65535"), possibly many
 * times over: checking them against each other range by range costs a binary search, where a set of single
 * ports cost 65,535 insertions per item (2,000 such items took minutes and hundreds of MB before a scan).
 */
import { expandRanges, type PortRange } from './ports.ts';

export class RangeSet {
  /** Sorted, disjoint, never adjacent (adjacent ranges are merged). */
  private readonly ranges: PortRange[] = [];

  /** Adds the ports of `range`, merging with any range it overlaps or touches. */
  add(range: PortRange): void {
    const first = this.firstEndingAtOrAfter(range.from - 1);
    let last = first;
    let { from, to } = range;
    while (last < this.ranges.length && this.ranges[last]!.from <= range.to + 1) {
      from = Math.min(from, this.ranges[last]!.from);
      to = Math.max(to, this.ranges[last]!.to);
      last += 1;
    }
    this.ranges.splice(first, last - first, { from, to });
  }

  /** The ports of `range` this set holds, from the lowest: the first run of them, or null. */
  firstOverlap(range: PortRange): PortRange | null {
    const candidate = this.ranges[this.firstEndingAtOrAfter(range.from)];
    if (!candidate || candidate.from > range.to) return null;
    return { from: Math.max(candidate.from, range.from), to: Math.min(candidate.to, range.to) };
  }

  /** The lowest port of `range` this set does not hold, or null when it holds them all. */
  firstMissing(range: PortRange): number | null {
    const candidate = this.ranges[this.firstEndingAtOrAfter(range.from)];
    if (!candidate || candidate.from > range.from) return range.from;
    return candidate.to >= range.to ? null : candidate.to + 1;
  }

  /** The parts of `range` this set does not hold, ascending. */
  missingParts(range: PortRange): PortRange[] {
    const parts: PortRange[] = [];
    let from = range.from;
    for (let i = this.firstEndingAtOrAfter(range.from); i < this.ranges.length && from <= range.to; i++) {
      const held = this.ranges[i]!;
      if (held.from > range.to) break;
      if (held.from > from) parts.push({ from, to: held.from - 1 });
      from = Math.max(from, held.to + 1);
    }
    if (from <= range.to) parts.push({ from, to: range.to });
    return parts;
  }

  /** The ranges, sorted and merged (a copy). */
  toRanges(): PortRange[] {
    return this.ranges.map((r) => ({ ...r }));
  }

  /** Every port, ascending: the one place a set becomes numbers. */
  toPorts(): number[] {
    return expandRanges(this.ranges);
  }

  /** Index of the first range whose end is at or after `port` (binary search). */
  private firstEndingAtOrAfter(port: number): number {
    let low = 0;
    let high = this.ranges.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ranges[mid]!.to < port) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
