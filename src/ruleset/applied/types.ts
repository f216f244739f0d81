/**
 * The applied ruleset as data: every rule of every table of both families, from `*-save` and from nft's
 * JSON listing, with its matches and its target or verdict. One model that every reader of the applied
 * rules asks, instead of each re-reading the text with a regex of its own.
 */

export type RuleFamily = 'ipv4' | 'ipv6';

/** One option of an iptables match (`--dport 22`), or one nft expression field. */
export interface MatchOption {
  /** `--dport`, `-s`…; for nft the field, e.g. `saddr`, `flags`, `state`. */
  name: string;
  args: string[];
  /** Written with `!` (iptables) or nft's `!=`. */
  negated: boolean;
}

/**
 * One match of a rule: an iptables module (`tcp`, `conntrack`; `ip` for the built-in `-s -d -i -o -p -f`)
 * with its options, or one nft match expression (`payload`, `meta`, `ct`…) with its field.
 */
export interface RuleMatch {
  kind: 'xt' | 'nft';
  /** The module, or for nft the expression type with its protocol or key (`payload tcp`, `meta iifname`). */
  name: string;
  options: MatchOption[];
  /** nft only: the right-hand side, as values (`"syn"`, `"10.0.0.0/8"`, `"@set"`). */
  values?: string[];
}

/** What a rule does when it matches: an iptables target with its options, or an nft statement. */
export interface RuleTarget {
  /** `ACCEPT`, `DROP`, `LOG`, a user chain…; nft: `accept`, `jump`, `redirect`, `log`, `counter`… */
  name: string;
  args: string[];
  /** The chain a jump or goto goes to. */
  chain?: string;
  /** Set for a user chain named by `-j`/`-g` or nft `jump`/`goto`. */
  jump?: 'jump' | 'goto';
}

export interface AppliedRule {
  family: RuleFamily;
  /** `iptables`: read from `*-save`; `nft`: a native nft table. */
  source: 'iptables' | 'nft';
  /** `filter`, `nat`, `mangle`, `raw`, `security`, or the nft table's name. */
  table: string;
  /** nft's table family (`ip`, `ip6`, `inet`…) for a native table. */
  nftFamily?: string;
  chain: string;
  /** 1-based, within the chain. */
  position: number;
  matches: RuleMatch[];
  /** Every target or statement, in order (iptables has one; nft may have several: `counter log accept`). */
  targets: RuleTarget[];
  /** The rule as the user reads it (`-A INPUT …`, or nft's own text). */
  text: string;
  /** Where the rule came from, when a reader knows (a file and line). */
  origin?: string;
}

export interface AppliedChain {
  family: RuleFamily;
  source: 'iptables' | 'nft';
  table: string;
  nftFamily?: string;
  name: string;
  /** The hook a built-in or base chain sits on (`input`, `prerouting`…); null for a user chain. */
  hook: string | null;
}

export interface AppliedModel {
  rules: AppliedRule[];
  chains: AppliedChain[];
}
