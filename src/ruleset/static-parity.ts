/**
 * The static half of the IPv6-gap check, read from the applied rulesets.
 */
import type { AppliedRuleset } from '../model/ruleset.ts';
import { nativeTables, parseNftListing } from './nft-listing.ts';
import { lintNftParity } from './nft-parity.ts';
import { lintParity } from './parity.ts';
import { parseSave } from './parse-save.ts';

/**
 * The static half of the IPv6-gap check, on the rulesets as the kernel holds them after applying: what the
 * v4 side restricts that the v6 side leaves open. The scans are the proof; this says which rule to look at.
 * A ruleset the lint cannot read yields one line saying so, never silence. Where native nft tables are
 * loaded, the nft lint reads every table together (as the kernel applies them), and the iptables lint's
 * chain-default findings, which see only iptables' own tables, are left to it.
 */
export function staticParityFindings(applied: AppliedRuleset): string[] {
  const nativeNames = new Set(nativeTables(applied).map((t) => `${t.family} ${t.name}`));
  const native = nativeNames.size > 0;
  const findings: string[] = [];
  try {
    const v4 = parseSave(applied.v4, 'iptables-save');
    const v6 = parseSave(applied.v6, 'ip6tables-save');
    findings.push(
      ...lintParity(v4, v6)
        .filter((f) => !native || (f.what !== 'v6-absent' && f.what !== 'default-open'))
        .map((finding) => finding.message),
    );
  } catch (error) {
    findings.push(`static parity lint could not read the applied ruleset: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (native) {
    // Every table is read (a packet passes only if no table drops it), but only native ones are lint-worthy
    // rule by rule: iptables' own tables were linted above.
    const tables = parseNftListing(applied.nft ?? '').map((t) => ({ ...t, managed: !nativeNames.has(`${t.family} ${t.name}`) }));
    findings.push(...lintNftParity(tables).map((f) => f.message));
  }
  return findings;
}
