/**
 * What each iptables target and nft statement does with a packet, as far as a verdict is concerned:
 * `verdict` decides (accept, drop, reject, jump, return), `redirect` sends the packet elsewhere (NAT,
 * TPROXY: it decides too), `passive` leaves its fate alone (log, count, mark, rewrite a header field no
 * match reads unclassified), `rate` is nft's inline rate or quota statements (a match in all but name).
 * Anything not here is `unvaried`: a rule with an unknown target makes its verdicts unverified.
 */

export type TargetClass = 'verdict' | 'redirect' | 'passive' | 'rate' | 'unvaried';

export const XT_TARGETS: Record<string, TargetClass> = {
  ACCEPT: 'verdict',
  DROP: 'verdict',
  REJECT: 'verdict',
  RETURN: 'verdict',
  // NOTRACK and CT change the state later matches see; the clients meet the same rule, so its own matches decide.
  NOTRACK: 'verdict',
  CT: 'verdict',
  DNAT: 'redirect',
  REDIRECT: 'redirect',
  NETMAP: 'redirect',
  TPROXY: 'redirect',
  DNPT: 'redirect',
  LOG: 'passive',
  NFLOG: 'passive',
  ULOG: 'passive',
  TRACE: 'passive',
  AUDIT: 'passive',
  MARK: 'passive',
  CONNMARK: 'passive',
  SECMARK: 'passive',
  CONNSECMARK: 'passive',
  CLASSIFY: 'passive',
  HMARK: 'passive',
  DSCP: 'passive',
  TOS: 'passive',
  TTL: 'passive',
  HL: 'passive',
  ECN: 'passive',
  TCPMSS: 'passive',
  TCPOPTSTRIP: 'passive',
  CHECKSUM: 'passive',
  IDLETIMER: 'passive',
  LED: 'passive',
  RATEEST: 'passive',
  SET: 'passive',
  TEE: 'passive',
  SNAT: 'passive',
  MASQUERADE: 'passive',
  SNPT: 'passive',
  // A program or a cookie answers instead of the kernel's listener: no client verdict speaks for it.
  QUEUE: 'unvaried',
  NFQUEUE: 'unvaried',
  SYNPROXY: 'unvaried',
  CLUSTERIP: 'unvaried',
};

/** nft statements (libnftables-json(5) STATEMENTS) other than `match`. */
export const NFT_STATEMENTS: Record<string, TargetClass> = {
  accept: 'verdict',
  drop: 'verdict',
  reject: 'verdict',
  return: 'verdict',
  jump: 'verdict',
  goto: 'verdict',
  vmap: 'verdict',
  continue: 'passive',
  notrack: 'verdict',
  dnat: 'redirect',
  redirect: 'redirect',
  tproxy: 'redirect',
  counter: 'passive',
  log: 'passive',
  'ct helper': 'passive',
  'ct timeout': 'passive',
  'ct expectation': 'passive',
  snat: 'passive',
  masquerade: 'passive',
  dup: 'passive',
  set: 'passive',
  secmark: 'passive',
  limit: 'rate',
  quota: 'rate',
  meter: 'rate',
  'ct count': 'rate',
  // `meta mark set` is passive; a rewrite of an address or port sends the packet elsewhere (mangle.ts).
  mangle: 'redirect',
  queue: 'unvaried',
  fwd: 'unvaried',
  synproxy: 'unvaried',
  xt: 'unvaried',
};
