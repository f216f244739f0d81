/**
 * The matches on which nmap's probe and every real client to the same port from the same vantage agree:
 * destination port and address, protocol, interface, the vantage's own source address, the connection's
 * state, route lookups. A silent port proves "blocked" for clients only where every rule that can decide
 * it keys on these alone. Everything else (the source port, TCP flags beyond a plain connecting SYN,
 * extension headers, lengths, TTL, rates, marks, sets…) is keyed on the probe's shape or moment, and so is
 * anything this list does not name: a list of known shape words let `tcp dport . tcp sport { 8080 . 53 }`,
 * `-m multiport --ports 53` and `--tcp-flags SYN,PSH SYN,PSH` read blocked while such clients got in.
 */
import { absentFromClients } from './applied/class.ts';
import { sameForEverySyn, flagBits } from './applied/tcp-flags.ts';
import type { AppliedRule, MatchOption, RuleMatch } from './applied/types.ts';
import { NFT_MATCHES } from './applied/nft-table.ts';
import { XT_MATCHES } from './applied/xt-table.ts';

const XT_ALIKE: Record<string, readonly string[]> = {
  ip: ['-s', '--source', '-d', '--destination', '-i', '--in-interface', '-o', '--out-interface', '-p', '--protocol'],
  tcp: ['--dport', '--destination-port'],
  udp: ['--dport', '--destination-port'],
  multiport: ['--dports', '--destination-ports'],
  comment: ['--comment'],
  standard: [],
  nfacct: ['--nfacct-name'],
  conntrack: ['--ctstate', '--ctstatus', '--ctproto', '--ctorigsrc', '--ctorigdst', '--ctorigdstport'],
  state: ['--state'],
  addrtype: ['--src-type', '--dst-type', '--limit-iface-in', '--limit-iface-out'],
  iprange: ['--src-range', '--dst-range'],
  pkttype: ['--pkt-type'],
  rpfilter: ['--loose', '--accept-local', '--invert'],
};

const NFT_ALIKE: Record<string, readonly string[]> = {
  'payload ip': ['saddr', 'daddr', 'protocol'],
  'payload ip6': ['saddr', 'daddr', 'nexthdr'],
  'payload tcp': ['dport'],
  'payload udp': ['dport'],
  'payload th': ['dport'],
  'payload udplite': ['dport'],
  'meta iifname': ['iifname'],
  'meta iif': ['iif'],
  'meta oifname': ['oifname'],
  'meta oif': ['oif'],
  'meta l4proto': ['l4proto'],
  'meta protocol': ['protocol'],
  'meta nfproto': ['nfproto'],
  'meta pkttype': ['pkttype'],
  'ct state': ['state'],
  'ct status': ['status'],
  'ct saddr': ['saddr'],
  'ct daddr': ['daddr'],
  'ct proto-dst': ['proto-dst'],
  'ct l3proto': ['l3proto'],
  'ct protocol': ['protocol'],
};

/**
 * The first match of `rule` keyed on the probe's shape or moment (`name option`), or undefined when nmap's
 * probe and every client to the same port meet the rule alike.
 */
export function shapeKey(rule: AppliedRule): string | undefined {
  const drops = rule.targets.some((t) => !t.jump && ['DROP', 'REJECT'].includes(t.name.toUpperCase()));
  for (const m of rule.matches) {
    const options: MatchOption[] = m.options.length > 0 ? m.options : [{ name: '', args: [], negated: false }];
    for (const o of options) if (!alike(m, o, options, drops)) return `${m.name} ${o.name}`.trim();
  }
  return undefined;
}

function alike(m: RuleMatch, o: MatchOption, siblings: readonly MatchOption[], drops: boolean): boolean {
  const entry = (m.kind === 'xt' ? XT_MATCHES : NFT_MATCHES)[m.name];
  // A header neither the probe nor a client carries: a DROP on it holds neither (a fragment, a routing header).
  const absent = entry !== undefined && (entry.bare === absentFromClients || (m.kind === 'xt' && m.name === 'ip' && (o.name === '-f' || o.name === '--fragment')));
  if (absent) return drops && !o.negated;
  if (m.kind === 'xt' && m.name === 'tcp' && (o.name === '--tcp-flags' || o.name === '--syn')) {
    const mask = o.name === '--syn' ? 0x17 : flagBits([o.args[0] ?? '']);
    const comp = o.name === '--syn' ? 0x02 : flagBits([o.args[1] ?? '']);
    return mask !== null && comp !== null && sameForEverySyn(mask, [comp], o.negated);
  }
  if (m.kind === 'nft' && m.name === 'payload tcp' && (o.name === 'flags' || o.name === '&')) {
    const flags = siblings.find((s) => s.name === 'flags');
    const mask = siblings.find((s) => s.name === '&');
    const maskBits = mask ? flagBits(mask.args) : 0xff;
    const comps = (flags?.args ?? []).map((a) => flagBits([a]));
    const all = flagBits(flags?.args ?? []);
    if (flags === undefined || maskBits === null || all === null || comps.length === 0 || comps.some((c) => c === null)) return false;
    // The model flattens `== syn|psh` (one value) and `{ syn, ack }` (either) alike: alike only under both readings.
    return sameForEverySyn(maskBits, comps as number[], flags.negated) && sameForEverySyn(maskBits, [all], flags.negated);
  }
  if (m.kind === 'nft' && m.name.startsWith('fib ')) return true;
  return ((m.kind === 'xt' ? XT_ALIKE : NFT_ALIKE)[m.name] ?? []).includes(o.name);
}
