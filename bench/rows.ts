/**
 * The benchmark's rows that take more than a line to build: section titles, the 4-port scenario's phases,
 * the sweeps' figures, the library's wall, overlap and where its time went (each phase's share of the sum
 * of scenario times), and the machine's load.
 */
import { availableParallelism, cpus } from 'node:os';
import type { LibraryResult } from './against-rows.ts';
import { median, row, type Row } from './measure.ts';
import { breakdown, type TimedRun } from './scenario-runs.ts';
import type { SweepFigures } from './sweep.ts';

export const S1 = '1. one scenario by phase (4 ports, both vantages, both families; median run of section 3)';
export const S2 = "2. full 65535-port TCP sweep under INPUT+OUTPUT DROP, loopback, counted (each probe once, drops proven by the target's ledger)";
export const S4 = '4. 8 scenarios: concurrently vs one by one (the runner fwprobe run uses)';
export const S5 = '5. the scenario library, as `fwprobe run scenarios/` runs it';

/** Section 5: wall, sum, overlap, and each phase's share of the sum of the scenarios' own times. */
export function libraryRows(library: { wallMs: number; results: readonly LibraryResult[] }, where = 'this process'): Row[] {
  const sumMs = library.results.reduce((sum, r) => sum + r.durationMs, 0);
  const statuses = (['passed', 'failed', 'error'] as const).map((st) => `${library.results.filter((r) => r.status === st).length} ${st}`).join(', ');
  const out: Row[] = [
    row({ section: S5, metric: `wall, ${library.results.length} scenarios`, value: library.wallMs, unit: 'ms', note: `${statuses}; concurrency ${availableParallelism()}; ${where}` }),
    row({ section: S5, metric: 'sum of scenario times', value: sumMs, unit: 'ms', note: 'durationMs of each (teardown included)' }),
    row({ section: S5, metric: 'sum / wall', value: sumMs / library.wallMs, unit: 'x', note: 'overlap the runner achieves' }),
  ];

  out.push(...phaseShares(library.results));
  return out;
}

/**
 * Each phase's share of the library's summed scenario time, largest first: what to make faster first
 * (attribution is the trace's setup, its clients and its removal).
 */
export function phaseShares(results: readonly LibraryResult[]): Row[] {
  const sum = results.reduce((n, r) => n + r.durationMs, 0);
  const byPhase = new Map<string, number>();
  for (const r of results) for (const p of r.phases ?? []) byPhase.set(p.name, (byPhase.get(p.name) ?? 0) + p.ms);
  const named = [...byPhase.values()].reduce((n, ms) => n + ms, 0);
  byPhase.set('(outside the phases: verdict, setup)', sum - named);
  const share = (ms: number) => (sum > 0 ? ((100 * ms) / sum).toFixed(1) : '0.0');
  return [...byPhase].sort((a, b) => b[1] - a[1]).map(([name, ms]) => row({ section: S5, metric: `phase ${name}`, value: ms, unit: 'ms', note: `${share(ms)}% of the sum of scenario times` }));
}

/**
 * Section 1 from the 4-port runs: each phase and scan of the median run with its median over all runs,
 * what the integrity checks add, and the median run's wall.
 */
export function fourPortRows(runs: readonly TimedRun[]): Row[] {
  const rows: Row[] = [];
  const medianRun = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
  const perRun = runs.map(breakdown);
  for (const phase of breakdown(medianRun).phases) {
    const across = perRun.map((b) => b.phases.find((p) => p.name === phase.name)?.ms ?? 0);
    const share = (100 * phase.ms) / medianRun.wallMs;
    rows.push(row({ section: S1, metric: phase.name, value: phase.ms, unit: 'ms', note: `${share.toFixed(1)}% of the wall; median over ${runs.length} runs: ${median(across)} ms` }));
  }
  for (const [i, scan] of breakdown(medianRun).scans.entries()) {
    const across = perRun.map((b) => b.scans[i]?.ms ?? 0);
    rows.push(row({ section: S1, metric: `scan ${scan.label}`, value: scan.ms, unit: 'ms', note: `median ${median(across)} ms; loopback and peer run side by side` }));
  }
  // What the integrity checks add: the clients beside the scans (the scans phase beyond its slowest nmap
  // run), the no-ruleset baseline, and the self-check after the scans.
  const corroboration = runs.map((r) => {
    const scans = r.result.phases.find((p) => p.name === 'scans')?.ms ?? 0;
    const slowest = Math.max(0, ...r.result.scans.map((x) => x.ms));
    const phase = (name: string) => r.result.phases.find((p) => p.name === name)?.ms ?? 0;
    return { probes: Math.max(0, scans - slowest), checks: phase('baseline') + phase('recheck') };
  });
  rows.push(
    row({
      section: S1,
      metric: 'integrity: client probes',
      value: median(corroboration.map((c) => c.probes)),
      unit: 'ms',
      note: 'median; the scans phase beyond its slowest nmap run (clients wait 500 ms beside the scans)',
    }),
    row({
      section: S1,
      metric: 'integrity: baseline + recheck',
      value: median(corroboration.map((c) => c.checks)),
      unit: 'ms',
      note: 'median; clients before any ruleset, self-check after the scans',
    }),
  );
  rows.push(row({ section: S1, metric: 'total (wall)', value: medianRun.wallMs, unit: 'ms' }));
  return rows;
}

/** The machine's load at start and end: other work on a shared machine skews every absolute figure. */
export function machineRows(before: readonly number[], after: readonly number[]): Row[] {
  const avg = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  return [
    row({ section: 'machine', metric: 'load average at start (1/5/15 min)', value: before[0]!, unit: 'load', note: `${avg(before)} on ${cpus().length} CPUs` }),
    row({
      section: 'machine',
      metric: 'load average at end (1/5/15 min)',
      value: after[0]!,
      unit: 'load',
      note: `${avg(after)} on ${cpus().length} CPUs (other work on the machine skews every absolute figure; compare ratios)`,
    }),
  ];
}

export function sweepRows(s: SweepFigures): Row[] {
  const out: Row[] = [
    row({ section: S2, metric: `${s.family}: 1-65535 lab timing (wall)`, value: s.sweepMs, unit: 'ms', target: { op: '<=', value: 3000 }, note: `scan() call; ${s.sweepStates}` }),
    row({ section: S2, metric: `${s.family}: silent ports with no backing`, value: s.unbacked, unit: 'ports', target: { op: '<=', value: 0 }, note: backingNote(s) }),
  ];
  if (s.sweepNmapMs !== null) {
    out.push(
      row({ section: S2, metric: `${s.family}: of which nmap (elapsed)`, value: s.sweepNmapMs, unit: 'ms', note: "nmap's own elapsed from the XML, the counted run" }),
      row({
        section: S2,
        metric: `${s.family}: of which outside nmap`,
        value: s.sweepMs - s.sweepNmapMs,
        unit: 'ms',
        note: 'ledger in and read (nft listing), exec, XML parsing, the looks at the pinned ports',
      }),
    );
  }
  if (s.referenceMs !== null) {
    out.push(
      row({ section: S2, metric: `${s.family}: top 1000, nmap defaults`, value: s.referenceMs, unit: 'ms', note: s.referenceStates ?? '' }),
      row({ section: S2, metric: `${s.family}: reference time / sweep time`, value: s.referenceMs / s.sweepMs, unit: 'x', note: 'the sweep covers 65.5× the ports' }),
      row({ section: S2, metric: `${s.family}: per-port speed-up`, value: s.referenceMs / 1000 / (s.sweepMs / 65535), unit: 'x' }),
    );
  }
  return out;
}

function backingNote(s: SweepFigures): string {
  const b = s.backing;
  if (!b) return 'no backing recorded';
  return `${b.method}: ${b.silent} silent = ${b.dropped} proven dropped (output ${b.countedBy.output}, input ${b.countedBy.input}, reply ${b.countedBy.reply}) + ${b.retried} retried${b.note ? `; ${b.note}` : ''}`;
}
