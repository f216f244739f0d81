/**
 * From a trace decision to what the user reads: the deciding rule as iptables-save prints it, the chain
 * policy, the user's file and line, and the check that the traced client's fate agrees with the observed
 * state (a traced client that disagrees proves nothing about the scan, so the port is left undecided).
 */
import { relative } from 'node:path';
import type { Attribution, AttributionSource } from '../model/attribution.ts';
import type { Family, PortState } from '../model/observation.ts';
import type { RulesetText } from '../model/ruleset.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Decision } from '../lab/trace/decide.ts';
import { handleKey, type RulePlace } from '../lab/trace/parse.ts';
import type { ProbeOutcome } from '../scan/probe/outcome.ts';
import { generateRuleset } from '../ruleset/generate-entry.ts';
import { policyLine, ruleLine, savedPolicy, savedRules, type RuleOrigin } from '../ruleset/rule-origin.ts';

export interface RuleContext {
  scenario: Scenario;
  /** Both families' save output, read while the trace rules were in. */
  saved: Record<Family, string>;
  rules: Map<string, RulePlace>;
  /** The comment on fwprobe's own trace rules. */
  tag: string;
}

const TOOL: Record<number, string> = { 2: 'iptables', 10: 'ip6tables' };

export function describeDecision(decision: Decision, family: Family, ctx: RuleContext, probe: string, outcome: ProbeOutcome | undefined): Attribution {
  const tool = family === 'ipv4' ? 'iptables' : 'ip6tables';
  if ('undecided' in decision) return { path: [], probe, undecided: decision.undecided };
  if ('noChain' in decision) {
    const { hook } = decision.noChain;
    const delivered = outcome && (outcome.result === 'connected' || outcome.result === 'answered' || (outcome.result === 'refused' && outcome.stage !== 'send'));
    if (savedPolicy(ctx.saved[family], 'filter', hook) !== null || !delivered) {
      return { path: [], probe, undecided: `the traced client was accepted everywhere it was traced, but its packet never showed in ${tool} filter ${hook}` };
    }
    return { tool, table: 'filter', chain: hook, verdict: 'ACCEPT', policy: 'ACCEPT', path: [hook], packet: 'first', probe, note: `${tool} ${hook} has no rules (no ${tool} filter table: the kernel's default)` };
  }
  const d = decision.decided;
  const known = TOOL[d.family];
  const base: Attribution = { tool: known ?? 'nft', table: d.table, chain: d.chain, verdict: d.verdict, path: d.path, packet: d.packet, probe };
  if (d.kind === 'policy') {
    const rules = savedRules(ctx.saved[family], d.table, d.chain).filter((r) => !r.includes(ctx.tag));
    const origin = known ? policyLine(textOf(ctx.scenario, family)?.text ?? '', d.table, d.chain) : null;
    return { ...base, policy: d.verdict, ...(rules.length === 0 ? { note: `${known} ${d.chain} has no rules` } : {}), ...sourceOf(ctx, family, origin, 'policy') };
  }
  const place = d.handle === null ? undefined : ctx.rules.get(handleKey(d.family, d.table, d.handle));
  const all = place && known ? savedRules(ctx.saved[family], d.table, place.chain) : [];
  const text = place ? all[place.position] : undefined;
  if (!place || text === undefined || place.chain !== d.chain) {
    return { ...base, note: `rule handle ${d.handle ?? '?'} in ${d.table} ${d.chain}: its text could not be read back` };
  }
  const ours = all.slice(0, place.position).filter((r) => r.includes(ctx.tag)).length;
  const users = all.filter((r) => !r.includes(ctx.tag)).length;
  const origin = ruleLine(textOf(ctx.scenario, family)?.text ?? '', d.table, d.chain, place.position - ours, users);
  const target = /\s-[jg]\s+(\S+)/.exec(text)?.[1];
  return { ...base, verdict: target && !['RETURN'].includes(target) && d.verdict === 'DROP' ? target : d.verdict, rule: text, ...sourceOf(ctx, family, origin) };
}

/** The restore text applied for a family, with the name the user knows it by; null if none was. */
function textOf(scenario: Scenario, family: Family): RulesetText | null {
  const spec = scenario.ruleset;
  if (spec.kind === 'restore') {
    const file = family === 'ipv4' ? spec.v4 : spec.v6;
    return file ? { source: relative(process.cwd(), file.path), text: file.text } : null;
  }
  if (spec.kind === 'generate') {
    const generated = spec.generated ?? generateRuleset(spec);
    return family === 'ipv4' ? generated.v4 : generated.v6;
  }
  return null;
}

function sourceOf(ctx: RuleContext, family: Family, origin: RuleOrigin | null, what: 'rule' | 'policy' = 'rule'): { source?: AttributionSource; note?: string } {
  const spec = ctx.scenario.ruleset;
  if (spec.kind === 'script') {
    return { source: { file: relative(process.cwd(), spec.script.path), origin: `${what === 'rule' ? 'added' : 'set'} by this script (which line is not recorded)` } };
  }
  const text = textOf(ctx.scenario, family);
  if (!text) return {};
  if (!origin) return {};
  return { source: { file: text.source, line: origin.line, ...(spec.kind === 'generate' && origin.comment ? { origin: origin.comment } : {}) } };
}

/**
 * Why the traced client's fate does not explain the observed state, or null when it does. A traced
 * client is one source port at one moment: a rate rule or a source-port rule can treat the scan otherwise.
 */
export function inconsistency(state: PortState, a: Attribution, incomplete: string | null): string | null {
  if (incomplete) return `the trace is incomplete: ${incomplete}`;
  const accepted = a.verdict === 'ACCEPT' && a.packet === 'first';
  const ok: Record<PortState, boolean> = {
    open: accepted,
    delivered: accepted,
    closed: accepted || a.verdict === 'REJECT',
    filtered: !accepted || a.packet === 'reply',
    unreachable: true,
    unfiltered: true,
    'open|filtered': true,
    'closed|filtered': true,
  };
  if (ok[state]) return null;
  const what = a.rule ?? `policy ${a.policy ?? a.verdict}`;
  return `the traced client ${a.probe ?? ''} got ${a.verdict} (${a.tool} ${a.chain}: ${what}), yet the port reads ${state}: ` +
    'the scan met another source, source port or moment (a rate or chance rule?), so this trace does not explain it';
}
