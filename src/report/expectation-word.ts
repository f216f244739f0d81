/**
 * The word the user wrote for a port (`not-open`, `filtered`, `open`, …), read back from the states a
 * mismatch lists as satisfying it. results.json v1 keeps `Mismatch.expected` as that list of states; a
 * person reads the expectation's own word, not "closed or filtered or open|filtered or …".
 */
import type { PortState, Protocol } from '../model/observation.ts';
import type { ExpectCategory } from '../model/scenario.ts';
import { statesSatisfying } from '../verdict/satisfies.ts';

// The narrow categories first: for UDP, `filtered` and `not-open` never list the same states, but an
// order that prefers the user's narrower word keeps the answer stable if the table ever changes.
const CATEGORIES: readonly ExpectCategory[] = ['open', 'closed', 'filtered', 'unreachable', 'delivered', 'not-open'];

/** The expectation's word for `states` under `protocol`, or the states joined with "or" when no word lists exactly them. */
export function expectationWord(states: readonly PortState[], protocol: Protocol): string {
  const wanted = [...states].sort().join('\u0000');
  for (const category of CATEGORIES) {
    if ([...statesSatisfying(category, protocol)].sort().join('\u0000') === wanted) return category;
  }
  return states.join(' or ');
}
