/**
 * The drop ledger's UDP side: where each UDP probe of a counted sweep went, from the target's own kernel.
 * A UDP port that reads `open|filtered` says nothing: the firewall dropped the probe, or let it in to a
 * listener that keeps quiet, or to no listener at all while the kernel's ICMP port unreachable was held on
 * the way out or lost to its rate limit (nmap's `closed` versus `open|filtered` depends on that limit, so a
 * full sweep cannot lean on ICMP answers). A release gate guards what the firewall admits, so fwprobe
 * watches the probes themselves: a table of its own (only set updates, no verdicts) notes each probe by
 * port where it enters a path's chains, forgets it where it leaves them, and notes it `delivered` once it
 * has left the input path's last chain, i.e. reached the socket layer. What every ledger shares is in
 * ledger-table.ts, its reading in ledger-listing.ts.
 */
import { InternalError } from '../model/errors.ts';
import { isValidPort } from '../model/ports.ts';
import type { LedgerSpec } from './ledger.ts';
import { parseLedgerListing } from './ledger-listing.ts';
import { assertLedgerNames, FIRST, LAST, ledgerTableScript } from './ledger-table.ts';
import type { PortLookup } from './parse/port-bits.ts';

/** What identifies one UDP scan's probes: as TCP's, but nmap's source ports (the main run's and the looks'). */
export interface UdpLedgerSpec extends Omit<LedgerSpec, 'sourcePort'> {
  /** Every `-g` the scan's runs use: the pinned port, and the ports the single-port looks leave from. */
  sourcePorts: readonly number[];
}

/** The three sets a UDP scan's ledger keeps, by probed port. */
export interface UdpLedgerSets {
  /** Probes that entered the output path (loopback probes are sent by the target itself) and never left it. */
  outFlight: PortLookup;
  /** Probes that entered prerouting and never left the input path. */
  inFlight: PortLookup;
  /** Probes that left the input path's last chain: the firewall let them through to the socket layer. */
  delivered: PortLookup;
}

/**
 * The ledger's word on one UDP port: `admitted` (a probe reached the socket layer), `dropped` (every probe
 * seen was held in a path's chains: a DROP or a REJECT there), or `unverified` (the ledger never saw a
 * probe, or cannot tell a rule's drop from conntrack's).
 */
export type UdpLedgerWord = 'admitted' | 'dropped' | 'unverified';

export interface UdpDecision {
  word: UdpLedgerWord;
  /** For `dropped`: the path whose chains held the probe. */
  droppedAt?: 'output' | 'input';
}

export const UDP_SET_NAMES = ['out_flight', 'in_flight', 'delivered'] as const;

/** The nft script that creates the UDP ledger table of `spec`. */
export function udpLedgerScript(spec: UdpLedgerSpec): string {
  assertLedgerNames(spec);
  if (spec.sourcePorts.length === 0 || !spec.sourcePorts.every(isValidPort)) throw new InternalError(`ledger source ports ${JSON.stringify(spec.sourcePorts)}`);
  const ip = spec.family === 'ipv4' ? 'ip' : 'ip6';
  const ports = [...new Set(spec.sourcePorts)].sort((a, b) => a - b);
  const sport = ports.length === 1 ? String(ports[0]) : `{ ${ports.join(', ')} }`;
  // Only this scanner's probes to this address from nmap's own source ports: another peer's scan of the same
  // address, or a real client, is never noted (see LedgerSpec.source).
  const probe = `${ip} saddr ${spec.source} ${ip} daddr ${spec.target} udp sport ${sport}`;
  // Where a probe leaves a path, NAT (a REDIRECT or DNAT, at -100) may have rewritten its port and address:
  // the probe is followed by conntrack's original tuple, as it was sent, so a port redirected to another is
  // delivered under its own number, not left "in flight" (dropped). An untracked probe (a raw-table
  // `notrack`) has no tuple, and no NAT: its own header is the original.
  const tracked = `meta l4proto udp ct original ${ip} saddr ${spec.source} ct original ${ip} daddr ${spec.target} ct original proto-src ${sport}`;
  const untracked = `ct state invalid,untracked ${probe}`;
  const leave = (set: string, verb: 'add' | 'delete') => [`${untracked} ${verb} @${set} { udp dport }`, `${tracked} ${verb} @${set} { ct original proto-dst }`];
  return ledgerTableScript(spec.table, UDP_SET_NAMES, [
    { name: 'out_pre', hook: 'output', priority: FIRST, rules: [`${probe} add @out_flight { udp dport }`] },
    { name: 'out_post', hook: 'postrouting', priority: LAST, rules: leave('out_flight', 'delete') },
    { name: 'in_pre', hook: 'prerouting', priority: FIRST, rules: [`${probe} add @in_flight { udp dport }`] },
    // Past every chain of the input path: what happens next is the socket layer's (a listener, or the
    // kernel's port unreachable), not the firewall's.
    { name: 'in_post', hook: 'input', priority: LAST, rules: [...leave('in_flight', 'delete'), ...leave('delivered', 'add')] },
  ]);
}

/**
 * Reads `nft -j list table inet …` of UDP ledger `table` into its sets.
 * @throws CommandOutputError when a set is missing or holds something other than ports.
 */
export function parseUdpLedger(listing: string, table: string): UdpLedgerSets {
  const sets = parseLedgerListing(listing, table, UDP_SET_NAMES);
  return { outFlight: sets.get('out_flight')!, inFlight: sets.get('in_flight')!, delivered: sets.get('delivered')! };
}

/**
 * The ledger's word on each of `ports`. A probe that reached the socket layer admits its port whatever
 * else befell it (a retry, another payload); one held in a path's chains is `dropped` only when
 * `dropsProven` (conntrack dropped nothing meanwhile, so what held it was a rule); one never seen is
 * `unverified`. No ICMP answer is read: the word rests on the probe's own path.
 */
export function decideUdp(ports: Iterable<number>, sets: UdpLedgerSets, dropsProven: boolean): Map<number, UdpDecision> {
  const decided = new Map<number, UdpDecision>();
  for (const port of ports) {
    if (sets.delivered.has(port)) decided.set(port, { word: 'admitted' });
    else if (dropsProven && sets.outFlight.has(port)) decided.set(port, { word: 'dropped', droppedAt: 'output' });
    else if (dropsProven && sets.inFlight.has(port)) decided.set(port, { word: 'dropped', droppedAt: 'input' });
    else decided.set(port, { word: 'unverified' });
  }
  return decided;
}
