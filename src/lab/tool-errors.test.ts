import { describe, expect, it } from 'vitest';
import { offendingLine, readNftError } from './tool-errors.ts';

describe('what the firewall tools say when they refuse a file', () => {
  it('reads the three iptables-restore line formats and says so when there is none', () => {
    expect(offendingLine("Bad argument `lo'\nError occurred at line: 2\n")).toBe(2);
    expect(offendingLine('iptables-restore: line 7 failed\n')).toBe(7);
    expect(offendingLine('iptables-restore v1.8.9 (nf_tables): \nline 6: RULE_APPEND failed (Invalid argument): rule in chain INPUT\n')).toBe(6);
    expect(offendingLine('something else')).toBeNull();
  });

  it("names the user's nft file in nft's stderr and reads where its first error points", () => {
    const stderr = '/run/fwprobe/layer-0.nft:5:3-9: Error: syntax error, unexpected junk\n  junk\n  ^^^^^^^\n';
    const read = readNftError(stderr, '/run/fwprobe/layer-0.nft', 'scenarios/x/rules.nft');
    expect(read.at).toEqual({ line: 5, column: 3, message: 'syntax error, unexpected junk' });
    expect(read.stderr).toContain('scenarios/x/rules.nft:5:3-9: Error');
    expect(read.stderr).not.toContain('/run/fwprobe');
    expect(readNftError('Error: Could not process rule: No such file or directory\n', '/x', 'y').at).toBeNull();
  });
});
