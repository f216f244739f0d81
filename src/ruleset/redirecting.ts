/**
 * Rules that send a packet somewhere other than where it was addressed, or hand its fate to a program:
 * NAT (`DNAT`, `REDIRECT`, `NETMAP`, `dnat to`, `redirect`), `TPROXY`, and queues to userspace. A counted
 * scan's ledger (scan/ledger.ts) follows each probe by the port it was sent to through the target's own
 * hooks; under such a rule a probe can leave those hooks without being dropped, so the ledger proves
 * nothing and the scan keeps nmap's own retry.
 */
import { rulesMatching } from './rate-dependence.ts';

const IPTABLES_TARGETS = /(?:^|\s)-j\s+(DNAT|REDIRECT|NETMAP|TPROXY|NFQUEUE|QUEUE)\b/;
const NFT_FORMS = /\b(dnat|redirect|tproxy|queue)\b/;

/** Such rules in `iptables-save`-style text and native nft tables, per family. */
export function redirectingRules(saved: { v4: string; v6: string; nft?: string }): { family: 'ipv4' | 'ipv6'; match: string; rule: string }[] {
  return rulesMatching(saved, (rule) => IPTABLES_TARGETS.exec(rule)?.[1] ?? NFT_FORMS.exec(rule)?.[1]);
}
