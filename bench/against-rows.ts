/**
 * The library comparison's figures (issue 24: the library in at most half the previous release's wall
 * time): each side's wall per run and statuses, and the ratio current / previous judged against 0.5. Pure,
 * so the ratio and its PASS/MISS are unit-tested; the runs themselves are bench/library-against.ts's.
 */
import { median, row, type Row } from './measure.ts';

/** Issue 24: the library's wall at most this share of the previous release's. */
export const RATIO_TARGET = 0.5;

/** What the bench reads of a scenario result from either side (older commits' results have at least this). */
export interface LibraryResult {
  name: string;
  status: string;
  durationMs: number;
  phases?: { name: string; ms: number }[] | undefined;
  errorCode?: string | null | undefined;
  error?: string | null | undefined;
}

export interface SideRun {
  wallMs: number;
  /** The 1-minute load average as the run started and ended: which runs the machine's other work skewed. */
  load?: { start: number; end: number } | undefined;
  image: string;
  results: LibraryResult[];
}

export interface SideRuns {
  /** `previous` or `current`. */
  role: 'previous' | 'current';
  /** Short hash and subject. */
  label: string;
  runs: SideRun[];
}

export const libraryAgainstTitle = (previous: string) => `5a. the library against ${previous}: current / previous, back to back (a ratio, not seconds)`;

/** `36 passed, 0 failed, 0 error`, and the names of the scenarios that did not pass (at most five). */
export function statusLine(results: readonly LibraryResult[]): string {
  const count = (st: string) => results.filter((r) => r.status === st).length;
  const others = results.length - count('passed') - count('failed') - count('error');
  const line = `${count('passed')} passed, ${count('failed')} failed, ${count('error')} error${others > 0 ? `, ${others} other` : ''}`;
  const notPassed = results.filter((r) => r.status !== 'passed').map((r) => `${r.name} (${r.status})`);
  if (notPassed.length === 0) return line;
  const shown = notPassed.slice(0, 5).join(', ');
  return `${line}: ${shown}${notPassed.length > 5 ? `, +${notPassed.length - 5} more` : ''}`;
}

/** Rows: each side's median wall (runs and statuses in the note), then the ratio with its target. */
export function againstRows(previous: SideRuns, current: SideRuns): Row[] {
  if (previous.runs.length === 0 || current.runs.length === 0) throw new RangeError('the library comparison needs at least one run of each side');
  const section = libraryAgainstTitle(previous.label.split(' ')[0] ?? previous.label);
  const side = (s: SideRuns): Row => {
    const walls = s.runs.map((r) => r.wallMs);
    const statuses = [...new Set(s.runs.map((r) => statusLine(r.results)))].join(' | ');
    const images = [...new Set(s.runs.map((r) => r.image))].join(', ');
    return row({
      section,
      metric: `${s.role}: ${s.label}`,
      value: median(walls),
      unit: 'ms',
      note: `median wall of ${walls.length} (${walls.map(seconds).join(', ')}); ${s.runs[0]!.results.length} scenarios: ${statuses}; image ${images}`,
    });
  };
  const loads = [previous, current].flatMap((s) => s.runs.map((r, i) => (r.load ? `${s.role} ${i + 1} ${r.load.start.toFixed(1)}→${r.load.end.toFixed(1)}` : null))).filter((x) => x !== null);
  const pairs = current.runs.map((c, i) => (previous.runs[i] ? c.wallMs / previous.runs[i].wallMs : null)).filter((x) => x !== null);
  const ratio = median(current.runs.map((r) => r.wallMs)) / median(previous.runs.map((r) => r.wallMs));
  return [
    side(previous),
    side(current),
    row({
      section,
      metric: 'wall current / previous',
      value: ratio,
      unit: 'x',
      target: { op: '<=', value: RATIO_TARGET },
      note: `issue 24; ratio of the medians; per pair (previous then current): ${pairs.map((p) => p.toFixed(2)).join(', ')}${loads.length > 0 ? `; load per run: ${loads.join(', ')}` : ''}`,
    }),
  ];
}

/** Every scenario that ended in `error` on either side: the bench's failure (exit 1), named by side and run. */
export function againstErrors(...sides: SideRuns[]): string[] {
  return sides.flatMap((s) =>
    s.runs.flatMap((run, i) =>
      run.results.filter((r) => r.status === 'error').map((r) => `section 5a, ${s.role} (${s.label.split(' ')[0]}) run ${i + 1}: ${r.name}: ${r.errorCode ?? 'error'}: ${r.error ?? ''}`),
    ),
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
