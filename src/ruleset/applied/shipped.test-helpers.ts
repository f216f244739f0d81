/**
 * What the target image ships, checked in so the unit test needs no Docker: its iptables extensions
 * (`/usr/lib/x86_64-linux-gnu/xtables/lib{xt,ipt,ip6t}_*.so`) and the statement and expression types
 * libnftables-json(5) documents for its nft (1.0.6). `shipped.docker.test.ts` checks both against the image.
 */

export const XT_EXTENSIONS = [
  'libip6t_DNPT', 'libip6t_HL', 'libip6t_NETMAP', 'libip6t_REJECT', 'libip6t_SNPT', 'libip6t_ah', 'libip6t_dst', 'libip6t_eui64',
  'libip6t_frag', 'libip6t_hbh', 'libip6t_hl', 'libip6t_icmp6', 'libip6t_ipv6header', 'libip6t_mh', 'libip6t_rt', 'libip6t_srh',
  'libipt_CLUSTERIP', 'libipt_ECN', 'libipt_NETMAP', 'libipt_REJECT', 'libipt_TTL', 'libipt_ULOG', 'libipt_ah', 'libipt_icmp',
  'libipt_realm', 'libipt_ttl', 'libxt_AUDIT', 'libxt_CHECKSUM', 'libxt_CLASSIFY', 'libxt_CONNMARK', 'libxt_CONNSECMARK', 'libxt_CT',
  'libxt_DNAT', 'libxt_DSCP', 'libxt_HMARK', 'libxt_IDLETIMER', 'libxt_LED', 'libxt_LOG', 'libxt_MARK', 'libxt_MASQUERADE', 'libxt_NAT',
  'libxt_NFLOG', 'libxt_NFQUEUE', 'libxt_NOTRACK', 'libxt_RATEEST', 'libxt_REDIRECT', 'libxt_SECMARK', 'libxt_SET', 'libxt_SNAT',
  'libxt_SYNPROXY', 'libxt_TCPMSS', 'libxt_TCPOPTSTRIP', 'libxt_TEE', 'libxt_TOS', 'libxt_TPROXY', 'libxt_TRACE', 'libxt_addrtype',
  'libxt_bpf', 'libxt_cgroup', 'libxt_cluster', 'libxt_comment', 'libxt_connbytes', 'libxt_connlabel', 'libxt_connlimit', 'libxt_connmark',
  'libxt_conntrack', 'libxt_cpu', 'libxt_dccp', 'libxt_devgroup', 'libxt_dscp', 'libxt_ecn', 'libxt_esp', 'libxt_hashlimit', 'libxt_helper',
  'libxt_ipcomp', 'libxt_iprange', 'libxt_ipvs', 'libxt_length', 'libxt_limit', 'libxt_mac', 'libxt_mark', 'libxt_multiport',
  'libxt_nfacct', 'libxt_osf', 'libxt_owner', 'libxt_physdev', 'libxt_pkttype', 'libxt_policy', 'libxt_quota', 'libxt_rateest',
  'libxt_recent', 'libxt_rpfilter', 'libxt_sctp', 'libxt_set', 'libxt_socket', 'libxt_standard', 'libxt_state', 'libxt_statistic',
  'libxt_string', 'libxt_tcp', 'libxt_tcpmss', 'libxt_time', 'libxt_tos', 'libxt_u32', 'libxt_udp',
];

/** libnftables-json(5), STATEMENTS. */
export const NFT_DOC_STATEMENTS = [
  'accept', 'continue', 'counter', 'ct count', 'ct expectation', 'ct helper', 'ct timeout', 'dnat', 'drop', 'dup', 'fwd', 'goto', 'jump',
  'limit', 'log', 'mangle', 'masquerade', 'match', 'meter', 'notrack', 'queue', 'quota', 'redirect', 'reject', 'return', 'set', 'snat',
  'vmap', 'xt',
];

/** libnftables-json(5), EXPRESSIONS (its VERDICT expressions are the verdict statements). */
export const NFT_DOC_EXPRESSIONS = [
  '&', '<<', '>>', '^', 'accept', 'concat', 'continue', 'ct', 'drop', 'elem', 'exthdr', 'fib', 'goto', 'jhash', 'jump', 'map', 'meta',
  'numgen', 'osf', 'payload', 'prefix', 'range', 'return', 'rt', 'sctp chunk', 'set', 'socket', 'symhash', 'tcp option', '|',
];

/** libnftables-json(5), META_KEY. */
export const NFT_DOC_META_KEYS = [
  'cgroup', 'cpu', 'ibridgename', 'ibriport', 'iif', 'iifgroup', 'iifname', 'iiftype', 'l4proto', 'length', 'mark', 'nfproto', 'nftrace',
  'obridgename', 'obriport', 'oif', 'oifgroup', 'oifname', 'oiftype', 'pkttype', 'priority', 'protocol', 'random', 'rtclassid', 'secpath',
  'skgid', 'skuid',
];

/** Reads the documented types from the man page text (troff), as the docker test does in the image. */
export function documentedTypes(man: string): { statements: string[]; expressions: string[]; metaKeys: string[] } {
  const section = (from: string, to: string) => man.slice(man.indexOf(from), man.indexOf(to));
  const keys = (text: string) => [...new Set([...text.replaceAll('\\fR\\fB<<\\fR\\fB', '<<').matchAll(/\\fB\{ "([^"]+)"/g)].map((m) => m[1]!))].sort();
  const expressions = section('.SH "EXPRESSIONS"', '.SH "AUTHOR"');
  const meta = expressions.slice(expressions.indexOf('META_KEY\\fR :='));
  return {
    statements: keys(section('.SH "STATEMENTS"', '.SH "EXPRESSIONS"')),
    expressions: keys(expressions),
    metaKeys: [...new Set([...meta.slice(0, meta.indexOf('.fi')).matchAll(/\\fB"([a-z0-9]+)"\\fR/g)].map((m) => m[1]!))].sort(),
  };
}
