/**
 * Rules whose verdict depends on rate, history or chance (`limit`, `hashlimit`, `recent`, `connlimit`,
 * `statistic`, and their nftables forms). Under such a rule a fast scan can read "filtered" where a real
 * client, arriving alone, gets in: verdicts then need slow, separate confirmation, and the results say so.
 */

import type { RateDependentRule } from '../model/ruleset.ts';
import { familyTexts } from './nft-listing.ts';

export type { RateDependentRule };

const IPTABLES_MATCHES = /(?:^|\s)-m\s+(limit|hashlimit|recent|connlimit|statistic|quota)\b/;
const NFT_FORMS = /\b(limit rate|meter|ct count|numgen|quota)\b/;

/** Finds such rules in `iptables-save`-style text (and nft listings, when a ruleset has them). */
export function rateDependentRules(saved: { v4: string; v6: string; nft?: string }): RateDependentRule[] {
  return rulesMatching(saved, (rule) => IPTABLES_MATCHES.exec(rule)?.[1] ?? NFT_FORMS.exec(rule)?.[1]);
}

/** Every rule line, per family (native nft tables included, see `familyTexts`), for which `matchOf` names a match. */
export function rulesMatching(
  saved: { v4: string; v6: string; nft?: string },
  matchOf: (rule: string) => string | undefined,
): { family: 'ipv4' | 'ipv6'; match: string; rule: string }[] {
  const out: { family: 'ipv4' | 'ipv6'; match: string; rule: string }[] = [];
  const texts = familyTexts(saved);
  for (const [family, text] of [['ipv4', texts.v4], ['ipv6', texts.v6]] as const) {
    for (const line of text.split('\n')) {
      const rule = line.trim();
      if (rule === '' || rule.startsWith('#')) continue;
      const match = matchOf(rule);
      if (match) out.push({ family, match, rule });
    }
  }
  return out;
}
