/**
 * The static half of the IPv6-gap check, read from the applied rulesets.
 */
import type { AppliedRuleset } from '../model/ruleset.ts';
import { lintParity } from './parity.ts';
import { parseSave } from './parse-save.ts';

/**
 * The static half of the IPv6-gap check, on the rulesets as the kernel holds them after applying: what the
 * v4 side restricts that the v6 side leaves open. The scans are the proof; this says which rule to look at.
 * A ruleset the lint cannot read yields one line saying so, never silence.
 */
export function staticParityFindings(applied: AppliedRuleset): string[] {
  try {
    const v4 = parseSave(applied.v4, 'iptables-save');
    const v6 = parseSave(applied.v6, 'ip6tables-save');
    return lintParity(v4, v6).map((finding) => finding.message);
  } catch (error) {
    return [`static parity lint could not read the applied ruleset: ${error instanceof Error ? error.message : String(error)}`];
  }
}
