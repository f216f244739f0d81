/**
 * Every nft match expression (libnftables-json(5) EXPRESSIONS, with the payload fields and meta and ct
 * keys that matter), classified (see class.ts). An expression, field or key not here is unvaried: fail
 * closed. Keys are `TYPE` or `TYPE NAME` as nft-json.ts names a match (`payload tcp`, `meta iifname`).
 */
import { absentFromClients, type Classifier, type ModuleEntry } from './class.ts';
import { stateClass, statusClass } from './conntrack-state.ts';
import { flagBits, flagsClass } from './tcp-flags.ts';

/** `tcp flags == syn`, `tcp flags & (fin|syn|rst|ack) == syn`, `tcp flags syn / fin,syn,rst,ack`. */
const tcpFlags: Classifier = (ctx) => {
  const mask = ctx.siblings.find((s) => s.name === '&');
  const maskBits = mask ? flagBits(mask.args) : 0xff;
  const comps = ctx.args.map((a) => flagBits([a]));
  if (maskBits === null || comps.some((c) => c === null)) return 'unvaried';
  return flagsClass(maskBits, comps as number[], ctx.negated);
};
const state: Classifier = (ctx) => stateClass({ ...ctx, args: ctx.args.map((a) => a.toUpperCase()) });
const fields = (options: Record<string, Classifier>, why: string): ModuleEntry => ({ bare: 'unvaried', options, why });
const unvaried = (why: string): ModuleEntry => ({ bare: 'unvaried', why });
const transport = fields({ sport: 'varied', dport: 'varied' }, 'ports are tried; checksums, lengths and the rest are not');

export const NFT_MATCHES: Record<string, ModuleEntry> = {
  'payload ip': fields({ saddr: 'varied', daddr: 'varied', protocol: 'varied' }, 'addresses and tcp/udp are tried; dscp, ecn, ttl, length, id, fragment fields are not'),
  'payload ip6': fields(
    { saddr: 'varied', daddr: 'varied', nexthdr: 'varied' },
    'addresses, tcp/udp and one Destination Options or Hop-by-Hop header are tried; hop limit, flow label, dscp, length are not',
  ),
  'payload tcp': fields({ sport: 'varied', dport: 'varied', flags: tcpFlags, '&': 'neutral' }, 'ports, and flags by the SYN shapes tried (a mask read with them)'),
  'payload udp': transport,
  'payload th': transport,
  'payload udplite': transport,
  'payload icmp': unvaried('ICMP fields (a rule that reads them cannot match TCP/UDP anyway)'),
  'payload icmpv6': unvaried('ICMPv6 fields (a rule that reads them cannot match TCP/UDP anyway)'),
  'payload ether': unvaried('the clients do not vary their MAC address'),
  'payload raw': unvaried('raw header bits'),
  'meta iifname': fields({ iifname: 'varied' }, 'each lab interface is tried'),
  'meta iif': fields({ iif: 'varied' }, 'each lab interface is tried'),
  'meta oifname': fields({ oifname: 'varied' }, 'the routes out are tried'),
  'meta oif': fields({ oif: 'varied' }, 'the routes out are tried'),
  'meta l4proto': fields({ l4proto: 'varied' }, 'tcp and udp are tried'),
  'meta protocol': fields({ protocol: 'varied' }, 'both families are tried'),
  'meta nfproto': fields({ nfproto: 'varied' }, 'both families are tried'),
  'meta pkttype': fields({ pkttype: 'varied' }, 'unicast, broadcast and multicast destinations are tried'),
  'meta random': unvaried('chance is confirmed by rate rounds only for iptables statistic; fail closed'),
  'ct state': fields({ state: state }, 'by polarity (conntrack-state.ts)'),
  'ct status': fields({ status: statusClass }, 'dnat and snat follow the NAT rules (conntrack-state.ts); other bits are not varied'),
  'ct saddr': fields({ saddr: 'varied' }, "the original source is the packet's"),
  'ct daddr': fields({ daddr: 'varied' }, "the original destination is the packet's"),
  'ct proto-src': fields({ 'proto-src': 'varied' }, "the packet's port"),
  'ct proto-dst': fields({ 'proto-dst': 'varied' }, "the packet's port"),
  'ct l3proto': fields({ l3proto: 'varied' }, 'both families are tried'),
  'ct protocol': fields({ protocol: 'varied' }, 'tcp and udp are tried'),
  'exthdr hbh': fields({ exists: 'varied' }, 'one Hop-by-Hop header is tried; its fields are not'),
  'exthdr dst': fields({ exists: 'varied' }, 'one Destination Options header is tried; its fields are not'),
  // Headers the clients never send: a DROP on their presence or fields is neutral (class.ts).
  'exthdr rt': { bare: absentFromClients, why: 'routing headers, which the clients never send' },
  'exthdr frag': { bare: absentFromClients, why: 'fragment headers, which the clients never send' },
  'exthdr mh': { bare: absentFromClients, why: 'mobility headers, which the clients never send' },
  'exthdr srh': { bare: absentFromClients, why: 'segment routing headers, which the clients never send' },
  // fib: route lookups on the packet's addresses and interface, which are tried (rpfilter, `fib daddr type local`).
  'fib oif': fields({ 'saddr.iif': 'varied', 'daddr.iif': 'varied', saddr: 'varied', daddr: 'varied', 'saddr.mark.iif': 'varied' }, 'addresses and interfaces are tried'),
  'fib oifname': fields({ 'saddr.iif': 'varied', 'daddr.iif': 'varied', saddr: 'varied', daddr: 'varied' }, 'addresses and interfaces are tried'),
  'fib type': fields({ daddr: 'varied', saddr: 'varied', 'daddr.iif': 'varied', 'saddr.iif': 'varied' }, 'address types (local, broadcast, multicast) are tried'),
  immediate: unvaried('a constant'),
};

/**
 * Every expression type libnftables-json(5) documents, to the entries above that speak for it. A type
 * whose every form is unvaried needs no entry: nft-json.ts names it, and a missing entry is unvaried.
 * Each key of this record must be classified somewhere: the enumeration test checks it.
 */
export const NFT_EXPRESSION_TYPES: Record<string, string> = {
  concat: 'each element is classified on its own',
  set: 'a right-hand side: the left expression is classified',
  map: 'its key is classified',
  prefix: 'a right-hand side',
  range: 'a right-hand side',
  payload: 'by protocol and field (payload ip, payload tcp…); raw payload unvaried',
  exthdr: 'hbh and dst existence varied; every field and other header unvaried',
  'tcp option': 'unvaried',
  'sctp chunk': 'unvaried',
  meta: 'by key (meta iifname…); keys not listed unvaried',
  rt: 'unvaried',
  ct: 'by key (ct state…); keys not listed unvaried',
  numgen: 'unvaried',
  jhash: 'unvaried',
  symhash: 'unvaried',
  fib: 'by result and flags',
  '|': 'its left operand is classified, fail closed on the rest',
  '^': 'its left operand is classified, fail closed on the rest',
  '&': 'its left operand is classified with the mask',
  '<<': 'its left operand is classified, fail closed on the rest',
  '>>': 'its left operand is classified, fail closed on the rest',
  elem: 'a right-hand side',
  socket: 'unvaried',
  osf: 'unvaried',
};
