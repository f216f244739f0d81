/** The restore forms' rule origin (a rule's place in the file), and save output read back by chain. */
import { describe, expect, test } from 'vitest';
import { savedPolicy, savedRules } from '../../ruleset/rule-origin.ts';
import { policyLine, ruleLine } from './restore-origin.ts';

const FILE = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':SERVICES - [0:0]',
  '-A INPUT -j SERVICES',
  '# inbound[0]',
  '-A SERVICES -p tcp --dport 22 -j ACCEPT',
  '-A SERVICES -p tcp --dport 80 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

describe("back to the user's line", () => {
  test('the n-th rule of a chain is the n-th -A of that chain, with the comment above it', () => {
    expect(ruleLine(FILE, 'filter', 'SERVICES', 1, 2)).toEqual({ line: 7 });
    expect(ruleLine(FILE, 'filter', 'SERVICES', 0, 2)).toEqual({ line: 6, comment: 'inbound[0]' });
    expect(policyLine(FILE, 'filter', 'INPUT')).toEqual({ line: 2 });
  });

  test('no line where positions do not decide it: other counts, inserts, other tables', () => {
    expect(ruleLine(FILE, 'filter', 'SERVICES', 0, 3)).toBeNull();
    expect(ruleLine(FILE.replace('-A INPUT -j SERVICES', '-I INPUT -j SERVICES'), 'filter', 'SERVICES', 0, 2)).toBeNull();
    expect(ruleLine(FILE, 'raw', 'PREROUTING', 0, 1)).toBeNull();
    expect(policyLine(FILE, 'filter', 'FORWARD')).toBeNull();
  });

  test("no line in a file with -4/-6 rules: the other family's restore skips them, and counts can still agree", () => {
    // iptables-restore keeps 3 rules (22 ACCEPT, two DROPs): position 0 is line 4, not the -6 rule on line 3.
    const shared = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -6 -p tcp --dport 80 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -s 10.0.0.1,10.0.0.2 -j DROP\nCOMMIT\n';
    expect(ruleLine(shared, 'filter', 'INPUT', 0, 3)).toBeNull();
    expect(policyLine(shared, 'filter', 'INPUT')).toEqual({ line: 2 });
  });

  test("save output: a chain's rules and policy", () => {
    const saved = '*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j TRACE\nCOMMIT\n*filter\n:INPUT DROP [3:180]\n-A INPUT -j ACCEPT\nCOMMIT\n';
    expect(savedRules(saved, 'filter', 'INPUT')).toEqual(['-A INPUT -j ACCEPT']);
    expect(savedPolicy(saved, 'filter', 'INPUT')).toBe('DROP');
    expect(savedPolicy(saved, 'filter', 'FORWARD')).toBeNull();
  });
});
