/**
 * The word the user wrote for a port (`not-open`, `filtered`, `open`, …), read back from the states a
 * mismatch lists as satisfying it. results.json v1 keeps `Mismatch.expected` as that list of states; a
 * person reads the expectation's own word, not "closed or filtered or open|filtered or …".
 */
import { PROTOCOLS, type PortState, type Protocol } from '../model/observation.ts';
import type { ExpectCategory } from '../model/scenario.ts';
import { statesSatisfying } from '../verdict/satisfies.ts';

// The narrow categories first: for UDP, `filtered` and `not-open` never list the same states, but an
// order that prefers the user's narrower word keeps the answer stable if the table ever changes.
const CATEGORIES: readonly ExpectCategory[] = ['open', 'closed', 'filtered', 'unreachable', 'delivered', 'not-open'];

// Per protocol: the sorted states of each category → its word. Built once; a sweep's matrix asks per cell.
const WORDS: ReadonlyMap<Protocol, ReadonlyMap<string, ExpectCategory>> = new Map(
  PROTOCOLS.map((protocol) => {
    const words = new Map<string, ExpectCategory>();
    for (const category of CATEGORIES) {
      const key = [...statesSatisfying(category, protocol)].sort().join('\u0000');
      if (!words.has(key)) words.set(key, category);
    }
    return [protocol, words];
  }),
);

/** The expectation's word for `states` under `protocol`, or the states joined with "or" when no word lists exactly them. */
export function expectationWord(states: readonly PortState[], protocol: Protocol): string {
  return WORDS.get(protocol)?.get([...states].sort().join('\u0000')) ?? states.join(' or ');
}
