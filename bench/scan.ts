/**
 * `npm run bench [-- --quick] [-- --runs N] [-- --profile] [-- --library-only] [-- --against REV]`: issues 4,
 * 14 and 24's benchmark. Prints, per section, figures measured in this run, ratios between figures of this
 * run, the issues' targets with PASS/MISS, and the machine's load at start and end (the machine is shared:
 * compare ratios within one run); writes reports/bench.json. Targets are informational: the exit code is 1
 * only when something errored (a scenario ended in `error`, or a measurement threw), else 0; 2 for a bad
 * command line.
 *
 * --quick skips the default-timing reference of section 2 (100-200 s per family by design); --docker-only
 * runs section 6 alone (the docker: block's cost); --library-only runs section 5 alone (the library).
 * --against REV times the library in a temp git worktree of REV and in this checkout, alternating
 * (previous, current, previous, current at --runs ≥ 2), and judges current / previous ≤ 0.5 (section 5a,
 * bench/library-against.ts).
 * --profile runs only the 4-port scenario (a warm-up, then --runs runs) and prints where each ms went: per
 * phase, its share, and every container round trip in it (bench/profile.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureTargetImage } from '../src/lab/image.ts';
import { installSignalCleanup, removeAllTracked, sweepStale } from '../src/lab/cleanup.ts';
import type { ScenarioResult } from '../src/report/result.ts';
import { problemsOf } from '../src/report/verdict-format.ts';
import { COUNTED_TIMING_ARGS, LAB_TIMING_ARGS } from '../src/scan/timing.ts';
import { dockerRunTrue, labScanTimeoutMs } from './floor.ts';
import { countContainerCalls, execRoundTripMs, takeCallCounts } from './instrument.ts';
import { median, peakRssMb, row, timed, type Row } from './measure.ts';
import { breakdown, runTimed, serialVsConcurrent, type TimedRun } from './scenario-runs.ts';
import { eightScenarios, fourPortScenario } from './scenarios.ts';
import { commandBuildScaling, runSweeps } from './sweep.ts';
import { formatRows } from './table.ts';
import { librarySection } from './library.ts';
import { fourPortRows, machineRows, S1, S2, S4, sweepRows } from './rows.ts';
import { BenchArgError, parseBenchArgs, type BenchArgs } from './args.ts';
import { REPO, resolveRevision } from './revision.ts';
import { profileMain } from './profile.ts';
import { dockerCost } from './docker.ts';

let values: BenchArgs;
try {
  values = parseBenchArgs(process.argv.slice(2));
  // Checked before any section runs: a typo must not cost the minutes of sections 1-4 first.
  if (values.against !== null) await resolveRevision(values.against, REPO);
} catch (error) {
  if (!(error instanceof BenchArgError)) throw error;
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(2);
}
const RUNS = values.runs;

const S3 = `3. 4-port scenario end to end, ${RUNS} runs`;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const rows: Row[] = [];
const errors: string[] = [];

/** Collects scenarios that ended in `error`: the benchmark's only failure besides a thrown error. */
function checkResults(where: string, results: readonly ScenarioResult[]): void {
  for (const r of results) {
    if (r.status === 'error') errors.push(`${where}: ${r.name}: ${r.errorCode}: ${r.error}`);
    if (r.status === 'failed') log(`${where}: ${r.name} FAILED its verdict (timings still count):\n${problemsOf(r).join('\n')}`);
  }
}

/** Section 5 (or 5a with --against); its rows are pushed by the caller, in section order. */
async function libraryPart(image: string) {
  const library = await librarySection(image, { against: values.against, runs: RUNS, log });
  if (library.inProcess) checkResults('section 5', library.inProcess);
  errors.push(...library.errors);
  return library;
}

async function main(): Promise<Record<string, unknown>> {
  installSignalCleanup();
  countContainerCalls();
  const loadBefore = loadavg();
  await sweepStale();
  // First call may build the image; the second is what "image ready (cached)" means.
  const image = await ensureTargetImage({ log });
  const imageReady = await timed(() => ensureTargetImage());
  if (values.dockerOnly) {
    const docker = await dockerCost(image, RUNS, log);
    checkResults('section 6', docker.results);
    rows.push(...docker.rows);
    return { version: 1, generatedAt: new Date().toISOString(), image, rows, docker: docker.runs, errors };
  }
  if (values.libraryOnly) {
    log('the scenario library');
    const library = await libraryPart(image);
    const loadAfter = loadavg();
    rows.push(...library.rows, ...machineRows(loadBefore, loadAfter));
    return { version: 1, generatedAt: new Date().toISOString(), image, rows, ...library.json, loadAverage: { start: loadBefore, end: loadAfter, cpus: cpus().length }, errors };
  }

  // Sections 1 and 3: one warm-up (testcontainers and dockerode initialise on first use), then RUNS runs.
  log('4-port scenario: warm-up run');
  const warmup = await runTimed(fourPortScenario(), image);
  takeCallCounts();
  const runs: TimedRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    log(`4-port scenario: run ${i + 1}/${RUNS}`);
    runs.push(await runTimed(fourPortScenario(), image));
  }
  checkResults('section 3', [warmup.result, ...runs.map((r) => r.result)]);
  const callsPerRun = Object.entries(takeCallCounts()).map(([tool, n]) => [tool, n / RUNS] as const);
  const roundTripMs = await execRoundTripMs(image);
  log('floor: docker run --rm IMAGE true');
  const floorRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) floorRuns.push(await dockerRunTrue(image));

  log('8 scenarios: one by one, then concurrently');
  const eight = await serialVsConcurrent(eightScenarios(), image);
  checkResults('section 4', eight.results);

  const sweeps = await runSweeps(image, { quick: values.quick, log });
  const scaling = commandBuildScaling([1024, 2048, 4096, 8192]);
  log('the scenario library');
  const library = await libraryPart(image);
  const docker = await dockerCost(image, RUNS, log);
  checkResults('section 6', docker.results);
  const loadAfter = loadavg();

  // --- Section 1: phases of the median run, and each phase's median over all runs.
  const walls = runs.map((r) => r.wallMs);
  rows.push(row({ section: S1, metric: 'image ready (cached)', value: imageReady.ms, unit: 'ms', note: 'ensureTargetImage(): hash containers/, inspect tag' }));
  rows.push(...fourPortRows(runs));
  const totalCalls = callsPerRun.reduce((sum, [, n]) => sum + n, 0);
  rows.push(
    row({ section: S1, metric: 'commands in containers per run', value: totalCalls, unit: 'calls', note: callsPerRun.map(([t, n]) => `${t} ×${n}`).join(', ') }),
    row({ section: S1, metric: 'one command round trip (true)', value: roundTripMs, unit: 'ms', note: 'median of 10, fresh container, through its agent (one exec per container)' }),
  );

  // --- Section 2.
  for (const s of sweeps) rows.push(...sweepRows(s));
  for (const { ports, ms } of scaling) {
    rows.push(row({ section: S2, metric: `nmapCommand(), ${ports} scan ports`, value: ms, unit: 'ms', note: 'building argv only; no nmap run' }));
  }
  if (values.quick) rows.push(row({ section: S2, metric: 'default-timing reference', value: 0, unit: 'ms', note: 'SKIPPED (--quick)' }));

  // --- Section 3.
  const floorMs = median(floorRuns) + labScanTimeoutMs();
  const med = median(walls);
  rows.push(
    row({
      section: S3,
      metric: 'median (wall)',
      value: med,
      unit: 'ms',
      target: { op: '<=', value: 1200 },
      note: `issue 24; runs: ${walls.join(', ')} ms; status: ${runs.map((r) => r.result.status).join(', ')}`,
    }),
    row({ section: S3, metric: 'median durationMs (teardown included)', value: median(runs.map((r) => r.result.durationMs)), unit: 'ms' }),
    row({ section: S3, metric: 'first run in process', value: warmup.wallMs, unit: 'ms', note: 'warm-up, not in the median' }),
    row({
      section: S3,
      metric: 'floor',
      value: floorMs,
      unit: 'ms',
      note: `docker run --rm IMAGE true, median ${median(floorRuns)} ms (${floorRuns.join(', ')}) + max RTT timeout ${labScanTimeoutMs()} ms`,
    }),
    row({
      section: S3,
      metric: 'median / floor',
      value: med / floorMs,
      unit: 'x',
      target: { op: '<=', value: 4 },
      note: 'issue 24; with every integrity check: baseline, self-check, client corroboration, recheck, attribution',
    }),
  );

  // --- Section 4.
  const speedup = eight.serialMs / eight.concurrentMs;
  const eightStatus = (from: number) =>
    eight.results
      .slice(from, from + 8)
      .map((r) => r.status[0])
      .join('');
  rows.push(
    row({ section: S4, metric: 'one by one', value: eight.serialMs, unit: 'ms', note: `statuses ${eightStatus(0)} (p=passed f=failed e=error)` }),
    row({ section: S4, metric: 'concurrently (8 at once)', value: eight.concurrentMs, unit: 'ms', note: `statuses ${eightStatus(8)}; ${availableParallelism()} CPUs` }),
    row({ section: S4, metric: 'speed-up', value: speedup, unit: 'x', target: { op: '>=', value: 1.8 } }),
  );

  // --- Section 5.
  rows.push(...library.rows);

  rows.push(...docker.rows);
  rows.push(row({ section: 'process', metric: 'peak RSS (node)', value: peakRssMb(), unit: 'MB' }));
  rows.push(...machineRows(loadBefore, loadAfter));

  return {
    version: 1,
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, node: process.version },
    options: { quick: values.quick, runs: RUNS, labTiming: LAB_TIMING_ARGS },
    loadAverage: { start: loadBefore, end: loadAfter, cpus: cpus().length },
    containerCallsPerRun: Object.fromEntries(callsPerRun),
    execRoundTripMs: roundTripMs,
    commandBuildScaling: scaling,
    image,
    rows,
    sweeps,
    fourPort: { runs: runs.map((r) => ({ wallMs: r.wallMs, status: r.result.status, phases: breakdown(r) })), warmupMs: warmup.wallMs, floorRuns },
    eight: {
      serialMs: eight.serialMs,
      concurrentMs: eight.concurrentMs,
      results: eight.results.map((r) => ({ name: r.name, status: r.status, durationMs: r.durationMs, phases: r.phases })),
    },
    docker: docker.runs,
    ...library.json,
    errors,
  };
}

// --profile: only the 4-port scenario's profile (bench/profile.ts), exit 1 if it threw.
if (values.profile) process.exit(await profileMain(RUNS, log));
let code = 0;
try {
  const doc = await main();
  process.stdout.write(
    `\nfwprobe benchmark — ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );
  process.stdout.write(`lab timing: ${LAB_TIMING_ARGS.join(' ')}; counted TCP scans: ${COUNTED_TIMING_ARGS.join(' ')}\n`);
  process.stdout.write(formatRows(rows));
  if (values.quick) process.stdout.write('\n--quick: the default-timing reference of section 2 was not run.\n');
  await mkdir(values.reportDir, { recursive: true });
  const file = join(values.reportDir, 'bench.json');
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`\nwritten: ${file}\n`);
  if (errors.length > 0) {
    process.stdout.write(`\nERRORS (exit 1):\n- ${errors.join('\n- ')}\n`);
    code = 1;
  }
} catch (error) {
  process.stderr.write(`bench: error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = 1;
} finally {
  await removeAllTracked();
}
process.exit(code);
