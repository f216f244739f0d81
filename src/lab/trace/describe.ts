/**
 * From a trace decision to what the user reads: the deciding rule as iptables-save (or nft) prints it, the
 * chain policy, the user's file and line (asked of the form that wrote the rule, lab/forms/), and the check
 * that the traced client's fate agrees with the observed state (a traced client that disagrees proves
 * nothing about the scan, so the port is left undecided).
 */
import type { Attribution } from '../../model/attribution.ts';
import type { Family, PortState } from '../../model/observation.ts';
import type { RulesetSpec } from '../../model/scenario.ts';
import { NFT_FAMILY, nativeTables, ruleByHandle, type NftTable } from '../../ruleset/nft-listing.ts';
import { savedPolicy, savedRules } from '../../ruleset/rule-origin.ts';
import { ruleOrigin } from '../forms/index.ts';
import type { Decided, Decision } from './decide.ts';
import { handleKey, type RulePlace } from './parse.ts';
import { noChainWords, ufwPolicyWords } from './language.ts';

export interface RuleContext {
  /** The scenario's ruleset: its forms say where a rule came from. */
  ruleset: RulesetSpec;
  /** Both families' save output, read while the trace rules were in. */
  saved: Record<Family, string>;
  rules: Map<string, RulePlace>;
  /** The comment on fwprobe's own trace rules. */
  tag: string;
  /** `nft -a -s list ruleset`, read with the rule dump: native tables' rules by handle. */
  nft?: string;
}

/** The traced client, and whether its packet reached the target (it connected, was answered, or refused after sending). */
export interface TracedClient {
  label: string;
  delivered: boolean;
}

const TOOL: Record<number, string> = { 2: 'iptables', 10: 'ip6tables' };

export function describeDecision(decision: Decision, family: Family, ctx: RuleContext, client: TracedClient): Attribution {
  const described = describeOne(decision, family, ctx, client);
  if (!('decided' in decision) || decision.admitted === undefined || described.undecided !== undefined) return described;
  // A reply means the first packet reached the target's stack, whatever the client heard back.
  const { probe: _probe, ...admittedBy } = describeOne(decision.admitted, family, ctx, { ...client, delivered: true });
  return { ...described, admittedBy };
}

function describeOne(decision: Decision, family: Family, ctx: RuleContext, client: TracedClient): Attribution {
  const tool = family === 'ipv4' ? 'iptables' : 'ip6tables';
  const probe = client.label;
  if ('undecided' in decision) return { path: [], probe, undecided: decision.undecided };
  if ('noChain' in decision) {
    const { hook } = decision.noChain;
    if (savedPolicy(ctx.saved[family], 'filter', hook) !== null || !client.delivered) {
      return { path: [], probe, undecided: `the traced client was accepted everywhere it was traced, but its packet never showed in ${tool} filter ${hook}` };
    }
    const words = noChainWords(ctx.ruleset, family, hook);
    return {
      tool: words.tool,
      ...(words.table ? { table: words.table } : {}),
      chain: words.chain,
      verdict: 'ACCEPT',
      policy: words.policy,
      path: [words.chain],
      packet: 'first',
      probe,
      note: words.note,
    };
  }
  const d = decision.decided;
  const native = nativeTable(ctx, d.family, d.table);
  if (native) return describeNative(d, native, ctx, probe);
  const known = TOOL[d.family];
  const base: Attribution = { tool: known ?? 'nft', table: d.table, chain: d.chain, verdict: d.verdict, path: d.path, packet: d.packet, probe };
  const at = { engine: 'iptables', family, table: d.table, chain: d.chain } as const;
  if (d.kind === 'policy') {
    const rules = savedRules(ctx.saved[family], d.table, d.chain).filter((r) => !r.includes(ctx.tag));
    const source = known ? ruleOrigin(ctx.ruleset, { ...at, rule: null }) : null;
    const ufw = ufwPolicyWords(ctx.ruleset, d.table, d.chain, d.verdict);
    const note = ufw ?? (rules.length === 0 ? `${known} ${d.chain} has no rules` : null);
    return { ...base, policy: d.verdict, ...(note ? { note } : {}), ...(source ? { source } : {}) };
  }
  const place = d.handle === null ? undefined : ctx.rules.get(handleKey(d.family, d.table, d.handle));
  const all = place && known ? savedRules(ctx.saved[family], d.table, place.chain) : [];
  const text = place ? all[place.position] : undefined;
  if (!place || text === undefined || place.chain !== d.chain) {
    return { ...base, note: `rule handle ${d.handle ?? '?'} in ${d.table} ${d.chain}: its text could not be read back` };
  }
  // fwprobe's own trace rules sit among the user's: positions count the user's rules only.
  const ours = all.slice(0, place.position).filter((r) => r.includes(ctx.tag)).length;
  const users = all.filter((r) => !r.includes(ctx.tag)).length;
  const source = ruleOrigin(ctx.ruleset, { ...at, rule: { position: place.position - ours, rules: users, text } });
  const target = /\s-[jg]\s+(\S+)/.exec(text)?.[1];
  return { ...base, verdict: target && !['RETURN'].includes(target) && d.verdict === 'DROP' ? target : d.verdict, rule: text, ...(source ? { source } : {}) };
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
  const at = { engine: 'nft', nftFamily: table.family, table: table.name, chain: d.chain } as const;
  if (d.kind === 'policy') {
    const chain = table.chains.find((c) => c.name === d.chain);
    const source = ruleOrigin(ctx.ruleset, { ...at, rule: null });
    return { ...base, policy: d.verdict, ...(chain && chain.rules.length === 0 ? { note: `nft ${table.family} ${table.name} ${d.chain} has no rules` } : {}), ...(source ? { source } : {}) };
  }
  const found = d.handle === null ? null : ruleByHandle([table], d.family, table.name, d.handle);
  if (!found || found.chain.name !== d.chain) {
    return { ...base, note: `rule handle ${d.handle ?? '?'} in ${table.family} ${table.name} ${d.chain}: its text could not be read back` };
  }
  // nf_tables reports a reject as the drop it ends in.
  const verdict = d.verdict === 'DROP' && /\breject\b/.test(found.rule) ? 'REJECT' : d.verdict;
  // The file's line is found by the rule's text: where the chain holds that text twice (`tcp dport $grafana
  // accept` and a later `tcp dport 3000 accept`), the one line that reads so may be the rule that never decided.
  const twins = found.chain.rules.filter((r) => r === found.rule).length;
  const source = ruleOrigin(ctx.ruleset, { ...at, rule: twins > 1 ? null : { text: found.rule } });
  return {
    ...base,
    verdict,
    rule: found.rule,
    ...(d.handle === null ? {} : { handle: d.handle }),
    ...(source ? { source } : {}),
    ...(twins > 1 ? { note: `${table.family} ${table.name} ${d.chain} holds this rule ${twins} times: which line of the file wrote it is not known` } : {}),
  };
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
    // The listener logged the datagram: let in, and either never answered or its answer was dropped going out.
    delivered: accepted || a.packet === 'reply',
    closed: accepted || a.verdict === 'REJECT',
    filtered: !accepted || a.packet === 'reply',
    unreachable: true,
    unfiltered: true,
    'open|filtered': true,
    'closed|filtered': true,
  };
  if (ok[state]) return null;
  const what = a.rule ?? `policy ${a.policy ?? a.verdict}`;
  return (
    `the traced client ${a.probe ?? ''} got ${a.verdict} (${a.tool} ${a.chain}: ${what}), yet the port reads ${state}: ` +
    'the scan met another source, source port or moment (a rate or chance rule?), so this trace does not explain it'
  );
}
