/** The one "did you mean" measure: near words are found, far ones and one-letter neighbours are not. */
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './spelling.ts';

const COMMANDS = ['run', 'demo', 'generate', 'validate', 'baseline', 'check', 'diff', 'compare'];

describe('closest', () => {
  it('finds a near word, never a far one or a one-letter neighbour', () => {
    expect(closest('concurency', ['report-dir', 'concurrency'])).toBe('concurrency');
    expect(closest('baselin', COMMANDS)).toBe('baseline');
    expect(closest('chekc', COMMANDS)).toBe('check');
    expect(closest('a', ['b'])).toBeNull();
    expect(closest('deploy', COMMANDS)).toBeNull();
  });

  it('finds scenario keys: a swap, a case slip, a dropped letter', () => {
    const keys = ['name', 'services', 'ruleset', 'expect', 'parity', 'sources'];
    expect(closest('expcet', keys)).toBe('expect');
    expect(closest('Expect', keys)).toBe('expect');
    expect(closest('servics', keys)).toBe('services');
    expect(closest('ruelset', keys)).toBe('ruleset');
    // Three edits is another word, however long.
    expect(closest('exposure', keys)).toBeNull();
    expect(closest('open', ['closed', 'filtered'])).toBeNull();
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit (Damerau), an insert, delete or replace as one', () => {
    expect(editDistance('expcet', 'expect')).toBe(1);
    expect(editDistance('expct', 'expect')).toBe(1);
    expect(editDistance('expectt', 'expect')).toBe(1);
    expect(editDistance('exbect', 'expect')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
