/**
 * The library comparison's pure parts (bench/args.ts, bench/against-rows.ts) and the revision check against
 * this repository's real git: a wrong ratio, a PASS that should be a MISS, or a revision that reaches git
 * as an option would make issue 24's target row lie.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { againstErrors, againstRows, statusLine, type LibraryResult, type SideRuns } from '../../bench/against-rows.ts';
import { BenchArgError, libraryPairs, parseBenchArgs } from '../../bench/args.ts';
import { resolveRevision } from '../../bench/revision.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const passed = (name: string): LibraryResult => ({ name, status: 'passed', durationMs: 1000 });
const side = (role: 'previous' | 'current', walls: number[], results: LibraryResult[] = [passed('a'), passed('b')]): SideRuns => ({
  role,
  label: role === 'previous' ? 'f6383bf The old one' : 'abc1234 The new one',
  runs: walls.map((wallMs) => ({ wallMs, image: 'fwprobe-target:1234', results, load: { start: 2, end: 3.5 } })),
});

describe('bench arguments', () => {
  it('takes --against with --library-only, and pairs runs as previous, current, previous, current', () => {
    const args = parseBenchArgs(['--library-only', '--against', 'main~1']);
    expect(args).toMatchObject({ libraryOnly: true, against: 'main~1', runs: 5 });
    expect(parseBenchArgs([]).against).toBeNull();
    expect(libraryPairs(1)).toBe(1);
    expect(libraryPairs(2)).toBe(2);
    expect(libraryPairs(5)).toBe(2);
  });

  it.each([
    [['--against=--upload-pack=evil'], /cannot start with "-"/],
    [['--against', 'main branch'], /no spaces or control characters/],
    [['--against', 'a\nb'], /no spaces or control characters/],
    [['--against='], /needs a revision/],
    [['--against', 'x'.repeat(201)], /at most 200/],
    [['--runs', '0'], /--runs must be a whole number/],
    [['--runs', '2.5'], /--runs must be a whole number/],
    [['--docker-only', '--library-only'], /give one of them/],
    [['--profile', '--against', 'main'], /not --profile/],
    [['--no-such-flag'], /Flags: --quick/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchArgError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe('revision', () => {
  it('resolves a commit of this repository and names an unknown one', async () => {
    expect(await resolveRevision('HEAD', REPO)).toMatch(/^[0-9a-f]{40}$/);
    await expect(resolveRevision('no-such-revision-here', REPO)).rejects.toThrow(/no-such-revision-here.*no such commit/);
    await expect(resolveRevision('-p', REPO)).rejects.toThrow(BenchArgError);
  });
});

describe('library comparison rows', () => {
  it('judges the ratio of the medians against 0.5', () => {
    const rows = againstRows(side('previous', [100_000, 110_000]), side('current', [50_000, 54_000]));
    const ratio = rows.at(-1)!;
    expect(ratio.metric).toBe('wall current / previous');
    expect(ratio.value).toBeCloseTo(52_000 / 105_000, 6);
    expect(ratio.verdict).toBe('PASS');
    expect(ratio.note).toContain('0.50, 0.49');
    expect(ratio.note).toContain('load per run: previous 1 2.0→3.5, previous 2 2.0→3.5, current 1 2.0→3.5');
    expect(rows[0]).toMatchObject({ metric: 'previous: f6383bf The old one', value: 105_000 });
    expect(rows[0]!.note).toContain('2 passed, 0 failed, 0 error');
    expect(rows[1]).toMatchObject({ metric: 'current: abc1234 The new one', value: 52_000 });
  });

  it('is a MISS above 0.5 and a PASS at exactly 0.5', () => {
    expect(againstRows(side('previous', [80_000]), side('current', [79_000])).at(-1)!.verdict).toBe('MISS');
    expect(againstRows(side('previous', [80_000]), side('current', [40_001])).at(-1)!.verdict).toBe('MISS');
    expect(againstRows(side('previous', [80_000]), side('current', [40_000])).at(-1)!.verdict).toBe('PASS');
  });

  it('reports an error on either side, by side, run and scenario', () => {
    const broken: LibraryResult = { name: 'nft-basic', status: 'error', durationMs: 5, errorCode: 'LAB_START_FAILED', error: 'no engine' };
    const previous = side('previous', [1, 2], [passed('a'), broken]);
    const current = side('current', [1, 2]);
    expect(againstErrors(previous, current)).toEqual([
      'section 5a, previous (f6383bf) run 1: nft-basic: LAB_START_FAILED: no engine',
      'section 5a, previous (f6383bf) run 2: nft-basic: LAB_START_FAILED: no engine',
    ]);
    expect(againstRows(previous, current)[0]!.note).toContain('1 passed, 0 failed, 1 error: nft-basic (error)');
    expect(() => againstRows(side('previous', []), current)).toThrow(RangeError);
  });

  it('names at most five scenarios that did not pass', () => {
    const failed = Array.from({ length: 7 }, (_, i) => ({ name: `s${i}`, status: 'failed', durationMs: 1 }));
    expect(statusLine(failed)).toBe('0 passed, 7 failed, 0 error: s0 (failed), s1 (failed), s2 (failed), s3 (failed), s4 (failed), +2 more');
  });
});
