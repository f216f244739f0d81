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

/** A rule that only logs never decides a packet's fate: a rate limit on it cannot change a verdict. */
const ONLY_LOGS = /(?:^|\s)-j\s+(LOG|NFLOG|ULOG)\b/;
const NFT_DECIDES = /\b(accept|drop|reject|jump|goto|queue|return|dnat|snat|masquerade|redirect|notrack|meta mark set|ct mark set)\b/;

/** Finds such rules in `iptables-save`-style text (and nft listings, when a ruleset has them). */
export function rateDependentRules(saved: { v4: string; v6: string; nft?: string }): RateDependentRule[] {
  return rulesMatching(saved, (rule) => {
    // Quoted text (a log prefix, a comment) is no statement.
    const bare = rule.replace(/"[^"]*"/g, '""');
    if (ONLY_LOGS.test(bare)) return undefined;
    const iptables = IPTABLES_MATCHES.exec(bare)?.[1];
    if (iptables) return iptables;
    const nft = NFT_FORMS.exec(bare)?.[1];
    // A `limit rate … log` with no verdict only thins the log.
    return nft && (nft !== 'limit rate' || NFT_DECIDES.test(bare)) ? nft : undefined;
  });
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
