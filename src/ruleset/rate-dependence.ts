/**
 * Rules whose verdict depends on rate, history or chance (`limit`, `hashlimit`, `recent`, `connlimit`,
 * `statistic`, `quota`, and nft's `limit rate`, `quota`, `meter`, `ct count`), read from the applied-ruleset
 * model. Under such a rule a fast scan can read "filtered" where a real client, arriving alone, gets in:
 * verdicts then need slow, separate confirmation, and the results say so. A rule that only logs or counts
 * decides nothing, so a rate limit on it cannot change a verdict.
 */
import type { RateDependentRule } from '../model/ruleset.ts';
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import { classifiedRules } from './applied/classify.ts';

export type { RateDependentRule };

export function rateDependentRules(saved: SavedRuleset): RateDependentRule[] {
  return classifiedRules(appliedModel(saved), 'rate');
}
