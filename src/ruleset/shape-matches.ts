/**
 * What a ruleset matches on that fwprobe's clients do not vary, read from the applied-ruleset model
 * (ruleset/applied/): source ports that stateless rules trust (the clients then try them too), interface
 * names (which must exist in the lab, or the rules on them are never exercised), and every match the
 * classification table does not call varied or neutral: verdicts resting on those are unverified. A match
 * the table does not know is unvaried (fail closed).
 */
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import { classifiedRules, judgeModel } from './applied/classify.ts';
import { interfacesNamed, sourcePortsNamed } from './applied/readers.ts';

/** One rule whose match depends on something the clients do not vary. */
export interface UnvariedRule {
  family: 'ipv4' | 'ipv6';
  /** The match, e.g. `dscp`, `mac`, `ip6 hoplimit`, or an unknown target such as `nfqueue`. */
  match: string;
  rule: string;
}

/** @default 16 source ports the clients try beside the scenario's own (each is a round of every client). */
export const MAX_TRUSTED_SOURCE_PORTS = 16;

/**
 * Source ports named by `--sport`, `--sports` (multiport) or nft `sport`: the first port of each range, at
 * most MAX_TRUSTED_SOURCE_PORTS, those of rules that decide a TCP/UDP verdict first (a LOG or an ICMP rule
 * naming sixteen ports must not push out the one an ACCEPT trusts).
 */
export function trustedSourcePorts(saved: SavedRuleset): number[] {
  const model = appliedModel(saved);
  const deciding = new Set(
    judgeModel(model)
      .filter((j) => j.relevant && j.decides)
      .map((j) => j.rule),
  );
  const first = sourcePortsNamed({ ...model, rules: model.rules.filter((r) => deciding.has(r)) });
  return [...new Set([...first, ...sourcePortsNamed(model)])].slice(0, MAX_TRUSTED_SOURCE_PORTS).sort((a, b) => a - b);
}

/**
 * Rules that decide a TCP/UDP verdict on a source port the clients did not try (past the cap): their
 * verdicts are unverified (`source port`), never silently backed by the other ports.
 */
export function untriedSourcePorts(saved: SavedRuleset, tried: readonly number[]): UnvariedRule[] {
  const out: UnvariedRule[] = [];
  for (const j of judgeModel(appliedModel(saved))) {
    if (!j.relevant || !j.decides) continue;
    const named = sourcePortsNamed({ rules: [j.rule], chains: [] });
    if (named.some((port) => !tried.includes(port))) out.push({ family: j.rule.family, match: 'source port', rule: j.rule.text });
  }
  return out;
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
