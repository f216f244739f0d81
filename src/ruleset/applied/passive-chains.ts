/**
 * Chains that only log: ufw's `ufw-logging-deny` holds a rate-limited RETURN and a rate-limited LOG, and
 * `ufw-not-local` jumps to it under a limit. A packet that enters such a chain comes back to the rule after
 * the jump unchanged, so neither the jump, nor the RETURN inside, nor their rate decides a port: without
 * this, ufw's own logging rules read as "verdicts depend on rate". Only `jump` counts: a `goto` skips the
 * rest of the calling chain, and that is a decision. A base chain is never passive (its policy decides).
 */
import type { TargetClass } from './targets.ts';
import type { AppliedModel, AppliedRule, RuleTarget } from './types.ts';

export type TargetClassOf = (rule: AppliedRule, t: RuleTarget) => TargetClass;

/** The rules whose every effect is logging, counting, a RETURN out of a passive chain, or a jump into one. */
export function passiveRules(model: AppliedModel, targetClass: TargetClassOf): Set<AppliedRule> {
  const key = (r: Pick<AppliedRule, 'family' | 'source' | 'nftFamily' | 'table'>, chain: string) => `${r.family} ${r.source} ${r.nftFamily ?? ''} ${r.table} ${chain}`;
  // Greatest fixed point: every user chain passive until one of its rules decides.
  const passive = new Set(model.chains.filter((c) => c.hook === null).map((c) => key(c, c.name)));
  const byChain = new Map<string, AppliedRule[]>();
  for (const rule of model.rules) byChain.set(key(rule, rule.chain), [...(byChain.get(key(rule, rule.chain)) ?? []), rule]);
  const quiet = (rule: AppliedRule) =>
    rule.targets.every((t) => {
      if (t.jump === 'jump' && t.chain !== undefined) return passive.has(key(rule, t.chain));
      if (t.jump) return false;
      if (t.name === 'RETURN' || t.name === 'return') return passive.has(key(rule, rule.chain));
      return ['passive', 'rate'].includes(targetClass(rule, t));
    });
  for (let changed = true; changed;) {
    changed = false;
    for (const chain of [...passive]) {
      if ((byChain.get(chain) ?? []).every(quiet)) continue;
      passive.delete(chain);
      changed = true;
    }
  }
  return new Set(model.rules.filter((r) => r.targets.length > 0 && quiet(r)));
}
