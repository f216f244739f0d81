/**
 * A counted TCP scan: each probe sent once, fast; the target's ledger (ledger.ts) proves which silent ports
 * its firewall dropped; only the silent ports it cannot account for are scanned again, with retries. The
 * verdicts are nmap's as before, but the one retry of every probe that bound a full sweep's time is spent
 * only where it can change an answer. The result says how each silent reading is backed (`backing`).
 */
import { InternalError } from '../model/errors.ts';
import { mergeWarnings } from './parse/stderr.ts';
import { DropPlaces, SET_NAMES, ledgerScript, parseLedger, proveDrops, type DropPlace, type LedgerSpec } from './ledger.ts';
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import { underLedger, type Counting, type LedgerReading } from './counted-ledger.ts';
import { replacePorts, silentPorts } from './retry-merge.ts';
import type { ScanBacking, ScanRequest, ScanResult } from './types.ts';

export type { Counting } from './counted-ledger.ts';

/**
 * The longest `-p` list a follow-up run may carry. Linux refuses any single argument over 128 KiB
 * (MAX_ARG_STRLEN: `exec … argument list too long`); thousands of scattered unaccounted ports (replies
 * lost by rate, probes dropped before the ledger sees them, another scanner's probes undoing the ledger's
 * notes) would make the follow-up fail and the whole scan an error. Above this the scan runs again whole.
 */
export const MAX_RETRY_SPEC_CHARS = 32_768;

/** Runs one nmap request (scope check, parse): `runNmap` bound to the scanner. */
export type RunOne = (request: ScanRequest) => Promise<ScanResult>;

/**
 * Runs `request` (TCP, lab timing, `sourcePort` pinned) as a counted scan: ledger in, nmap once with
 * COUNTED_TIMING_ARGS, ledger read and removed (also when nmap fails), the unaccounted ports run again.
 * `beside` (the loopback looks from other source ports, which the ledger does not note) starts once nmap's
 * run is over and runs while the ledger is read; it is settled before any follow-up run starts.
 * @throws CommandFailedError when the ledger table cannot be removed: it would be left in the target.
 */
export async function countedScan(run: RunOne, request: ScanRequest, counting: Counting, beside?: () => Promise<unknown>): Promise<ScanResult> {
  if (request.sourcePort === undefined) throw new InternalError('countedScan: the source port must be pinned');
  const spec: LedgerSpec = {
    table: counting.table,
    family: request.family,
    target: request.target,
    source: counting.source[request.family],
    sourcePort: request.sourcePort,
  };
  const counted = await underLedger(counting, { script: ledgerScript(spec), sets: SET_NAMES }, () => run({ ...request, timing: 'counted' }), beside);
  if (!counted.installed) {
    // No ledger, no proof: the scan runs as it always did, with nmap's own retry.
    const plain = await run({ ...request, timing: 'lab' });
    return { ...plain, backing: retryBacking(plain, counted.why) };
  }
  const first = counted.value;
  const silent = silentPorts(first);
  if (silent === null) {
    const plain = await run({ ...request, timing: 'lab' });
    return { ...plain, followUpCommands: [first.command, ...plain.followUpCommands], backing: retryBacking(plain, 'nmap did not list which ports were silent: the whole scan ran again with retries') };
  }
  const { proven, unaccounted, note } = account(silent, counted.reading, spec.table);
  const backing: ScanBacking = { method: 'counted', silent: silent.length, dropped: proven.size, countedBy: proven.countedBy(), retried: unaccounted.length, ...(note ? { note } : {}) };
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
function withDropPlaces(result: ScanResult, proven: DropPlaces): ScanResult {
  if (proven.size === 0) return result;
  const observations = result.observations.map((o) => {
    const place = proven.get(o.port);
    return place && o.state === 'filtered' ? { ...o, droppedAt: place } : o;
  });
  const others = result.others.flatMap((summary) => {
    if (summary.ports === null || summary.state !== 'filtered') return [summary];
    const ports = parsePortSpec(summary.ports);
    // The common case, a sweep held in one place (not `reply`): the summary stands as it is.
    const first = proven.get(ports[0]!);
    if (first !== 'reply' && ports.every((port) => proven.get(port) === first)) return [summary];
    const byPlace = new Map<DropPlace | undefined, number[]>();
    // Pushed, never copied: a full sweep's summary holds ~65,000 ports (a copy per port blocked the event
    // loop for minutes, and every other lab's bounded steps timed out behind it).
    for (const port of ports) {
      const place = proven.get(port);
      const group = byPlace.get(place);
      if (group) group.push(port);
      else byPlace.set(place, [port]);
    }
    return [...byPlace].map(([place, group]) => ({ ...summary, count: group.length, ports: formatPortSpec(group), ...(place ? { droppedAt: place } : {}) }));
  });
  return { ...result, observations, others };
}

/** The ledger's proof for the silent ports, or every one of them unaccounted (with why) when it proves nothing. */
function account(silent: number[], reading: LedgerReading, table: string): { proven: DropPlaces; unaccounted: number[]; note?: string } {
  const none = (note: string) => ({ proven: new DropPlaces(), unaccounted: silent, note });
  if (silent.length === 0) return { proven: new DropPlaces(), unaccounted: [] };
  const { listing, conntrackDrops: drops } = reading;
  if (listing.exitCode !== 0) return none(`the ledger could not be read: ${listing.stderr.trim().slice(0, 200)}`);
  if (drops !== 0) return none(`conntrack dropped ${drops} packets during the scan (table full?): no silent port is proven`);
  try {
    return proveDrops(silent, parseLedger(listing.stdout, table));
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
