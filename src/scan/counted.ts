/**
 * A counted TCP scan: each probe sent once, fast; the target's ledger (ledger.ts) proves which silent ports
 * its firewall dropped; only the silent ports it cannot account for are scanned again, with retries. The
 * verdicts are nmap's as before, but the one retry of every probe that bound a full sweep's time is spent
 * only where it can change an answer. The result says how each silent reading is backed (`backing`).
 */
import { CommandFailedError, InternalError } from '../model/errors.ts';
import type { Family } from '../model/observation.ts';
import { mergeWarnings } from './parse/stderr.ts';
import { CONNTRACK_STAT_COMMAND, conntrackDrops, ledgerInstallCommand, ledgerReadCommands, parseLedger, proveDrops, type DropPlace, type LedgerSpec } from './ledger.ts';
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import { replacePorts, silentPorts } from './retry-merge.ts';
import type { BatchExec, ScanBacking, ScanRequest, ScanResult } from './types.ts';

/**
 * The longest `-p` list a follow-up run may carry. Linux refuses any single argument over 128 KiB
 * (MAX_ARG_STRLEN: `exec … argument list too long`); thousands of scattered unaccounted ports (replies
 * lost by rate, probes dropped before the ledger sees them, another scanner's probes undoing the ledger's
 * notes) would make the follow-up fail and the whole scan an error. Above this the scan runs again whole.
 */
export const MAX_RETRY_SPEC_CHARS = 32_768;

/** Runs one nmap request (scope check, parse): `runNmap` bound to the scanner. */
export type RunOne = (request: ScanRequest) => Promise<ScanResult>;

/** Where the ledger lives: the target's exec, a table name unique to this scan, and the scanner's address. */
export interface Counting {
  inTarget: BatchExec;
  table: string;
  /** The address the scanner's probes come from, per family (127.0.0.1 and ::1 from loopback). */
  source: Readonly<Record<Family, string>>;
  /**
   * The rule that can hold this scanner's probes to `port` while a client from another source port or shape
   * gets in (ruleset/scan-shaped.ts): a held probe then proves no drop. Read by the UDP ledger. @default none
   */
  unproven?: (port: number) => string | undefined;
}

/**
 * Runs `request` (TCP, lab timing, `sourcePort` pinned) as a counted scan: ledger in, nmap once with
 * COUNTED_TIMING_ARGS, ledger read and removed (also when nmap fails), the unaccounted ports run again.
 * @throws CommandFailedError when the ledger table cannot be removed: it would be left in the target.
 */
export async function countedScan(run: RunOne, request: ScanRequest, counting: Counting): Promise<ScanResult> {
  if (request.sourcePort === undefined) throw new InternalError('countedScan: the source port must be pinned');
  const spec: LedgerSpec = {
    table: counting.table,
    family: request.family,
    target: request.target,
    source: counting.source[request.family],
    sourcePort: request.sourcePort,
  };
  const [install, before] = await counting.inTarget([ledgerInstallCommand(spec), CONNTRACK_STAT_COMMAND]);
  if (install?.exitCode !== 0) {
    // No ledger, no proof: the scan runs as it always did, with nmap's own retry.
    const plain = await run({ ...request, timing: 'lab' });
    return { ...plain, backing: retryBacking(plain, `the ledger could not be installed: ${(install?.stderr ?? '').trim().slice(0, 200)}`) };
  }
  const { list, remove } = ledgerReadCommands(spec);
  // The ledger is read and removed whatever nmap did: it must never outlive the scan.
  const outcome = await run({ ...request, timing: 'counted' }).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const read = await counting.inTarget([list, CONNTRACK_STAT_COMMAND, remove]);
  const removed = read[2];
  if (removed?.exitCode !== 0) {
    const failed = { command: remove, exitCode: removed?.exitCode ?? -1, stdout: removed?.stdout ?? '', stderr: removed?.stderr ?? '' };
    throw new CommandFailedError(failed, "The scan's ledger table could not be removed from the target.");
  }
  if ('error' in outcome) throw outcome.error;
  const first = outcome.value;
  const silent = silentPorts(first);
  if (silent === null) {
    const plain = await run({ ...request, timing: 'lab' });
    return { ...plain, followUpCommands: [first.command, ...plain.followUpCommands], backing: retryBacking(plain, 'nmap did not list which ports were silent: the whole scan ran again with retries') };
  }
  const { proven, unaccounted, note } = account(silent, read[0], before?.stdout ?? '', read[1]?.stdout ?? '');
  const countedBy = { output: 0, input: 0, reply: 0 };
  for (const place of proven.values()) countedBy[place]++;
  const backing: ScanBacking = { method: 'counted', silent: silent.length, dropped: proven.size, countedBy, retried: unaccounted.length, ...(note ? { note } : {}) };
  const placed = withDropPlaces(first, proven);
  if (unaccounted.length === 0) return { ...placed, backing };
  if (formatPortSpec(unaccounted).length > MAX_RETRY_SPEC_CHARS) {
    const plain = await run({ ...request, timing: 'lab' });
    const why = `${unaccounted.length} of ${silent.length} silent ports were unaccounted for (${proven.size} proven dropped), too many to list: the whole scan ran again with retries`;
    return { ...plain, followUpCommands: [first.command, ...plain.followUpCommands], backing: retryBacking(plain, note ? `${note}; ${why}` : why) };
  }
  const again = await run({ ...request, ports: unaccounted, scanPorts: unaccounted, timing: 'lab' });
  return {
    ...replacePorts(placed, again, unaccounted),
    followUpCommands: [...first.followUpCommands, again.command, ...again.followUpCommands],
    warnings: mergeWarnings(first.warnings, again.warnings),
    backing,
  };
}

/**
 * The result with each proven silent port marked where it stopped. A port whose answer was held (`reply`)
 * was admitted by the firewall: without the mark it reads `filtered`, as a port the firewall dropped.
 * Summaries are split so that the marked ports of one stand apart.
 */
function withDropPlaces(result: ScanResult, proven: ReadonlyMap<number, DropPlace>): ScanResult {
  if (proven.size === 0) return result;
  const observations = result.observations.map((o) => {
    const place = proven.get(o.port);
    return place && o.state === 'filtered' ? { ...o, droppedAt: place } : o;
  });
  const others = result.others.flatMap((summary) => {
    if (summary.ports === null || summary.state !== 'filtered') return [summary];
    const byPlace = new Map<DropPlace | undefined, number[]>();
    // Pushed, never copied: a full sweep's summary holds ~65,000 ports (a copy per port blocked the event
    // loop for minutes, and every other lab's bounded steps timed out behind it).
    for (const port of parsePortSpec(summary.ports)) {
      const place = proven.get(port);
      const ports = byPlace.get(place);
      if (ports) ports.push(port);
      else byPlace.set(place, [port]);
    }
    if (byPlace.size === 1 && !byPlace.has('reply')) return [summary];
    return [...byPlace].map(([place, ports]) => ({ ...summary, count: ports.length, ports: formatPortSpec(ports), ...(place ? { droppedAt: place } : {}) }));
  });
  return { ...result, observations, others };
}

/** The ledger's proof for the silent ports, or every one of them unaccounted (with why) when it proves nothing. */
function account(
  silent: number[],
  listing: { exitCode: number; stdout: string; stderr: string } | undefined,
  statBefore: string,
  statAfter: string,
): { proven: Map<number, DropPlace>; unaccounted: number[]; note?: string } {
  const none = (note: string) => ({ proven: new Map<number, DropPlace>(), unaccounted: silent, note });
  if (silent.length === 0) return { proven: new Map(), unaccounted: [] };
  if (listing?.exitCode !== 0) return none(`the ledger could not be read: ${(listing?.stderr ?? '').trim().slice(0, 200)}`);
  const drops = conntrackDrops(statAfter) - conntrackDrops(statBefore);
  if (drops !== 0) return none(`conntrack dropped ${drops} packets during the scan (table full?): no silent port is proven`);
  try {
    return proveDrops(silent, parseLedger(listing.stdout));
  } catch (error) {
    return none(`the ledger listing is unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Backing of a scan whose silent ports nmap retried itself. */
export function retryBacking(result: Pick<ScanResult, 'observations' | 'others'>, note?: string): ScanBacking {
  const silent = silentPorts(result);
  const n = silent === null ? result.others.filter((s) => s.state === 'filtered' && s.reason === 'no-response').reduce((sum, s) => sum + s.count, 0) : silent.length;
  return { method: 'retry', silent: n, dropped: 0, countedBy: { output: 0, input: 0, reply: 0 }, retried: n, ...(note ? { note } : {}) };
}
