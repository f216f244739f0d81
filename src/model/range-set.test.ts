/** Range arithmetic, which keeps port lists as ranges until one final expansion. */
import { describe, expect, it } from 'vitest';
import { expandRanges, mergeRanges } from './ports.ts';
import { RangeSet } from './range-set.ts';

const r = (from: number, to = from) => ({ from, to });

describe('mergeRanges / expandRanges', () => {
  it('merges overlapping and adjacent ranges, in any order', () => {
    expect(mergeRanges([r(10, 20), r(1, 3), r(4, 5), r(15, 30), r(40)])).toEqual([r(1, 5), r(10, 30), r(40)]);
    expect(mergeRanges(Array.from({ length: 2000 }, () => r(2, 65535)))).toEqual([r(2, 65535)]);
  });

  it('expands merged ranges once, and refuses unmerged ones', () => {
    expect(expandRanges([r(1, 3), r(7)])).toEqual([1, 2, 3, 7]);
    expect(expandRanges([])).toEqual([]);
    expect(() => expandRanges([r(1, 5), r(3, 9)])).toThrow(/mergeRanges first/);
    expect(() => expandRanges([r(1, 5), r(6, 9)])).toThrow(/mergeRanges first/);
  });
});

describe('RangeSet', () => {
  it('adds, merging what overlaps or touches', () => {
    const set = new RangeSet();
    for (const range of [r(50, 60), r(1, 10), r(11, 20), r(30, 40), r(35, 55)]) set.add(range);
    expect(set.toRanges()).toEqual([r(1, 20), r(30, 60)]);
    expect(set.toPorts()).toHaveLength(20 + 31);
  });

  it('answers overlap, first missing port and missing parts by range', () => {
    const set = new RangeSet();
    set.add(r(10, 20));
    set.add(r(30, 40));
    expect(set.firstOverlap(r(1, 9))).toBeNull();
    expect(set.firstOverlap(r(15, 35))).toEqual(r(15, 20));
    expect(set.firstOverlap(r(21, 35))).toEqual(r(30, 35));
    expect(set.firstMissing(r(10, 20))).toBeNull();
    expect(set.firstMissing(r(12, 31))).toBe(21);
    expect(set.firstMissing(r(5, 12))).toBe(5);
    expect(set.missingParts(r(1, 50))).toEqual([r(1, 9), r(21, 29), r(41, 50)]);
    expect(set.missingParts(r(12, 18))).toEqual([]);
  });
});
