import { describe, expect, it } from 'vitest';
import { PORT_STATES, type PortState } from '../model/observation.ts';
import { categoryOf, satisfies, statesSatisfying } from './satisfies.ts';

describe('satisfies', () => {
  it('open is proven only by open, never by open|filtered', () => {
    expect(statesSatisfying('open', 'tcp')).toEqual(['open']);
    expect(statesSatisfying('open', 'udp')).toEqual(['open']);
    expect(satisfies('open', 'open|filtered', 'udp')).toBe(false);
  });

  it('filtered accepts open|filtered (no reply) for udp only', () => {
    expect(statesSatisfying('filtered', 'tcp')).toEqual(['filtered']);
    expect(statesSatisfying('filtered', 'udp')).toEqual(['filtered', 'open|filtered']);
  });

  it('closed and unreachable are exact', () => {
    expect(statesSatisfying('closed', 'udp')).toEqual(['closed']);
    expect(statesSatisfying('unreachable', 'tcp')).toEqual(['unreachable']);
  });

  it('not-open: everything but open and unfiltered', () => {
    const expected: PortState[] = ['closed', 'filtered', 'open|filtered', 'closed|filtered', 'unreachable'];
    expect(statesSatisfying('not-open', 'tcp')).toEqual(expected);
    expect(statesSatisfying('not-open', 'udp')).toEqual(expected);
  });

  it('categoryOf folds the ambiguous states into filtered', () => {
    expect(PORT_STATES.map(categoryOf)).toEqual(['open', 'closed', 'filtered', 'unfiltered', 'filtered', 'filtered', 'unreachable', 'delivered']);
  });

  it('delivered (a datagram reached the listener) satisfies only delivered: not filtered, not "not open"', () => {
    for (const category of ['open', 'closed', 'filtered', 'unreachable', 'not-open'] as const) {
      expect(satisfies(category, 'delivered', 'udp'), category).toBe(false);
    }
    expect(satisfies('delivered', 'delivered', 'udp')).toBe(true);
  });

  it('delivered is proven only by the listener log: an answer or silence breaks it', () => {
    expect(statesSatisfying('delivered', 'udp')).toEqual(['delivered']);
    expect(satisfies('delivered', 'open', 'udp')).toBe(false);
    expect(satisfies('delivered', 'open|filtered', 'udp')).toBe(false);
  });
});
