/**
 * The ruleset as the lab holds it: the text fwprobe applies, what the kernel has afterwards, and the
 * script lines allowed to fail. Shared by ruleset (which renders text), lab (which applies it) and report.
 */

/** Which iptables implementation the target uses. */
export type Backend = 'nft' | 'legacy';

/** A ruleset in restore format, with where it came from (for error messages). */
export interface RulesetText {
  /** The file (or generator) it came from, as the user should read it. */
  source: string;
  text: string;
}

/** The rulesets as the kernel had them after applying (`iptables-save` / `ip6tables-save`). */
export interface AppliedRuleset {
  v4: string;
  v6: string;
  /**
   * Every table the kernel holds, as `nft -s list ruleset` prints it (stateless: no counters): native nft
   * tables, and the ones iptables-nft manages (marked by nft's "managed by iptables-nft" warning).
   * Absent only where no nft listing was read.
   */
  nft?: string;
  /** The same listing as `nft -j -s list ruleset` prints it (JSON), read by ruleset/applied/. Absent where not read. */
  nftJson?: string;
}

/** Something allowed to fail (a tolerated script line): always shown, never silently dropped. */
export interface Tolerated {
  line: number;
  command: string;
  exitCode: number;
  why: string;
}

/** One rule that makes verdicts depend on rate or chance, with the family it is in. */
export interface RateDependentRule {
  family: 'ipv4' | 'ipv6';
  /** `limit`, `hashlimit`, `recent`, `connlimit`, `statistic`, `quota`, or an nft form such as `limit rate`. */
  match: string;
  rule: string;
}
