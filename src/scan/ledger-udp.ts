/**
 * The drop ledger's UDP side: where each UDP probe of a counted sweep went, from the target's own kernel.
 * A UDP port that reads `open|filtered` says nothing: the firewall dropped the probe, or let it in to a
 * listener that keeps quiet, or to no listener at all while the kernel's ICMP port unreachable was held on
 * the way out or lost to its rate limit (nmap's `closed` versus `open|filtered` depends on that limit, so a
 * full sweep cannot lean on ICMP answers). A release gate guards what the firewall admits, so fwprobe
 * watches the probes themselves: a table of its own (only set updates, no verdicts) notes each probe by
 * port where it enters a path's chains, forgets it where it leaves them, and notes it `delivered` once it
 * has left the input path's last chain, i.e. reached the socket layer. Text in, text out.
 */
import { InternalError } from '../model/errors.ts';
import { isValidPort } from '../model/ports.ts';
import { parseSets, type LedgerSpec } from './ledger.ts';

/** What identifies one UDP scan's probes: as TCP's, but nmap's source ports (the main run's and the looks'). */
export interface UdpLedgerSpec extends Omit<LedgerSpec, 'sourcePort'> {
  /** Every `-g` the scan's runs use: the pinned port, and the ports the single-port looks leave from. */
  sourcePorts: readonly number[];
}

/** The three sets a UDP scan's ledger keeps, by probed port. */
export interface UdpLedgerSets {
  /** Probes that entered the output path (loopback probes are sent by the target itself) and never left it. */
  outFlight: ReadonlySet<number>;
  /** Probes that entered prerouting and never left the input path. */
  inFlight: ReadonlySet<number>;
  /** Probes that left the input path's last chain: the firewall let them through to the socket layer. */
  delivered: ReadonlySet<number>;
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

// As TCP's ledger: before every table a ruleset can use and after all of them.
const FIRST = -450;
const LAST = 450;

/** The argv that creates the ledger table (nft reads its argument as one script; no shell). */
export function udpLedgerInstallCommand(spec: UdpLedgerSpec): string[] {
  return ['nft', udpLedgerScript(spec)];
}

export function udpLedgerScript(spec: UdpLedgerSpec): string {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(spec.table)) throw new InternalError(`ledger table name ${JSON.stringify(spec.table)}`);
  if (spec.sourcePorts.length === 0 || !spec.sourcePorts.every(isValidPort)) throw new InternalError(`ledger source ports ${JSON.stringify(spec.sourcePorts)}`);
  // The addresses go into nft's own syntax: only literal addresses may (the scope guard checked them too).
  if (!/^[0-9a-fA-F.:]+$/.test(spec.target)) throw new InternalError(`ledger target ${JSON.stringify(spec.target)}`);
  if (!/^[0-9a-fA-F.:]+$/.test(spec.source)) throw new InternalError(`ledger source ${JSON.stringify(spec.source)}`);
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
  const set = (name: string) => `  set ${name} { type inet_service; size 65536; flags dynamic; }`;
  const chain = (name: string, hook: string, priority: number, rules: string[]) => [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority ${priority}; policy accept;`,
    ...rules.map((r) => `    ${r}`),
    '  }',
  ];
  return [
    `table inet ${spec.table} {`,
    ...UDP_SET_NAMES.map(set),
    ...chain('out_pre', 'output', FIRST, [`${probe} add @out_flight { udp dport }`]),
    ...chain('out_post', 'postrouting', LAST, leave('out_flight', 'delete')),
    ...chain('in_pre', 'prerouting', FIRST, [`${probe} add @in_flight { udp dport }`]),
    // Past every chain of the input path: what happens next is the socket layer's (a listener, or the
    // kernel's port unreachable), not the firewall's.
    ...chain('in_post', 'input', LAST, [...leave('in_flight', 'delete'), ...leave('delivered', 'add')]),
    '}',
    '',
  ].join('\n');
}

/**
 * Reads `nft list table inet …` of a UDP ledger into its sets.
 * @throws CommandOutputError when a set is missing or holds something other than ports.
 */
export function parseUdpLedger(listing: string): UdpLedgerSets {
  const sets = parseSets(listing, UDP_SET_NAMES);
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
