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
import type { Decided, Decision } from '../lab/trace/decide.ts';
import { NFT_FAMILY, nativeTables, ruleByHandle, type NftTable } from '../ruleset/nft-listing.ts';
import { handleKey, type RulePlace } from '../lab/trace/parse.ts';
import type { ProbeOutcome } from '../scan/probe/outcome.ts';
import { generateScenarioRules } from '../ruleset/generate-entry.ts';
import { nftRuleLine, policyLine, ruleLine, savedPolicy, savedRules, type RuleOrigin } from '../ruleset/rule-origin.ts';

export interface RuleContext {
  scenario: Scenario;
  /** Both families' save output, read while the trace rules were in. */
  saved: Record<Family, string>;
  rules: Map<string, RulePlace>;
  /** The comment on fwprobe's own trace rules. */
  tag: string;
  /** `nft -a -s list ruleset`, read with the rule dump: native tables' rules by handle. */
  nft?: string;
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
  const native = nativeTable(ctx, d.family, d.table);
  if (native) return describeNative(d, native, ctx, probe);
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

/**
 * A table written for nft (not iptables-nft's, whatever its family and name: a native `table ip filter` is
 * not iptables' filter table), as listed with handles; null for iptables' own tables.
 */
function nativeTable(ctx: RuleContext, family: number, table: string): NftTable | null {
  if (!ctx.nft) return null;
  return nativeTables({ v4: ctx.saved.ipv4, v6: ctx.saved.ipv6, nft: ctx.nft }).find((t) => NFT_FAMILY[t.family] === family && t.name === table) ?? null;
}

/** A native table's rule, read back from the listing by its handle, at the line of the nft file that wrote it. */
function describeNative(d: Decided, table: NftTable, ctx: RuleContext, probe: string): Attribution {
  const base: Attribution = { tool: 'nft', family: table.family, table: table.name, chain: d.chain, verdict: d.verdict, path: d.path, packet: d.packet, probe };
  const file = nftFileOf(ctx.scenario);
  if (d.kind === 'policy') {
    const chain = table.chains.find((c) => c.name === d.chain);
    return { ...base, policy: d.verdict, ...(chain && chain.rules.length === 0 ? { note: `nft ${table.family} ${table.name} ${d.chain} has no rules` } : {}), ...(file ? { source: { file: file.source } } : {}) };
  }
  const found = d.handle === null ? null : ruleByHandle([table], d.family, table.name, d.handle);
  if (!found || found.chain.name !== d.chain) {
    return { ...base, note: `rule handle ${d.handle ?? '?'} in ${table.family} ${table.name} ${d.chain}: its text could not be read back` };
  }
  // nf_tables reports a reject as the drop it ends in.
  const verdict = d.verdict === 'DROP' && /\breject\b/.test(found.rule) ? 'REJECT' : d.verdict;
  const origin = file ? nftRuleLine(file.text, table.family, table.name, d.chain, found.rule) : null;
  return { ...base, verdict, rule: found.rule, ...(file ? { source: { file: file.source, ...(origin ? { line: origin.line } : {}) } } : {}) };
}

/**
 * The nftables file a native rule came from: the scenario's one nft file, or its one nft layer when no
 * script layer could have run nft too; null otherwise.
 */
function nftFileOf(scenario: Scenario): RulesetText | null {
  const spec = scenario.ruleset;
  const layers = spec.kind === 'layers' ? spec.layers : spec.kind === 'none' ? [] : [spec];
  const nft = layers.filter((l) => l.kind === 'nft');
  if (nft.length !== 1 || layers.some((l) => l.kind === 'script')) return null;
  const file = nft[0]!.nft;
  return { source: relative(process.cwd(), file.path), text: file.text };
}

/** The restore text applied for a family, with the name the user knows it by; null if none was. */
function textOf(scenario: Scenario, family: Family): RulesetText | null {
  const spec = scenario.ruleset;
  if (spec.kind === 'restore') {
    const file = family === 'ipv4' ? spec.v4 : spec.v6;
    return file ? { source: relative(process.cwd(), file.path), text: file.text } : null;
  }
  if (spec.kind === 'generate') {
    const generated = spec.generated ?? generateScenarioRules(spec);
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
