/**
 * A counted UDP sweep: the scan runs as it always does (nmap's UDP timing, the looks, the patient second
 * look at ambiguous ports of interest), with the UDP ledger (ledger-udp.ts) in the target around all of it.
 * Then every UDP port of the sweep carries the ledger's word (`ledger`): whether the firewall let a probe
 * through to the socket layer, held it, or cannot be said to have done either. A silent UDP port is no
 * longer left out of the release gate: it is `admitted`, `blocked`, or `unverified`, never unknown.
 */
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import { underLedger, type Counting } from './counted-ledger.ts';
import { decideUdp, parseUdpLedger, UDP_SET_NAMES, udpLedgerScript, type UdpDecision, type UdpLedgerSpec } from './ledger-udp.ts';
import type { PortSummary, ScanBacking, ScanRequest, ScanResult } from './types.ts';

/**
 * Runs `scan` (the whole UDP scan of `request`, whose source port is pinned) with the ledger in the target,
 * and marks every port it reports. The ledger is removed whatever the scan did.
 * @param sourcePorts - every source port the scan's runs leave from (the pinned one and the looks').
 * @throws CommandFailedError when the ledger table cannot be removed: it would be left in the target.
 */
export async function countedUdpScan(scan: () => Promise<ScanResult>, request: ScanRequest, sourcePorts: readonly number[], counting: Counting): Promise<ScanResult> {
  const spec: UdpLedgerSpec = { table: counting.table, family: request.family, target: request.target, source: counting.source[request.family], sourcePorts };
  const counted = await underLedger(counting, { script: udpLedgerScript(spec), sets: UDP_SET_NAMES }, scan);
  // No ledger, no counters: every port nmap did not read open stays unverified, never "not exposed".
  if (!counted.installed) return unverifiedAll(await scan(), counted.why);
  const { value: result, reading } = counted;
  if (reading.listing.exitCode !== 0) return unverifiedAll(result, `the ledger could not be read: ${reading.listing.stderr.trim().slice(0, 200)}`);
  let sets;
  try {
    sets = parseUdpLedger(reading.listing.stdout, spec.table);
  } catch (error) {
    return unverifiedAll(result, `the ledger listing is unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const drops = reading.conntrackDrops;
  const note = drops !== 0 ? `conntrack dropped ${drops} packets during the scan (table full?): a held probe proves no rule's drop` : undefined;
  const decided = decideUdp(reportedPorts(result), sets, drops === 0);
  const shaped = unprovenDrops(decided, counting.unproven);
  const notes = [note, shaped].filter((n): n is string => n !== undefined);
  return { ...markPorts(result, decided), backing: udpBacking(result, decided, notes.length > 0 ? notes.join('; ') : undefined) };
}

/**
 * A held probe proves nothing where a rule keyed on the probe's source port or shape decides the port: the
 * pinned scanner may be the only sender it holds. Those ports turn `unverified`, and the note names a rule.
 */
function unprovenDrops(decided: Map<number, UdpDecision>, unproven: Counting['unproven']): string | undefined {
  if (!unproven) return undefined;
  let first: string | undefined;
  let count = 0;
  for (const [port, d] of decided) {
    const rule = d.word === 'dropped' ? unproven(port) : undefined;
    if (rule === undefined) continue;
    decided.set(port, { word: 'unverified' });
    first ??= rule;
    count++;
  }
  return first === undefined ? undefined : `${count} held port(s) left unverified: \`${first.slice(0, 160)}\` keys on the source port or shape, so a client unlike the scan's probe may get in`;
}

/** Every port the result reports, listed or summarised with its list. */
function reportedPorts(result: ScanResult): number[] {
  const ports = result.observations.map((o) => o.port);
  for (const s of result.others) if (s.ports !== null) ports.push(...parsePortSpec(s.ports));
  return ports;
}

function unverifiedAll(result: ScanResult, note: string): ScanResult {
  const decided = new Map(reportedPorts(result).map((port) => [port, { word: 'unverified' } as UdpDecision]));
  return { ...markPorts(result, decided), backing: udpBacking(result, decided, note) };
}

/** Each observation and summary marked with the ledger's word; summaries split so that each holds one word. */
export function markPorts(result: ScanResult, decided: ReadonlyMap<number, UdpDecision>): ScanResult {
  const fields = (d: UdpDecision | undefined) => (d ? { ledger: d.word, ...(d.droppedAt ? { droppedAt: d.droppedAt } : {}) } : {});
  const observations = result.observations.map((o) => ({ ...o, ...fields(decided.get(o.port)) }));
  const others = result.others.flatMap((summary): PortSummary[] => {
    if (summary.ports === null) return [summary];
    const byWord = new Map<string, { decision: UdpDecision | undefined; ports: number[] }>();
    // Pushed, never copied: a full sweep's summary holds ~65,000 ports (see counted.ts).
    for (const port of parsePortSpec(summary.ports)) {
      const decision = decided.get(port);
      const key = decision ? `${decision.word}/${decision.droppedAt ?? ''}` : '';
      const group = byWord.get(key);
      if (group) group.ports.push(port);
      else byWord.set(key, { decision, ports: [port] });
    }
    return [...byWord.values()].map(({ decision, ports }) => ({ ...summary, count: ports.length, ports: formatPortSpec(ports), ...fields(decision) }));
  });
  return { ...result, observations, others };
}

/** How a counted UDP sweep's readings are backed: `silent` counts the ports nmap read `open|filtered`. */
function udpBacking(result: ScanResult, decided: ReadonlyMap<number, UdpDecision>, note: string | undefined): ScanBacking {
  let silent = result.observations.filter((o) => o.state === 'open|filtered').length;
  for (const s of result.others) if (s.state === 'open|filtered') silent += s.count;
  const countedBy = { output: 0, input: 0, reply: 0 };
  let admitted = 0;
  let unverified = 0;
  for (const d of decided.values()) {
    if (d.word === 'admitted') admitted++;
    else if (d.word === 'unverified') unverified++;
    else if (d.droppedAt) countedBy[d.droppedAt]++;
  }
  return { method: 'counted', silent, dropped: countedBy.output + countedBy.input, countedBy, retried: 0, admitted, unverified, ...(note ? { note } : {}) };
}
