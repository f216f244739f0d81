/**
 * Section 2: the full 65535-port TCP sweep under an INPUT+OUTPUT DROP policy, per family, from loopback,
 * with fwprobe's lab timing; and the reference users hit, nmap's default timing on the top 1000 ports of
 * the same target. Both run through the scope guard: loopback only.
 */
import { FwprobeContainer, type StartedFwprobeContainer } from '../src/lab/container.ts';
import { FAMILIES, type Family } from '../src/model/observation.ts';
import { applyRestore } from '../src/lab/apply-ruleset.ts';
import { selfCheck } from '../src/lab/self-check.ts';
import { startServices } from '../src/lab/services.ts';
import { nmapCommand, scanPorts } from '../src/scan/nmap.ts';
import { parseNmapRun } from '../src/scan/parse/run.ts';
import type { ScanResult } from '../src/scan/types.ts';
import { LabScope, loopbackAddress } from '../src/scan/scope.ts';
import { BENCH_PORTS, DROP_ALL } from './scenarios.ts';
import { range, timed } from './measure.ts';

export interface SweepFigures {
  family: Family;
  /** Lab timing, ports 1-65535. */
  sweepMs: number;
  /** nmap's own `elapsed` from the XML: the sweep without fwprobe's overhead. */
  sweepNmapMs: number | null;
  sweepCommand: string[];
  /** `state/reason × count` over all 65535 ports, to show the sweep saw the DROP policy everywhere. */
  sweepStates: string;
  /** How the silent readings are backed (ledger-proven drops, retried ports). */
  backing: ScanResult['backing'] | null;
  /** Silent ports neither proven dropped nor retried: must be 0. */
  unbacked: number;
  /** nmap's defaults, `--top-ports 1000`; null with --quick. */
  referenceMs: number | null;
  referenceCommand: string[] | null;
  referenceStates: string | null;
}

/** Starts one target with 22,53,80,443/tcp listening and DROP_ALL applied on both families. */
export async function startDropTarget(image: string): Promise<StartedFwprobeContainer> {
  const target = await new FwprobeContainer(image).withServices(BENCH_PORTS.map((port) => ({ protocol: 'tcp' as const, port, bind: 'any' }))).start();
  try {
    await startServices(target);
    await applyRestore(target, { v4: { source: 'bench DROP_ALL', text: DROP_ALL }, v6: { source: 'bench DROP_ALL', text: DROP_ALL } });
    await selfCheck(target);
    return target;
  } catch (error) {
    await target.remove();
    throw error;
  }
}

/**
 * The lab-timed full sweep for one family, counted as fwprobe's runner counts it (each probe once, the drops
 * proven by the target's ledger, the rest retried). Must run alone: nmap is CPU-bound at this rate.
 */
export async function labSweep(target: StartedFwprobeContainer, family: Family): Promise<{ ms: number; scan: ScanResult }> {
  const counting = { table: `fwprobe_ledger_bench_${family}`, source: { ipv4: '127.0.0.1', ipv6: '::1' }, inTarget: (commands: string[][]) => target.runBatch(commands, { stopOnFailure: false }) };
  const { value: scan, ms } = await timed(() =>
    scanPorts(
      (command) => target.run(command),
      {
        vantage: 'loopback',
        family,
        protocol: 'tcp',
        target: loopbackAddress(family),
        ports: BENCH_PORTS,
        scanPorts: range(1, 65535),
        timing: 'lab',
      },
      new LabScope(),
      counting,
    ),
  );
  return { ms, scan };
}

/**
 * nmap exactly as a user runs it: `--top-ports 1000`, no timing flags. fwprobe's `scan()` always adds
 * timing and an explicit port list, so this builds the command here; the scope guard is asserted first,
 * as `runNmap` does, and the XML goes through fwprobe's parser so that an nmap failure is an error.
 */
export async function defaultTimingReference(target: StartedFwprobeContainer, family: Family): Promise<{ ms: number; scan: ScanResult }> {
  const address = loopbackAddress(family);
  new LabScope().assertAllowed(address, 'loopback', family);
  const command = ['nmap', ...(family === 'ipv6' ? ['-6'] : []), '-sS', '-Pn', '-n', '--reason', '--top-ports', '1000', '-oX', '-', address];
  // nmap's defaults take 100-200 s here by design: far past the exec bound meant for fwprobe's own commands.
  const { value: run, ms } = await timed(() => target.run(command, { timeoutMs: 600_000, phase: 'the default-timing reference', bound: 'scan' }));
  const scan = await parseNmapRun(run.stdout, {
    vantage: 'loopback',
    family,
    protocol: 'tcp',
    target: address,
    ports: BENCH_PORTS,
    command,
    exitCode: run.exitCode,
    stderr: run.stderr,
  });
  return { ms, scan };
}

/** `filtered/no-response × 65535`: observations and summaries folded into one line. */
export function stateSummary(scan: ScanResult): string {
  const counts = new Map<string, number>();
  for (const o of scan.observations) counts.set(`${o.state}/${o.reason}`, (counts.get(`${o.state}/${o.reason}`) ?? 0) + 1);
  for (const s of scan.others) counts.set(`${s.state}/${s.reason}`, (counts.get(`${s.state}/${s.reason}`) ?? 0) + s.count);
  return [...counts].map(([k, n]) => `${k} × ${n}`).join(', ');
}

/**
 * Runs the section. The lab sweeps run one after another (each is CPU-bound); the default-timing
 * references are timeout-bound (the CPU idles while nmap waits), so the two families run side by side in
 * the same container to halve the wall time, each timed on its own.
 */
export async function runSweeps(image: string, options: { quick: boolean; log: (line: string) => void }): Promise<SweepFigures[]> {
  await using target = await startDropTarget(image);
  const figures: SweepFigures[] = [];
  for (const family of FAMILIES) {
    options.log(`sweep: ${family} 1-65535/tcp, lab timing`);
    const { ms, scan } = await labSweep(target, family);
    figures.push({
      family,
      sweepMs: ms,
      sweepNmapMs: scan.elapsedSeconds === null ? null : Math.round(scan.elapsedSeconds * 1000),
      sweepCommand: scan.command,
      sweepStates: stateSummary(scan),
      backing: scan.backing ?? null,
      unbacked: scan.backing ? scan.backing.silent - scan.backing.dropped - scan.backing.retried : 65535,
      referenceMs: null,
      referenceCommand: null,
      referenceStates: null,
    });
  }
  if (!options.quick) {
    options.log('reference: top 1000/tcp, nmap defaults, both families side by side (expect 100-200 s)');
    const references = await Promise.all(FAMILIES.map((family) => defaultTimingReference(target, family)));
    references.forEach(({ ms, scan }, i) => {
      const f = figures[i]!;
      f.referenceMs = ms;
      f.referenceCommand = scan.command;
      f.referenceStates = stateSummary(scan);
    });
  }
  return figures;
}

/**
 * How long building the nmap command takes for growing scan lists: the sweep's time outside nmap is
 * spent here, so this shows how it grows with the port count.
 */
export function commandBuildScaling(sizes: readonly number[]): { ports: number; ms: number }[] {
  return sizes.map((n) => {
    const t0 = performance.now();
    nmapCommand({ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', ports: [1], scanPorts: range(1, n) });
    return { ports: n, ms: Math.round(performance.now() - t0) };
  });
}
