/** The nft form's rule origin: a listed rule back to its line in the nftables file. */
import { describe, expect, test } from 'vitest';
import { nftRuleLine } from './nft-origin.ts';

describe("an nftables file's line, by the rule text nft lists", () => {
  const NFT = [
    'flush ruleset', // 1
    'define ssh = 22', // 2
    'table inet filter {', // 3
    '\tchain input { type filter hook input priority filter; policy drop;', // 4
    '\t\tiif lo accept # loopback', // 5
    '\t\ttcp dport $ssh accept', // 6
    '\t\ttcp dport { 80,', // 7
    '\t\t\t443 } accept', // 8
    '\t\tudp dport 53 accept; udp dport 54 drop', // 9
    '\t\treject with icmpx admin-prohibited', // 10
    '\t}', // 11
    '\tchain forward { type filter hook forward priority filter; policy drop; reject with icmpx admin-prohibited; }', // 12
    '}', // 13
    'add rule inet filter input tcp dport 8080 accept', // 14
    'table ip nat { chain pre { type nat hook prerouting priority dstnat; } }', // 15
    '',
  ].join('\n');

  test('the one statement of that table and chain with the listed text', () => {
    expect(nftRuleLine(NFT, 'inet', 'filter', 'input', 'iif "lo" accept')).toEqual({ line: 5 });
    expect(nftRuleLine(NFT, 'inet', 'filter', 'input', 'tcp dport { 80, 443 } accept')).toEqual({ line: 7 });
    expect(nftRuleLine(NFT, 'inet', 'filter', 'input', 'udp dport 54 drop')).toEqual({ line: 9 });
    expect(nftRuleLine(NFT, 'inet', 'filter', 'input', 'reject with icmpx admin-prohibited')).toEqual({ line: 10 });
    expect(nftRuleLine(NFT, 'inet', 'filter', 'forward', 'reject with icmpx admin-prohibited')).toEqual({ line: 12 });
    expect(nftRuleLine(NFT, 'inet', 'filter', 'input', 'tcp dport 8080 accept')).toEqual({ line: 14 });
  });

  test('no line for a $variable, another table or family, a duplicate, or a file that removes rules', () => {
    expect(nftRuleLine(NFT, 'inet', 'filter', 'input', 'tcp dport 22 accept')).toBeNull();
    expect(nftRuleLine(NFT, 'ip', 'filter', 'input', 'iif "lo" accept')).toBeNull();
    expect(nftRuleLine(`${NFT}add rule inet filter input iif lo accept\n`, 'inet', 'filter', 'input', 'iif "lo" accept')).toBeNull();
    expect(nftRuleLine(`${NFT}delete rule inet filter input handle 5\n`, 'inet', 'filter', 'input', 'iif "lo" accept')).toBeNull();
    expect(nftRuleLine(`${NFT}flush ruleset\n`, 'inet', 'filter', 'input', 'iif "lo" accept')).toBeNull();
  });
});
