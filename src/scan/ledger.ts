/**
 * The drop ledger: proof from the target's own kernel that a silent port was silenced by the firewall.
 * nmap retries a probe only to tell "dropped by the firewall" from "lost on the way", and that retry is
 * what makes a full sweep slow. fwprobe owns the target, so it can watch each probe instead: a table of its
 * own (`inet fwprobe_ledger_…`, only set updates, no verdicts) notes each probe of one scan by port at
 * the first priority of each path it crosses and forgets it at the last, and does the same for every answer
 * the target makes. A probe held in a path's chains was dropped there by the target's netfilter; one never
 * seen at all, or answered and the answer let out, was lost elsewhere and is retried. The parts every ledger
 * shares (the table's shape, its commands, conntrack's counters) are in ledger-table.ts, its reading in
 * ledger-listing.ts.
 */
import { InternalError } from '../model/errors.ts';
import type { Family } from '../model/observation.ts';
import { isValidPort } from '../model/ports.ts';
import { parseLedgerListing } from './ledger-listing.ts';
import { assertLedgerNames, FIRST, LAST, ledgerTableScript } from './ledger-table.ts';
import type { PortLookup } from './parse/port-bits.ts';

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
  outFlight: PortLookup;
  /** Probes that entered prerouting and were never delivered by input. */
  inFlight: PortLookup;
  /** Answers (RST, SYN-ACK, ICMP error; keyed by the probed port) the target made and never let out. */
  replyFlight: PortLookup;
  /** A REJECT's answers: a RST let out while its probe was held, or any ICMP error quoting a probe. */
  rejected: PortLookup;
}

/** Where the ledger saw a silent port's probe or answer stop. */
export type DropPlace = 'output' | 'input' | 'reply';

/** The ledger's sets, as its script names them. */
export const SET_NAMES = ['out_flight', 'in_flight', 'reply_flight', 'rejected'] as const;

/** The nft script that creates the TCP ledger table of `spec`. */
export function ledgerScript(spec: LedgerSpec): string {
  assertLedgerNames(spec);
  if (!isValidPort(spec.sourcePort)) throw new InternalError(`ledger source port ${spec.sourcePort}`);
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
  return ledgerTableScript(spec.table, SET_NAMES, [
    {
      name: 'out_pre',
      hook: 'output',
      priority: FIRST,
      rules: [
        `${probe} add @out_flight { tcp dport }`,
        `${replyTcp} add @reply_flight { tcp sport }`,
        // Only a REJECT sends an ICMP error for a TCP probe: the port is then never proven, whatever became of
        // the error (nft cannot look a raw payload up in a port set, so the error is not followed further).
        `${icmp} add @rejected { ${inner} }`,
      ],
    },
    {
      name: 'out_post',
      hook: 'postrouting',
      priority: LAST,
      rules: [
        `${probe} delete @out_flight { tcp dport }`,
        // Answered while its probe was held in a path: a REJECT there (in OUTPUT, it answers the target itself).
        `${replyTcp} tcp sport @in_flight add @rejected { tcp sport }`,
        `${replyTcp} tcp sport @out_flight add @rejected { tcp sport }`,

        `${replyTcp} delete @reply_flight { tcp sport }`,
      ],
    },
    { name: 'in_pre', hook: 'prerouting', priority: FIRST, rules: [`${probe} add @in_flight { tcp dport }`] },
    { name: 'in_post', hook: 'input', priority: LAST, rules: [`${probe} delete @in_flight { tcp dport }`] },
  ]);
}

/**
 * Reads `nft -j list table inet …` of ledger `table` into its sets.
 * @throws CommandOutputError when a set is missing or holds something other than ports: the ledger is then no proof.
 */
export function parseLedger(listing: string, table: string): LedgerSets {
  const sets = parseLedgerListing(listing, table, SET_NAMES);
  return { outFlight: sets.get('out_flight')!, inFlight: sets.get('in_flight')!, replyFlight: sets.get('reply_flight')!, rejected: sets.get('rejected')! };
}

/**
 * Which silent ports the ledger proves were silenced by the target's netfilter, and where:
 * - `output`/`input`: the probe entered that path's chains and never left them, and the target let no
 *   answer out for it nor holds one back (a REJECT answers: its answer may have been lost, so it is retried);
 * - `reply`: the probe was not stopped, the target answered, and the answer never left its output path.
 * Every other silent port is unaccounted for (never seen, lost between paths, answered and let out).
 */
export function proveDrops(silent: readonly number[], sets: LedgerSets): { proven: DropPlaces; unaccounted: number[] } {
  const proven = new DropPlaces();
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

const PLACES: readonly (DropPlace | undefined)[] = [undefined, 'output', 'input', 'reply'];

/**
 * Where each proven port stopped, by port: one byte per port, since a full sweep proves ~65,000 of them
 * (a `Map` of that size took tens of milliseconds to fill). Iterates as a map does, in port order.
 */
export class DropPlaces implements Iterable<[number, DropPlace]> {
  readonly #codes = new Uint8Array(65536);
  readonly #count: Record<DropPlace, number> = { output: 0, input: 0, reply: 0 };

  /** As `Map.set`: a port placed again keeps only its last place. @throws InternalError for a value that is not a port. */
  set(port: number, place: DropPlace): void {
    if (!isValidPort(port)) throw new InternalError(`DropPlaces.set: ${port} is not a port`);
    const before = PLACES[this.#codes[port]!];
    if (before) this.#count[before]--;
    this.#codes[port] = PLACES.indexOf(place);
    this.#count[place]++;
  }

  get(port: number): DropPlace | undefined {
    return PLACES[this.#codes[port] ?? 0];
  }

  get size(): number {
    return this.#count.output + this.#count.input + this.#count.reply;
  }

  /** How many ports stopped at each place. */
  countedBy(): Record<DropPlace, number> {
    return { ...this.#count };
  }

  *[Symbol.iterator](): IterableIterator<[number, DropPlace]> {
    if (this.size === 0) return;
    for (let port = 1; port < this.#codes.length; port++) {
      const place = PLACES[this.#codes[port]!];
      if (place) yield [port, place];
    }
  }
}
