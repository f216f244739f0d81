/**
 * The ports NAT maps onto another (`--dport 13306 -j REDIRECT --to-ports 3306`, nft `dnat`, `redirect`):
 * a service reachable on a port the scenario never named. Each range is bounded so a rule over every
 * port cannot make a scan of 65535 ports on its own; a bounded range says so.
 */
import { classifiedRules, judgeModel, targetClass } from './classify.ts';
import { destinationPorts, protocolOf } from './readers.ts';
import type { AppliedModel, RuleFamily } from './types.ts';

export interface NatMappedPorts {
  family: RuleFamily;
  /** `tcp`, `udp`, or null when the rule pins neither. */
  protocol: string | null;
  from: number;
  to: number;
  /** The rule's range was longer than the bound and was cut to it. */
  bounded: boolean;
  rule: string;
  /** The NAT target with its options as written (iptables options, or nft's JSON statement). */
  target: string;
}

/** @default 64 ports per rule */
export const NAT_RANGE_BOUND = 64;

export function natMappedPorts(model: AppliedModel, bound = NAT_RANGE_BOUND): NatMappedPorts[] {
  const out: NatMappedPorts[] = [];
  for (const j of judgeModel(model)) {
    if (!j.relevant || !j.rule.targets.some((t) => targetClass(j.rule, t) === 'redirect' && ['DNAT', 'REDIRECT', 'NETMAP', 'dnat', 'redirect'].includes(t.name))) continue;
    const nat = j.rule.targets.find((t) => ['DNAT', 'REDIRECT', 'NETMAP', 'dnat', 'redirect'].includes(t.name))!;
    const target = [nat.name, ...nat.args].join(' ');
    const ranges = destinationPorts(j.rule) ?? [{ from: 1, to: 65535 }];
    for (const r of ranges) {
      const to = Math.min(r.to, r.from + bound - 1);
      out.push({ family: j.rule.family, protocol: protocolOf(j.rule), from: r.from, to, bounded: to < r.to, rule: j.rule.text, target });
    }
  }
  return out;
}

/** Rules that redirect, queue or rewrite where a packet goes, per family, with the target that does it. */
export function redirectingIn(model: AppliedModel): { family: RuleFamily; match: string; rule: string }[] {
  const out: { family: RuleFamily; match: string; rule: string }[] = [];
  for (const rule of model.rules) {
    for (const t of rule.targets) {
      const c = targetClass(rule, t);
      if (c === 'redirect' || ['QUEUE', 'NFQUEUE', 'queue'].includes(t.name)) out.push({ family: rule.family, match: t.name === 'mangle' ? mangled(t.args[0]) : t.name, rule: rule.text });
    }
  }
  return out;
}

/** `tcp dport set`, `ip daddr set`, `@th,16,16 set`: what a mangle statement rewrites. */
function mangled(json: string | undefined): string {
  const key = (JSON.parse(json ?? '{}') as { key?: { payload?: { protocol?: string; field?: string; base?: string; offset?: number; len?: number } } }).key?.payload;
  if (!key) return 'mangle';
  return key.protocol ? `${key.protocol} ${key.field} set` : `@${key.base},${key.offset},${key.len} set`;
}

export { classifiedRules };
