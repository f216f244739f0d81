/**
 * What a ruleset matches on that fwprobe's clients do not vary, read from the applied-ruleset model
 * (ruleset/applied/): source ports that stateless rules trust (the clients then try them too), interface
 * names (which must exist in the lab, or the rules on them are never exercised), and every match the
 * classification table does not call varied or neutral: verdicts resting on those are unverified. A match
 * the table does not know is unvaried (fail closed).
 */
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import { classifiedRules } from './applied/classify.ts';
import { interfacesNamed, sourcePortsNamed } from './applied/readers.ts';

/** One rule whose match depends on something the clients do not vary. */
export interface UnvariedRule {
  family: 'ipv4' | 'ipv6';
  /** The match, e.g. `dscp`, `mac`, `ip6 hoplimit`, or an unknown target such as `nfqueue`. */
  match: string;
  rule: string;
}

/** Source ports named by `--sport`, `--sports` (multiport) or nft `sport`: the first port of each range. */
export function trustedSourcePorts(saved: SavedRuleset): number[] {
  return sourcePortsNamed(appliedModel(saved));
}

/** Interface names the rules match on (`-i`, `-o`, nft `iifname`/`oifname`/`iif`/`oif`), wildcards as written. */
export function interfaceNames(saved: SavedRuleset): string[] {
  return interfacesNamed(appliedModel(saved));
}

/** Whether an iptables interface name (a trailing `+` is a prefix wildcard) matches one of `present`. */
export function interfaceMatches(name: string, present: readonly string[]): boolean {
  if (name.endsWith('+')) return present.some((p) => p.startsWith(name.slice(0, -1)));
  if (name.endsWith('*')) return present.some((p) => p.startsWith(name.slice(0, -1)));
  return present.includes(name);
}

/**
 * Rules that can decide a TCP/UDP port (reachable from a hook, not pinned to another protocol, not only
 * logging) whose matches include one the clients do not vary.
 */
export function unvariedRules(saved: SavedRuleset): UnvariedRule[] {
  return classifiedRules(appliedModel(saved), 'unvaried');
}
