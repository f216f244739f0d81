/**
 * The drop ledger: proof from the target's own kernel that a silent port was silenced by the firewall.
 * nmap retries a probe only to tell "dropped by the firewall" from "lost on the way", and that retry is
 * what makes a full sweep slow. fwprobe owns the target, so it can watch each probe instead: a table of its
 * own (`inet fwprobe_ledger_…`, only set updates, no verdicts) notes each probe of one scan by port at
 * the first priority of each path it crosses and forgets it at the last, and does the same for every answer
 * the target makes. A probe held in a path's chains was dropped there by the target's netfilter; one never
 * seen at all, or answered and the answer let out, was lost elsewhere and is retried. Text in, text out.
 */
import { CommandOutputError, InternalError } from '../model/errors.ts';
import type { Family } from '../model/observation.ts';
import { isValidPort } from '../model/ports.ts';

/** What identifies one scan's probes in the target. */
export interface LedgerSpec {
  /** The nft table's name; unique per scan (several scans run side by side in one target). */
  table: string;
  family: Family;
  /** The address scanned: 127.0.0.1 or ::1 from loopback, the target's lab address from a peer. */
  target: string;
  /**
   * The scanner's own address (the same as `target` from loopback). Two peers on one network scan the same
   * target address from the same pinned port side by side: without it, each ledger would note the other's
   * probes, and a port one peer's probe was dropped on would read "proven dropped" for the other, whose
   * probe or answer was merely lost on the way.
   */
  source: string;
  /** nmap's pinned source port (`-g`): probes leave from it and answers come back to it. */
  sourcePort: number;
}

/**
 * The four sets a scan's ledger keeps, by port. Each holds only what went wrong (an all-ACCEPT sweep leaves
 * them empty): a port is added where its packet enters a path's chains and deleted where it leaves them.
 */
export interface LedgerSets {
  /** Probes that entered the output path (loopback probes are sent by the target itself) and never left it. */
  outFlight: ReadonlySet<number>;
  /** Probes that entered prerouting and were never delivered by input. */
  inFlight: ReadonlySet<number>;
  /** Answers (RST, SYN-ACK, ICMP error; keyed by the probed port) the target made and never let out. */
  replyFlight: ReadonlySet<number>;
  /** A REJECT's answers: a RST let out while its probe was held, or any ICMP error quoting a probe. */
  rejected: ReadonlySet<number>;
}

/** Where the ledger saw a silent port's probe or answer stop. */
export type DropPlace = 'output' | 'input' | 'reply';

const SET_NAMES = ['out_flight', 'in_flight', 'reply_flight', 'rejected'] as const;

// Before every table a ruleset can use (conntrack defrag -400, raw -300) and after all of them (filter 0,
// security 50, NAT ±100, conntrack helpers 300): what lies between is the target's netfilter.
const FIRST = -450;
const LAST = 450;

/** The argv that creates the ledger table (nft reads its argument as one script; no shell). */
export function ledgerInstallCommand(spec: LedgerSpec): string[] {
  return ['nft', ledgerScript(spec)];
}

/** The argv that lists the ledger, and the one that removes it. */
export function ledgerReadCommands(spec: Pick<LedgerSpec, 'table'>): { list: string[]; remove: string[] } {
  return { list: ['nft', 'list', 'table', 'inet', spec.table], remove: ['nft', 'delete', 'table', 'inet', spec.table] };
}

/**
 * Conntrack's own drops (table full, failed inserts) happen between the ledger's chains without being a
 * rule's decision: read before and after, and any change makes the ledger prove nothing.
 */
export const CONNTRACK_STAT_COMMAND = ['sh', '-c', 'cat /proc/net/stat/nf_conntrack 2>/dev/null; true'];

/** Sum of the drop, early_drop and insert_failed columns over every CPU; 0 when conntrack is not loaded. */
export function conntrackDrops(stat: string): number {
  const lines = stat.trim().split('\n').filter(Boolean);
  if (lines.length < 2) return 0;
  const header = lines[0]!.trim().split(/\s+/);
  const columns = ['drop', 'early_drop', 'insert_failed'].map((name) => header.indexOf(name)).filter((i) => i >= 0);
  let sum = 0;
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    for (const i of columns) sum += Number.parseInt(cells[i] ?? '0', 16) || 0;
  }
  return sum;
}

export function ledgerScript(spec: LedgerSpec): string {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(spec.table)) throw new InternalError(`ledger table name ${JSON.stringify(spec.table)}`);
  if (!isValidPort(spec.sourcePort)) throw new InternalError(`ledger source port ${spec.sourcePort}`);
  // The address goes into nft's own syntax: only a literal address may (the scope guard checked it too).
  if (!/^[0-9a-fA-F.:]+$/.test(spec.target)) throw new InternalError(`ledger target ${JSON.stringify(spec.target)}`);
  if (!/^[0-9a-fA-F.:]+$/.test(spec.source)) throw new InternalError(`ledger source ${JSON.stringify(spec.source)}`);
  const ip = spec.family === 'ipv4' ? 'ip' : 'ip6';
  const p = spec.sourcePort;
  // nmap's SYN probe: window 1024 from the pinned port; a real client's SYN never has that window.
  const probe = `${ip} saddr ${spec.source} ${ip} daddr ${spec.target} tcp sport ${p} tcp window 1024 tcp flags & (syn|ack) == syn`;
  const replyTcp = `${ip} saddr ${spec.target} ${ip} daddr ${spec.source} tcp dport ${p}`;
  // An ICMP error quotes the probe: its inner TCP source port (after the 8-byte ICMP header and a 20- or
  // 40-byte IP header) must be ours, and the inner destination port is the port probed.
  const icmp =
    spec.family === 'ipv4'
      ? `ip saddr ${spec.target} ip daddr ${spec.source} icmp type destination-unreachable @th,224,16 ${p}`
      : `ip6 saddr ${spec.target} ip6 daddr ${spec.source} icmpv6 type destination-unreachable @th,384,16 ${p}`;
  const inner = spec.family === 'ipv4' ? '@th,240,16' : '@th,400,16';
  const set = (name: string) => `  set ${name} { type inet_service; size 65536; flags dynamic; }`;
  const chain = (name: string, hook: string, priority: number, rules: string[]) => [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority ${priority}; policy accept;`,
    ...rules.map((r) => `    ${r}`),
    '  }',
  ];
  return [
    `table inet ${spec.table} {`,
    ...SET_NAMES.map(set),
    ...chain('out_pre', 'output', FIRST, [
      `${probe} add @out_flight { tcp dport }`,
      `${replyTcp} add @reply_flight { tcp sport }`,
      // Only a REJECT sends an ICMP error for a TCP probe: the port is then never proven, whatever became of
      // the error (nft cannot look a raw payload up in a port set, so the error is not followed further).
      `${icmp} add @rejected { ${inner} }`,
    ]),
    ...chain('out_post', 'postrouting', LAST, [
      `${probe} delete @out_flight { tcp dport }`,
      // Answered while its probe was held in a path: a REJECT there (in OUTPUT, it answers the target itself).
      `${replyTcp} tcp sport @in_flight add @rejected { tcp sport }`,
      `${replyTcp} tcp sport @out_flight add @rejected { tcp sport }`,

      `${replyTcp} delete @reply_flight { tcp sport }`,
    ]),
    ...chain('in_pre', 'prerouting', FIRST, [`${probe} add @in_flight { tcp dport }`]),
    ...chain('in_post', 'input', LAST, [`${probe} delete @in_flight { tcp dport }`]),
    '}',
    '',
  ].join('\n');
}

/**
 * Reads `nft list table inet …` of a ledger into its sets.
 * @throws CommandOutputError when a set is missing or holds something other than ports: the ledger is then no proof.
 */
export function parseLedger(listing: string): LedgerSets {
  const sets = parseSets(listing, SET_NAMES);
  return { outFlight: sets.get('out_flight')!, inFlight: sets.get('in_flight')!, replyFlight: sets.get('reply_flight')!, rejected: sets.get('rejected')! };
}

/**
 * The named port sets of a ledger listing (TCP's here, UDP's in ledger-udp.ts).
 * @throws CommandOutputError when a set is missing or holds something other than ports.
 */
export function parseSets(listing: string, names: readonly string[]): Map<string, Set<number>> {
  const sets = new Map<string, Set<number>>();
  for (const name of names) {
    const start = listing.indexOf(`set ${name} {`);
    if (start < 0) throw new CommandOutputError(`the ledger listing has no set ${name}`);
    const body = listing.slice(start + `set ${name} {`.length);
    const close = body.indexOf('}');
    const elements = body.indexOf('elements = {');
    const ports = new Set<number>();
    if (elements >= 0 && elements < close) {
      const text = body.slice(elements + 'elements = {'.length, body.indexOf('}', elements));
      for (const item of text.split(',')) {
        const port = Number(item.trim());
        if (!isValidPort(port)) throw new CommandOutputError(`the ledger set ${name} holds ${JSON.stringify(item.trim())}, not a port`);
        ports.add(port);
      }
    }
    sets.set(name, ports);
  }
  return sets;
}

/**
 * Which silent ports the ledger proves were silenced by the target's netfilter, and where:
 * - `output`/`input`: the probe entered that path's chains and never left them, and the target let no
 *   answer out for it nor holds one back (a REJECT answers: its answer may have been lost, so it is retried);
 * - `reply`: the probe was not stopped, the target answered, and the answer never left its output path.
 * Every other silent port is unaccounted for (never seen, lost between paths, answered and let out).
 */
export function proveDrops(silent: readonly number[], sets: LedgerSets): { proven: Map<number, DropPlace>; unaccounted: number[] } {
  const proven = new Map<number, DropPlace>();
  const unaccounted: number[] = [];
  for (const port of silent) {
    const answered = sets.replyFlight.has(port) || sets.rejected.has(port);
    const stopped = sets.outFlight.has(port) || sets.inFlight.has(port);
    if (!answered && sets.outFlight.has(port)) proven.set(port, 'output');
    else if (!answered && sets.inFlight.has(port)) proven.set(port, 'input');
    else if (!stopped && sets.replyFlight.has(port)) proven.set(port, 'reply');
    else unaccounted.push(port);
  }
  return { proven, unaccounted };
}
