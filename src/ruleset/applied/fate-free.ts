/**
 * Rules that return or jump without being able to change a packet's fate. ufw's logging chains hold a
 * `-m limit … -j RETURN` before their LOG rule: what the RETURN skips only logs, so the limit decides
 * nothing, and a scenario under ufw need not be treated as rate-dependent (its clients sent one by one,
 * tens of seconds). Only logging and counting are fate-free here: a MARK skipped could change what a later
 * `-m mark` reads, so it is not.
 */
import type { AppliedModel, AppliedRule, RuleTarget } from './types.ts';

/** Targets that leave both the packet's fate and anything a later match reads alone. */
const XT_FATE_FREE = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'AUDIT']);
const NFT_FATE_FREE = new Set(['counter', 'log', 'continue', 'limit', 'quota']);

const chainKey = (rule: Pick<AppliedRule, 'family' | 'source' | 'table' | 'nftFamily'>, chain: string) => `${rule.family} ${rule.source} ${rule.nftFamily ?? ''} ${rule.table} ${chain}`;

const isReturn = (t: RuleTarget) => !t.jump && (t.name === 'RETURN' || t.name === 'return');

/**
 * Whether each rule only returns, or jumps or goes to a chain that cannot change a fate, with nothing but
 * fate-free rules left after it in its own chain: such a rule decides nothing, whatever it matches on.
 */
export function harmlessRules(model: AppliedModel): (rule: AppliedRule) => boolean {
  const chains = new Map<string, AppliedRule[]>();
  for (const rule of model.rules) chains.set(chainKey(rule, rule.chain), [...(chains.get(chainKey(rule, rule.chain)) ?? []), rule]);
  for (const rules of chains.values()) rules.sort((a, b) => a.position - b.position);
  const memo = new Map<string, boolean>();
  // A chain is fate-free when every rule in it is: it returns to its caller with the packet as it came.
  const chainFree = (key: string): boolean => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    // A loop (impossible in a loaded ruleset) or a chain the model does not hold: not fate-free.
    memo.set(key, false);
    const rules = chains.get(key);
    const free = rules !== undefined && rules.every((r) => r.targets.every((t) => targetFree(r, t)));
    memo.set(key, free);
    return free;
  };
  const targetFree = (rule: AppliedRule, t: RuleTarget): boolean => {
    if (t.jump) return t.chain !== undefined && chainFree(chainKey(rule, t.chain));
    if (isReturn(t)) return true;
    return rule.source === 'iptables' ? XT_FATE_FREE.has(t.name) : NFT_FATE_FREE.has(t.name);
  };
  return (rule) => {
    if (!rule.targets.every((t) => targetFree(rule, t))) return false;
    // A jump comes back; a RETURN or goto skips the rest of its chain: harmless only when that is fate-free.
    if (!rule.targets.some((t) => isReturn(t) || t.jump === 'goto')) return true;
    const rest = (chains.get(chainKey(rule, rule.chain)) ?? []).filter((r) => r.position > rule.position);
    return rest.every((r) => r.targets.every((t) => targetFree(r, t)));
  };
}
