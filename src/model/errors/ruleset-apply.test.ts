import { describe, expect, it } from 'vitest';
import { NftApplyError, RulesetApplyError } from './index.ts';

// stderr as iptables-restore 1.8.9 (nft backend) prints it for `-A INPUT -i ! lo -j ACCEPT` on line 2.
const STDERR = "Bad argument `lo'\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n";

describe('RulesetApplyError', () => {
  it('names the file, the line the tool named, the legacy syntax and the tool output', () => {
    const text = '*filter\n-A INPUT -i ! lo -j ACCEPT\nCOMMIT\n';
    const error = new RulesetApplyError({
      family: 'ipv4',
      source: 'scenarios/x/rules.v4',
      text,
      toolLine: 2,
      command: ['iptables-restore', '/run/fwprobe/rules.v4'],
      exitCode: 2,
      stderr: STDERR,
      stdout: '',
    });
    expect(error.code).toBe('RULESET_APPLY_FAILED');
    expect(error).toMatchObject({ line: 2, reportedLine: null });
    expect(error.message).toContain('scenarios/x/rules.v4:2: -A INPUT -i ! lo -j ACCEPT');
    expect(error.message).toContain('the modern form is "! -i lo"');
    expect(error.message).toContain('exit code 2: iptables-restore /run/fwprobe/rules.v4');
    expect(error.message).toContain("Bad argument `lo'");
  });

  it('says so when the tool named no line', () => {
    const error = new RulesetApplyError({ family: 'ipv6', source: 'rules.v6', text: '*filter\n', toolLine: null, command: ['ip6tables-restore'], exitCode: 1, stderr: 'x', stdout: '' });
    expect(error.message).toContain('The ipv6 ruleset did not apply: rules.v6 (the tool did not say which line)');
  });
});

describe('NftApplyError', () => {
  it("names the user's file, line, column and nft's message", () => {
    const stderr = 'scenarios/x/rules.nft:5:3-9: Error: syntax error, unexpected junk\n';
    const error = new NftApplyError({
      command: ['nft', '-c', '-f', '/run/fwprobe/layer-0.nft'],
      exitCode: 1,
      stdout: '',
      stderr,
      source: 'scenarios/x/rules.nft',
      at: { line: 5, column: 3, message: 'syntax error, unexpected junk' },
    });
    expect(error).toMatchObject({ code: 'RULESET_APPLY_FAILED', line: 5, column: 3 });
    expect(error.message.split('\n')[0]).toBe('The nftables file did not apply: scenarios/x/rules.nft:5:3: Error: syntax error, unexpected junk');
    const unplaced = new NftApplyError({ command: ['nft', '-f', 'f'], exitCode: 1, stdout: '', stderr: 'Error: x', source: 'rules.nft', at: null });
    expect(unplaced).toMatchObject({ line: null, column: null });
    expect(unplaced.message).toContain('rules.nft (nft did not say which line)');
  });
});
