/**
 * Rules that send a packet somewhere other than where it was addressed, or hand its fate to a program:
 * NAT (`DNAT`, `REDIRECT`, `NETMAP`, `dnat to`, `redirect`), `TPROXY`, queues to userspace, and nft's
 * stateless rewrites of an address or port (`tcp dport set`, `ip daddr set`, a raw payload `set`). A counted
 * scan's ledger (scan/ledger.ts) follows each probe by the port it was sent to through the target's own
 * hooks; under such a rule a probe can leave those hooks without being dropped, so the ledger proves
 * nothing and the scan keeps nmap's own retry.
 */
import { rulesMatching } from './rate-dependence.ts';

const IPTABLES_TARGETS = /(?:^|\s)-j\s+(DNAT|REDIRECT|NETMAP|TPROXY|NFQUEUE|QUEUE)\b/;
const NFT_FORMS = /\b(dnat|redirect|tproxy|queue)\b/;
// Stateless rewrites of an address or a port (`tcp dport set 22`, `ip daddr set …`, a raw `@th,16,16 set`):
// a probe to 8080 rewritten to 22 leaves the input path as 22, so the ledger holds 8080 as "dropped" while
// 22's answer, rewritten back after the ledger's last look, reaches the scanner as 8080's.
const NFT_REWRITES = /(?:^|\s)((?:ip6?|tcp|udp|udplite|sctp|dccp|th) (?:saddr|daddr|sport|dport) set|@(?:ll|nh|th|ih),\d+,\d+ set)\b/;

/** Such rules in `iptables-save`-style text and native nft tables, per family. */
export function redirectingRules(saved: { v4: string; v6: string; nft?: string }): { family: 'ipv4' | 'ipv6'; match: string; rule: string }[] {
  return rulesMatching(saved, (rule) => IPTABLES_TARGETS.exec(rule)?.[1] ?? NFT_FORMS.exec(rule)?.[1] ?? NFT_REWRITES.exec(rule)?.[1]);
}
