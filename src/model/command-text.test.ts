import { describe, expect, it } from 'vitest';
import { legacySyntaxHint, offendingLine } from './command-text.ts';
import { RulesetApplyError } from './errors.ts';

// stderr as iptables-restore 1.8.9 (nft backend) prints it for `-A INPUT -i ! lo -j ACCEPT` on line 2.
const STDERR = "Bad argument `lo'\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n";

describe('RulesetApplyError', () => {
  it('names the file, the offending line, the legacy syntax and the tool output', () => {
    const text = '*filter\n-A INPUT -i ! lo -j ACCEPT\nCOMMIT\n';
    const error = new RulesetApplyError({
      family: 'ipv4',
      source: 'scenarios/x/rules.v4',
      text,
      command: ['iptables-restore', '/run/fwprobe/rules.v4'],
      exitCode: 2,
      stderr: STDERR,
      stdout: '',
    });
    expect(error.code).toBe('RULESET_APPLY_FAILED');
    expect(error.line).toBe(2);
    expect(error.message).toContain('scenarios/x/rules.v4:2: -A INPUT -i ! lo -j ACCEPT');
    expect(error.message).toContain('the modern form is "! -i lo"');
    expect(error.message).toContain('exit code 2: iptables-restore /run/fwprobe/rules.v4');
    expect(error.message).toContain("Bad argument `lo'");
  });

  it('reads the three line formats and says so when there is none', () => {
    expect(offendingLine('iptables-restore: line 7 failed\n')).toBe(7);
    expect(offendingLine('iptables-restore v1.8.9 (nf_tables): \nline 6: RULE_APPEND failed (Invalid argument): rule in chain INPUT\n')).toBe(6);
    expect(offendingLine('something else')).toBeNull();
    expect(legacySyntaxHint('-A INPUT -s ! 10.0.0.0/8 -j DROP')).toContain('"! -s 10.0.0.0/8"');
    expect(legacySyntaxHint('-A INPUT ! -i lo -j ACCEPT')).toBe('');
  });
});
