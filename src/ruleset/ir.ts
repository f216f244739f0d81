/**
 * The one intermediate representation both renderers read: per family, the filter table's chains with
 * their policies and the ordered rules. Rules are token lists, never strings, so that quoting is the
 * renderers' job alone.
 */
import { InternalError } from '../model/errors.ts';

/** The built-in chains of the filter table, in the book's order (the shell renders them this way). */
export const BUILTIN_CHAINS = ['INPUT', 'OUTPUT', 'FORWARD'] as const;
export type BuiltinChain = (typeof BUILTIN_CHAINS)[number];

export type ChainPolicy = 'ACCEPT' | 'DROP';

export interface ChainIR {
  name: string;
  /** `null` for a user-defined chain, which has no policy. */
  policy: ChainPolicy | null;
}

export interface RuleIR {
  chain: string;
  /** Match tokens, e.g. `['-p', 'tcp', '--dport', '22']`. */
  match: string[];
  /** Target tokens, starting with `-j`, e.g. `['-j', 'LOG', '--log-prefix', 'DROP ']`. */
  target: string[];
  /** Where the rule came from: a policy path (`inbound[0]`), a preset step, or `file:line`. */
  origin: string;
  /** Heading the shell renderer prints above the first rule of a run with this section. */
  section: string;
}

export interface TableIR {
  chains: ChainIR[];
  rules: RuleIR[];
}

/** One family's ruleset. Only the filter table is modelled. */
export interface FamilyRulesetIR {
  tables: { filter: TableIR };
}

export interface RulesetIR {
  /** What the ruleset was generated from, for headers (`policy web.yaml`, `preset book-2009 (…)`). */
  source: string;
  v4: FamilyRulesetIR;
  /** `null`: no IPv6 ruleset at all, ip6tables is left untouched. */
  v6: FamilyRulesetIR | null;
}

/** All rule tokens in order, match then target. */
export function ruleTokens(rule: RuleIR): string[] {
  return [...rule.match, ...rule.target];
}

/** A filter table with the three built-in chains. */
export function builtinTable(policies: Record<BuiltinChain, ChainPolicy>, rules: RuleIR[] = []): TableIR {
  return { chains: BUILTIN_CHAINS.map((name) => ({ name, policy: policies[name] })), rules };
}

export function policyOf(table: TableIR, chain: string): ChainPolicy | null | undefined {
  return table.chains.find((c) => c.name === chain)?.policy;
}

/**
 * Collects rules in order. `section()` sets the heading for the rules that follow; `add()` takes the full
 * token list and splits it at `-j`.
 */
export class RuleBuilder {
  readonly rules: RuleIR[] = [];
  private currentSection = '';

  section(title: string): this {
    this.currentSection = title;
    return this;
  }

  add(chain: string, origin: string, tokens: readonly string[]): this {
    const j = tokens.indexOf('-j');
    if (j < 0) throw new InternalError(`rule without -j from ${origin}: ${tokens.join(' ')}`);
    this.rules.push({
      chain,
      match: tokens.slice(0, j),
      target: tokens.slice(j),
      origin,
      section: this.currentSection,
    });
    return this;
  }
}
