/**
 * Each rule of the model judged against the tables: whether it can decide a TCP/UDP port at all (its
 * protocol, its family, and a chain some hook reaches through rules that can match TCP/UDP), whether it
 * decides anything (a LOG or a counter does not), and which of its matches are varied, neutral, rate or
 * unvaried. Unknown modules, options, expressions and targets are unvaried: fail closed.
 */
import { worst, type MatchClass, type ModuleEntry, type Polarity } from './class.ts';
import { NFT_MATCHES } from './nft-table.ts';
import { NFT_STATEMENTS, XT_TARGETS, type TargetClass } from './targets.ts';
import type { AppliedModel, AppliedRule, RuleMatch, RuleTarget } from './types.ts';
import { XT_MATCHES } from './xt-table.ts';
import { passiveRules } from './passive-chains.ts';
import { flagTestsOf, jointlyVaried } from './tcp-flags.ts';

export interface JudgedMatch {
  /** The name a scenario acknowledges it by (`dscp`, `mac`, `ip6 hoplimit`, `nfqueue`). */
  name: string;
  class: MatchClass;
}

export interface JudgedRule {
  rule: AppliedRule;
  /** It can meet a TCP/UDP packet of its family on a path some hook reaches. */
  relevant: boolean;
  /** It decides a packet's fate (or where it goes), beyond logging or counting. */
  decides: boolean;
  /** Every match and non-passive statement, classified. */
  judged: JudgedMatch[];
}

const TCP_UDP = new Set(['tcp', 'udp', '6', '17', 'all', '0']);
const OTHER_L4 = new Set(['icmp', 'icmpv6', 'igmp', 'sctp', 'dccp', 'esp', 'ah', 'comp', 'ipcomp', 'arp', 'gre']);

export function judgeModel(model: AppliedModel): JudgedRule[] {
  const passive = passiveRules(model, targetClass);
  const base = model.rules.map((rule) => ({ rule, canMatch: canMatchTcpUdp(rule), decides: decides(rule) && !passive.has(rule) }));
  const reachable = reachableChains(model, base);
  const written = writtenSets(model);
  const judged = base.map(({ rule, canMatch, decides: d }) => ({
    rule,
    relevant: canMatch && reachable.has(chainKey(rule, rule.chain)),
    decides: d,
    judged: [...judgeRule(rule), ...historyOf(rule, written)],
  }));
  // Flag tests varied one by one may not be together (tcp-flags.ts jointlyVaried): then none of them is.
  for (const family of ['ipv4', 'ipv6'] as const) {
    const flagged = judged.filter((j) => j.relevant && j.decides && j.rule.family === family && (flagTestsOf(j.rule)?.length ?? 0) > 0);
    if (flagged.length > 1 && !jointlyVaried(flagged.flatMap((j) => flagTestsOf(j.rule) ?? []))) {
      for (const j of flagged) j.judged.push({ name: 'tcp flags', class: 'unvaried' });
    }
  }
  return judged;
}

/** The rules whose matches leave a TCP/UDP verdict resting on something unvaried (or on rate). */
export function classifiedRules(model: AppliedModel, wanted: MatchClass): { family: AppliedRule['family']; match: string; rule: string }[] {
  const out: { family: AppliedRule['family']; match: string; rule: string }[] = [];
  for (const j of judgeModel(model)) {
    if (!j.relevant || !j.decides) continue;
    const names = [...new Set(j.judged.filter((m) => m.class === wanted).map((m) => m.name))];
    for (const match of names) out.push({ family: j.rule.family, match, rule: j.rule.text });
  }
  return out;
}

function judgeRule(rule: AppliedRule): JudgedMatch[] {
  const polarity = polarityOf(rule.targets);
  const table = rule.source === 'iptables' ? XT_MATCHES : NFT_MATCHES;
  const out: JudgedMatch[] = rule.matches.map((m) => ({ name: matchName(m), class: matchClass(table[m.name], m, polarity) }));
  for (const t of rule.targets) {
    const c = targetClass(rule, t);
    if (c === 'unvaried') out.push({ name: t.name.toLowerCase(), class: 'unvaried' });
    if (c === 'rate') out.push({ name: t.name === 'limit' ? 'limit rate' : t.name, class: 'rate' });
  }
  return out;
}

/** nft sets a rule writes (`update @knock { ip saddr }`, `add @seen …`), by table. */
function writtenSets(model: AppliedModel): Set<string> {
  const out = new Set<string>();
  for (const rule of model.rules) {
    if (rule.source !== 'nft') continue;
    for (const t of rule.targets) {
      if (t.name !== 'set' && t.name !== 'map') continue;
      const m = /"(?:set|map)":\s*"@([^"]+)"/.exec(t.args[0] ?? '');
      if (m) out.add(`${rule.nftFamily ?? ''} ${rule.table} @${m[1]!}`);
    }
  }
  return out;
}

/**
 * A lookup in a set another rule writes is history, like iptables `recent`: a DROP keyed on it only drops
 * more (rate rounds confirm it); an ACCEPT or a jump keyed on it opens to a sender who first did something
 * else (port knocking: `update @knock { ip saddr }` on one port, `ip saddr @knock accept` on the service).
 */
function historyOf(rule: AppliedRule, written: ReadonlySet<string>): JudgedMatch[] {
  if (rule.source !== 'nft') return [];
  const reads = rule.matches.some((m) => (m.values ?? []).some((v) => written.has(`${rule.nftFamily ?? ''} ${rule.table} ${v}`)));
  if (!reads) return [];
  const negated = rule.matches.some((m) => m.options.some((o) => o.negated));
  return [{ name: 'dynamic set', class: polarityOf(rule.targets) === 'drop' && !negated ? 'rate' : 'unvaried' }];
}

function matchClass(entry: ModuleEntry | undefined, match: RuleMatch, polarity: Polarity): MatchClass {
  if (!entry) return 'unvaried';
  const siblings = match.options.map((o) => ({ name: o.name, args: o.args, negated: o.negated }));
  const bare = entry.bare;
  if (match.options.length === 0) return typeof bare === 'function' ? bare({ negated: false, args: [], polarity, siblings }) : bare;
  return worst(
    match.options.map((o) => {
      // A module with no option list (limit, dscp…) is its bare class whatever the option; one with a list
      // fails closed on an option it does not list (`-m hbh --hbh-opts`).
      const c = entry.options ? entry.options[o.name] : bare;
      if (c === undefined) return 'unvaried';
      return typeof c === 'function' ? c({ negated: o.negated, args: o.args, polarity, siblings }) : c;
    }),
  );
}

function matchName(m: RuleMatch): string {
  if (m.kind === 'xt') return m.name;
  const [type, what] = m.name.split(' ', 2);
  const field = m.options[0]?.name ?? '';
  const name = type === 'payload' ? (what === 'raw' ? 'raw payload' : `${what} ${field}`) : m.name;
  return name
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .trim();
}

export function targetClass(rule: AppliedRule, t: RuleTarget): TargetClass {
  if (t.jump) return 'verdict';
  if (rule.source === 'iptables') return XT_TARGETS[t.name] ?? 'unvaried';
  if (t.name === 'mangle') {
    // `meta mark set`, `ct mark set`: marks only; an address or port rewritten sends the packet elsewhere.
    return /"(meta|ct)":\{"key":"(mark|priority|nftrace|secmark|label)"/.test(t.args[0] ?? '') ? 'passive' : 'redirect';
  }
  return NFT_STATEMENTS[t.name] ?? 'unvaried';
}

function decides(rule: AppliedRule): boolean {
  return rule.targets.some((t) => !['passive', 'rate'].includes(targetClass(rule, t)));
}

function polarityOf(targets: readonly RuleTarget[]): Polarity {
  for (const t of targets) {
    if (t.jump) return 'other';
    const name = t.name.toUpperCase();
    if (name === 'ACCEPT') return 'accept';
    if (name === 'DROP' || name === 'REJECT') return 'drop';
    if (['RETURN', 'VMAP', 'DNAT', 'REDIRECT', 'NETMAP', 'TPROXY', 'NOTRACK', 'CT', 'MANGLE', 'QUEUE', 'NFQUEUE'].includes(name)) return 'other';
  }
  return 'other';
}

/** False when the rule pins a protocol other than TCP/UDP, or a header of the other IP family. */
function canMatchTcpUdp(rule: AppliedRule): boolean {
  for (const m of rule.matches) {
    if (m.kind === 'xt') {
      const p = m.options.find((o) => (o.name === '-p' || o.name === '--protocol') && !o.negated);
      if (m.name === 'ip' && p && !TCP_UDP.has((p.args[0] ?? '').toLowerCase())) return false;
      continue;
    }
    const [type, what] = m.name.split(' ', 2);
    const negated = m.options.some((o) => o.negated);
    if (type === 'payload' && what && OTHER_L4.has(what)) return false;
    if (type === 'payload' && what === 'ip' && rule.family === 'ipv6') return false;
    if (type === 'payload' && what === 'ip6' && rule.family === 'ipv4') return false;
    const protoField = (type === 'meta' && what === 'l4proto') || (m.name === 'payload ip' && m.options[0]?.name === 'protocol') || (m.name === 'payload ip6' && m.options[0]?.name === 'nexthdr');
    if (protoField && !negated && m.values && m.values.length > 0 && m.values.every((v) => OTHER_L4.has(v) || v === 'ipv6-icmp' || v === '58' || v === '1')) return false;
    if (type === 'meta' && what === 'nfproto' && !negated && m.values?.length === 1) {
      if ((m.values[0] === 'ipv4') !== (rule.family === 'ipv4')) return false;
    }
  }
  return true;
}

function chainKey(rule: Pick<AppliedRule, 'family' | 'source' | 'table' | 'nftFamily'>, chain: string): string {
  return `${rule.family} ${rule.source} ${rule.nftFamily ?? ''} ${rule.table} ${chain}`;
}

/** Chains a hook reaches, through jumps and gotos of rules that can match TCP/UDP. */
function reachableChains(model: AppliedModel, rules: { rule: AppliedRule; canMatch: boolean }[]): Set<string> {
  const reached = new Set(model.chains.filter((c) => c.hook !== null).map((c) => chainKey(c, c.name)));
  const jumps = new Map<string, string[]>();
  for (const { rule, canMatch } of rules) {
    if (!canMatch) continue;
    for (const t of rule.targets) {
      const to = t.jump ? t.chain : undefined;
      if (to) jumps.set(chainKey(rule, rule.chain), [...(jumps.get(chainKey(rule, rule.chain)) ?? []), chainKey(rule, to)]);
      // A verdict map may jump to any chain it names.
      if (t.name === 'vmap') {
        for (const m of (t.args[0] ?? '').matchAll(/"(?:jump|goto)":\{"target":"([^"]+)"\}/g)) {
          jumps.set(chainKey(rule, rule.chain), [...(jumps.get(chainKey(rule, rule.chain)) ?? []), chainKey(rule, m[1]!)]);
        }
      }
    }
  }
  const queue = [...reached];
  while (queue.length > 0) {
    for (const next of jumps.get(queue.pop()!) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  return reached;
}
