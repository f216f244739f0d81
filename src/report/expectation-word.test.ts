/** The expectation's own word, read back from a mismatch's satisfying states, for tcp and udp. */
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../model/observation.ts';
import { statesSatisfying } from '../verdict/satisfies.ts';
import { expectationWord } from './expectation-word.ts';

describe('expectationWord', () => {
  it('gives back every category from the states the judge lists for it', () => {
    for (const protocol of PROTOCOLS) {
      for (const category of ['open', 'closed', 'filtered', 'unreachable', 'not-open'] as const) {
        expect(expectationWord(statesSatisfying(category, protocol), protocol)).toBe(category);
      }
    }
    expect(expectationWord(statesSatisfying('delivered', 'udp'), 'udp')).toBe('delivered');
  });

  it('says "not-open", not the list of states, for the `exposed` shorthand', () => {
    expect(statesSatisfying('not-open', 'tcp').length).toBeGreaterThan(2);
    expect(expectationWord(statesSatisfying('not-open', 'tcp'), 'tcp')).toBe('not-open');
  });

  it('falls back to the states when no word lists exactly them', () => {
    expect(expectationWord(['closed', 'open'], 'tcp')).toBe('closed or open');
  });
});
