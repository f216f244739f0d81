/**
 * Timing and bookkeeping for the benchmark: every figure it prints is a row here, measured in this run.
 */

/** A target a row is judged against; `max` for durations, `min` for ratios. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Row {
  section: string;
  metric: string;
  value: number;
  unit: 'ms' | 'x' | 'MB' | 'calls' | 'load' | 'ports';
  /** What the number is made of, or what it is compared with. */
  note?: string;
  target?: Target;
  /** Set from `target` by `row()`. */
  verdict?: 'PASS' | 'MISS';
}

export function row(r: Omit<Row, 'verdict'>): Row {
  if (!r.target) return r;
  const ok = r.target.op === '<=' ? r.value <= r.target.value : r.value >= r.target.value;
  return { ...r, verdict: ok ? 'PASS' : 'MISS' };
}

/** Runs `work` and returns its result with the wall-clock time it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - t0) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Peak resident set size of this node process so far (the kernel's high-water mark), in MB. */
export function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes on Linux.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** `1..n`, for full-range scans. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
