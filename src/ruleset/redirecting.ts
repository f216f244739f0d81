/**
 * Rules that send a packet somewhere other than where it was addressed, or hand its fate to a program:
 * NAT (`DNAT`, `REDIRECT`, `NETMAP`, `dnat`, `redirect`), `TPROXY`, queues to userspace, and nft's
 * stateless rewrites of an address or port (`tcp dport set`, `ip daddr set`, a raw payload `set`), read
 * from the applied-ruleset model. A counted scan's ledger (scan/ledger.ts) follows each probe by the port
 * it was sent to through the target's own hooks; under such a rule a probe can leave those hooks without
 * being dropped, so the ledger proves nothing and the scan keeps nmap's own retry. Also: the ports NAT maps
 * onto another, which are ports of interest too.
 */
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import { natMappedPorts as mapped, redirectingIn, type NatMappedPorts } from './applied/nat-ports.ts';

export type { NatMappedPorts };

/** Such rules in both families' `*-save` tables and native nft tables. */
export function redirectingRules(saved: SavedRuleset): { family: 'ipv4' | 'ipv6'; match: string; rule: string }[] {
  return redirectingIn(appliedModel(saved));
}

/** The match ports (bounded ranges) of REDIRECT, DNAT, NETMAP and nft `redirect`/`dnat` rules. */
export function natMappedPorts(saved: SavedRuleset): NatMappedPorts[] {
  return mapped(appliedModel(saved));
}
