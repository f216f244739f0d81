/**
 * Static parity lint: what the IPv4 ruleset restricts that the IPv6 ruleset leaves open. It reasons about
 * new connections from anywhere (not loopback) and leaves out rules it cannot read (user chains, unknown
 * matches). It is the static half of the gap check; the scans are the proof.
 */
import { BUILTIN_CHAINS, policyOf, ruleTokens, type FamilyRulesetIR, type RuleIR, type TableIR } from './ir.ts';
import { viewRule, type RuleView } from './rule-view.ts';

export type ParityWhat =
  /** No IPv6 ruleset at all while IPv4 filters. */
  | 'v6-absent'
  /** The chain's default (policy or catch-all rule) drops on IPv4 and accepts on IPv6. */
  | 'default-open'
  /** IPv4 accepts a port only from some sources/interfaces; IPv6 accepts it from anywhere. */
  | 'service-unrestricted'
  /** IPv4 drops a port explicitly; IPv6 accepts it. */
  | 'drop-not-mirrored'
  /** Rules the lint cannot reason about (user chains, unknown matches): named, never silently skipped. */
  | 'not-analysed';

export interface ParityFinding {
  chain: string;
  what: ParityWhat;
  /** The IPv4 side: a rule, or `policy DROP`. */
  v4: string;
  /** The IPv6 side: a rule, `policy ACCEPT`, or `absent`. */
  v6: string;
  message: string;
  protocol?: string;
  port?: number;
}

interface Decision {
  verdict: 'accept' | 'drop';
  /** The rule that decided, or null for the chain policy. */
  rule: RuleIR | null;
}

export function lintParity(v4: FamilyRulesetIR, v6: FamilyRulesetIR | null): ParityFinding[] {
  const t4 = v4.tables.filter;
  if (v6 === null) return filters(t4) ? [v6Absent(t4)] : [];
  const t6 = v6.tables.filter;
  const findings: ParityFinding[] = [];
  for (const chain of BUILTIN_CHAINS) {
    const d4 = decide(t4, chain, null, null);
    const d6 = decide(t6, chain, null, null);
    if (d4.verdict === 'drop' && d6.verdict === 'accept') findings.push(defaultOpen(chain, d4, d6));
    findings.push(...portFindings(t4, t6, chain));
  }
  for (const [family, table] of [
    ['IPv4', t4],
    ['IPv6', t6],
  ] as const) {
    const note = notAnalysed(family, table);
    if (note) findings.push(note);
  }
  return findings;
}

const KNOWN_TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'LOG']);

/** Rules in user chains, jumps into them, and accepting or dropping rules with matches it cannot read. */
function notAnalysed(family: 'IPv4' | 'IPv6', table: TableIR): ParityFinding | null {
  const skipped = table.rules.filter((rule) => {
    const target = rule.target[1] ?? '';
    const builtin = (BUILTIN_CHAINS as readonly string[]).includes(rule.chain);
    return !builtin || !KNOWN_TARGETS.has(target) || (viewRule(rule).opaque && target !== 'LOG');
  });
  const first = skipped[0];
  if (!first) return null;
  const example = `-A ${first.chain} ${ruleTokens(first).join(' ')}`;
  return {
    chain: first.chain,
    what: 'not-analysed',
    v4: family === 'IPv4' ? example : '',
    v6: family === 'IPv6' ? example : '',
    message: `${family}: ${skipped.length} rule(s) not analysed (user chains, jumps or matches the lint cannot read), ` + `e.g. "${example}"; the scans still judge what they do.`,
  };
}

function filters(table: TableIR): boolean {
  return table.chains.some((c) => c.policy === 'DROP') || table.rules.some((r) => viewRule(r).verdict === 'DROP');
}

function v6Absent(t4: TableIR): ParityFinding {
  const drops = t4.chains.filter((c) => c.policy === 'DROP').map((c) => c.name);
  return {
    chain: '*',
    what: 'v6-absent',
    v4: drops.length ? `policy DROP on ${drops.join(', ')}` : 'DROP rules',
    v6: 'absent',
    message: 'IPv4 is filtered but there is no IPv6 ruleset: everything IPv4 drops is open over IPv6 (ACCEPT policies).',
  };
}

function defaultOpen(chain: string, d4: Decision, d6: Decision): ParityFinding {
  return {
    chain,
    what: 'default-open',
    v4: describe(d4, 'DROP'),
    v6: describe(d6, 'ACCEPT'),
    message: `${chain}: IPv4 drops by default (${describe(d4, 'DROP')}), IPv6 accepts by default (${describe(d6, 'ACCEPT')}).`,
  };
}

/** Every port a v4 rule of the chain names, checked from anywhere on both sides. */
function portFindings(t4: TableIR, t6: TableIR, chain: string): ParityFinding[] {
  const findings: ParityFinding[] = [];
  const seen = new Set<string>();
  const boundaries = rangeBoundaries([...t4.rules, ...t6.rules].filter((r) => r.chain === chain));
  for (const rule of t4.rules.filter((r) => r.chain === chain)) {
    const view = viewRule(rule);
    if (view.opaque || view.loopbackOnly || view.notNew || !view.dports) continue;
    for (const protocol of view.protocol ? [view.protocol] : ['tcp', 'udp']) {
      for (const port of candidatePorts(view.dports, boundaries)) {
        const key = `${protocol}/${port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const finding = portFinding(t4, t6, chain, protocol, port);
        if (finding) findings.push(finding);
      }
    }
  }
  return findings;
}

/**
 * Where any rule's port range starts or ends, decisions may change: a v4 range is checked at its start and
 * at every such boundary inside it (v4 accepts 8000-8010 from one net, v6 accepts 8005 from anywhere).
 */
function rangeBoundaries(rules: readonly RuleIR[]): number[] {
  const points = new Set<number>();
  for (const rule of rules) {
    for (const range of viewRule(rule).dports ?? []) {
      points.add(range.from);
      points.add(range.to + 1);
    }
  }
  return [...points].sort((a, b) => a - b);
}

function candidatePorts(ranges: readonly { from: number; to: number }[], boundaries: readonly number[]): number[] {
  return ranges.flatMap((range) => [range.from, ...boundaries.filter((b) => b > range.from && b <= range.to)]);
}

// A port that v4 drops only by default is left to the chain's default-open finding.
function portFinding(t4: TableIR, t6: TableIR, chain: string, protocol: string, port: number): ParityFinding | null {
  const d4 = decide(t4, chain, protocol, port);
  const d6 = decide(t6, chain, protocol, port);
  if (d4.verdict !== 'drop' || d6.verdict !== 'accept') return null;
  const base = { chain, protocol, port, v6: describe(d6, 'ACCEPT') };
  const restricted = restrictedAccept(t4, chain, protocol, port);
  if (restricted) {
    const only = viewRule(restricted).restricted.join(' ');
    return {
      ...base,
      what: 'service-unrestricted',
      v4: ruleText(restricted),
      message: `${chain} ${protocol}/${port}: IPv4 accepts it only with ${only}; IPv6 accepts it from anywhere (${describe(d6, 'ACCEPT')}).`,
    };
  }
  if (d4.rule === null || viewRule(d4.rule).dports === null) return null;
  return {
    ...base,
    what: 'drop-not-mirrored',
    v4: ruleText(d4.rule),
    message: `${chain} ${protocol}/${port}: IPv4 drops it (${ruleText(d4.rule)}); IPv6 accepts it (${describe(d6, 'ACCEPT')}).`,
  };
}

/**
 * First-match evaluation for a new connection from anywhere to `protocol`/`port` (both null: a packet no
 * port-specific rule matches). Restricted, loopback-only, not-NEW and opaque rules are skipped.
 */
function decide(table: TableIR, chain: string, protocol: string | null, port: number | null): Decision {
  for (const rule of table.rules) {
    if (rule.chain !== chain) continue;
    const view = viewRule(rule);
    if (view.verdict === 'other' || view.opaque || view.loopbackOnly || view.notNew || view.restricted.length) continue;
    if (!matchesPort(view, protocol, port)) continue;
    return { verdict: view.verdict === 'ACCEPT' ? 'accept' : 'drop', rule };
  }
  return { verdict: policyOf(table, chain) === 'DROP' ? 'drop' : 'accept', rule: null };
}

function matchesPort(view: RuleView, protocol: string | null, port: number | null): boolean {
  if (view.protocol !== null && view.protocol !== protocol) return false;
  if (view.dports === null) return true;
  return port !== null && view.dports.some((r) => r.from <= port && port <= r.to);
}

function restrictedAccept(table: TableIR, chain: string, protocol: string, port: number): RuleIR | undefined {
  return table.rules.find((rule) => {
    if (rule.chain !== chain) return false;
    const view = viewRule(rule);
    return view.verdict === 'ACCEPT' && !view.opaque && !view.notNew && !view.loopbackOnly && view.restricted.length > 0 && view.dports !== null && matchesPort(view, protocol, port);
  });
}

function describe(decision: Decision, policyVerdict: string): string {
  return decision.rule ? ruleText(decision.rule) : `policy ${policyVerdict}`;
}

function ruleText(rule: RuleIR): string {
  return ['-A', rule.chain, ...ruleTokens(rule)].join(' ');
}
