/**
 * Every iptables match module the target image ships, classified (see class.ts). A module or an option not
 * here is unvaried: fail closed, so the next iptables cannot add a silent green. The list of modules is
 * checked against the image's own extensions (xt-table.docker.test.ts).
 */
import { absentFromClients, type Classifier, type ModuleEntry } from './class.ts';
import { stateClass, statusClass } from './conntrack-state.ts';
import { flagBits, flagsClass } from './tcp-flags.ts';

const tcpFlags: Classifier = (ctx) => {
  const mask = flagBits([ctx.args[0] ?? '']);
  const comp = flagBits([ctx.args[1] ?? '']);
  return mask === null || comp === null ? 'unvaried' : flagsClass(mask, [comp], ctx.negated);
};
const syn: Classifier = (ctx) => flagsClass(0x17, [0x02], ctx.negated);
const ports = { '--sport': 'varied', '--source-port': 'varied', '--dport': 'varied', '--destination-port': 'varied' } as const;
/**
 * `recent`: history another rule writes (`--set`). A DROP keyed on it only drops more (a ban list, a
 * brute-force limit: the rate rounds confirm it); an ACCEPT or a jump keyed on it, or a DROP of whoever is
 * NOT in it, opens to a sender who first did something else (port knocking: `--set` on one port, `--rcheck`
 * on the service), which no client does: unvaried. `--set` alone always matches. A jump with a hit count
 * is ufw's `limit` (its chain rejects): rate; a knock that jumps on a hit count is not told apart.
 */
const recent: Classifier = (ctx) => {
  const checks = ctx.siblings.filter((s) => ['--rcheck', '--update', '--remove'].includes(s.name));
  if (checks.length === 0) return 'rate';
  if (checks.some((s) => s.negated)) return 'unvaried';
  // ufw's `limit` jumps to a chain that rejects: a hit count on a jump is a rate limit, as on a DROP.
  return ctx.polarity === 'drop' || (ctx.polarity === 'other' && ctx.siblings.some((s) => s.name === '--hitcount')) ? 'rate' : 'unvaried';
};
const rate = (why: string): ModuleEntry => ({ bare: 'rate', why });
const unvaried = (why: string): ModuleEntry => ({ bare: 'unvaried', why });
/** A header the clients never send: a DROP on it is neutral, anything else unvaried (class.ts). */
const absent = (why: string): ModuleEntry => ({ bare: absentFromClients, why: `${why}, which the clients never send` });

export const XT_MATCHES: Record<string, ModuleEntry> = {
  ip: {
    bare: 'unvaried',
    options: {
      '-s': 'varied',
      '--source': 'varied',
      '-d': 'varied',
      '--destination': 'varied',
      '-i': 'varied',
      '--in-interface': 'varied',
      '-o': 'varied',
      '--out-interface': 'varied',
      '-p': 'varied',
      '--protocol': 'varied',
      // A non-first fragment: the clients never fragment.
      '-f': absentFromClients,
      '--fragment': absentFromClients,
    },
    why: 'sources (lab, public-looking, link-local, spoofed), destinations (each address, broadcast, multicast), each lab interface and tcp/udp are tried',
  },
  tcp: { bare: 'varied', options: { ...ports, '--syn': syn, '--tcp-flags': tcpFlags, '--tcp-option': 'unvaried' }, why: 'ports are tried; flags by the SYN shapes tried; options are not' },
  udp: { bare: 'varied', options: ports, why: 'ports are tried' },
  multiport: { bare: 'varied', options: { '--sports': 'varied', '--source-ports': 'varied', '--dports': 'varied', '--destination-ports': 'varied', '--ports': 'varied' }, why: 'ports are tried' },
  comment: { bare: 'neutral', options: { '--comment': 'neutral' }, why: 'always true' },
  standard: { bare: 'neutral', why: 'no match' },
  nfacct: { bare: 'neutral', options: { '--nfacct-name': 'neutral' }, why: 'counts, always true' },
  conntrack: {
    bare: 'neutral',
    options: {
      '--ctstate': stateClass,
      '--ctstatus': statusClass,
      '--ctproto': 'varied',
      '--ctorigsrc': 'varied',
      '--ctorigdst': 'varied',
      '--ctorigsrcport': 'varied',
      '--ctorigdstport': 'varied',
    },
    why: "state by polarity (conntrack-state.ts); original addresses and ports are the packet's own; DNAT/SNAT status follows the NAT rules; reply tuple, other status bits, direction and expiry are not varied",
  },
  state: { bare: 'neutral', options: { '--state': stateClass }, why: 'state by polarity (conntrack-state.ts)' },
  addrtype: {
    bare: 'varied',
    options: { '--src-type': 'varied', '--dst-type': 'varied', '--limit-iface-in': 'varied', '--limit-iface-out': 'varied' },
    why: 'local, unicast, broadcast, multicast and spoofed-own sources and destinations are tried',
  },
  iprange: { bare: 'varied', options: { '--src-range': 'varied', '--dst-range': 'varied' }, why: 'addresses are tried' },
  pkttype: { bare: 'varied', options: { '--pkt-type': 'varied' }, why: 'unicast, broadcast and multicast destinations are tried' },
  rpfilter: { bare: 'varied', options: { '--loose': 'varied', '--validmark': 'unvaried', '--accept-local': 'varied', '--invert': 'varied' }, why: 'routable and spoofed sources are tried' },
  hbh: { bare: 'varied', options: {}, why: 'one Hop-by-Hop header (PadN) is tried; its options and length are not (--hbh-len, --hbh-opts unvaried)' },
  dst: { bare: 'varied', options: {}, why: 'one Destination Options header (PadN) is tried; its options and length are not' },
  ecn: { bare: 'unvaried', options: { '--ecn-tcp-cwr': 'varied', '--ecn-tcp-ece': 'varied', '--ecn-ip-ect': 'unvaried' }, why: "SYN|ECE|CWR is tried; the IP header's ECT bits are not" },
  limit: rate('rate'),
  hashlimit: rate('rate per source or destination'),
  recent: { bare: recent, why: 'history: a DROP on it is rate, an ACCEPT or jump on it (port knocking) unvaried' },
  connlimit: rate('connections open at once'),
  statistic: rate('chance or every nth packet'),
  quota: rate('bytes so far'),
  rateest: rate('rate estimate'),
  connbytes: rate('bytes or packets so far in the connection'),
  mac: unvaried('the clients do not vary their MAC address'),
  eui64: unvaried('an IPv6 source derived from the MAC address'),
  dscp: unvaried('DSCP is a header field the sender sets'),
  tos: unvaried('TOS is a header field the sender sets'),
  length: unvaried('packet length'),
  ttl: unvaried('TTL'),
  hl: unvaried('hop limit'),
  u32: unvaried('arbitrary header bits'),
  string: unvaried('payload content'),
  bpf: unvaried('a BPF program'),
  tcpmss: unvaried('the MSS option'),
  time: unvaried('the clock'),
  owner: unvaried("the local socket's owner"),
  cgroup: unvaried("the local socket's cgroup"),
  socket: unvaried('a local socket'),
  cpu: unvaried('the CPU that handles the packet'),
  osf: unvaried("the sender's OS fingerprint"),
  policy: unvaried('IPsec policy'),
  mark: unvaried('a mark another rule sets'),
  connmark: unvaried('a connection mark another rule sets'),
  connlabel: unvaried('a connection label another rule sets'),
  helper: unvaried('a conntrack helper'),
  devgroup: unvaried('interface groups'),
  physdev: unvaried('bridge ports'),
  ipvs: unvaried('IPVS'),
  cluster: unvaried('cluster node hash'),
  realm: unvaried('routing realm'),
  set: unvaried('ipset contents'),
  ipv4options: absent('IPv4 options'),
  ipv6header: unvaried('IPv6 header chains'),
  frag: absent('IPv6 fragments'),
  rt: absent('IPv6 routing headers'),
  srh: absent('segment routing headers'),
  mh: absent('mobility headers'),
  ah: absent('AH'),
  esp: absent('ESP'),
  ipcomp: absent('IPComp'),
  icmp: unvaried('ICMP types (a rule pinned to icmp cannot decide a TCP/UDP port anyway)'),
  icmp6: unvaried('ICMPv6 types (a rule pinned to ipv6-icmp cannot decide a TCP/UDP port anyway)'),
  sctp: unvaried('SCTP'),
  dccp: unvaried('DCCP'),
};
