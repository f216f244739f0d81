import { describe, expect, it } from 'vitest';
import { builtinTable, RuleBuilder, type RulesetIR } from './ir.ts';
import { generateRuleset } from './index.ts';
import { renderNft, translate } from './render-nft.ts';

const POLICIES: Record<'INPUT' | 'OUTPUT' | 'FORWARD', 'ACCEPT' | 'DROP'> = { INPUT: 'DROP', OUTPUT: 'ACCEPT', FORWARD: 'DROP' };

function ir(v4: RuleBuilder, v6: RuleBuilder | null, v6Policies = POLICIES): RulesetIR {
  return {
    source: 'test',
    v4: { tables: { filter: builtinTable(POLICIES, v4.rules) } },
    v6: v6 ? { tables: { filter: builtinTable(v6Policies, v6.rules) } } : null,
  };
}

describe('renderNft', () => {
  it("writes rules common to both families once and guards the others, in each family's order", () => {
    const v4 = new RuleBuilder()
      .add('INPUT', 'lo', ['-i', 'lo', '-j', 'ACCEPT'])
      .add('INPUT', 'admin', ['-p', 'tcp', '-s', '10.0.0.0/8', '--dport', '22', '-j', 'ACCEPT'])
      .add('INPUT', 'web', ['-p', 'tcp', '--dport', '80', '-j', 'ACCEPT']);
    const v6 = new RuleBuilder()
      .add('INPUT', 'lo', ['-i', 'lo', '-j', 'ACCEPT'])
      .add('INPUT', 'nd', ['-p', 'ipv6-icmp', '--icmpv6-type', 'neighbour-solicitation', '-j', 'ACCEPT'])
      .add('INPUT', 'web', ['-p', 'tcp', '--dport', '80', '-j', 'ACCEPT']);
    const rules = renderNft(ir(v4, v6))
      .split('\n')
      .filter((l) => l.startsWith('\t\t') && !l.trim().startsWith('#'))
      .map((l) => l.trim());
    expect(rules.slice(0, 5)).toEqual([
      'type filter hook input priority filter; policy drop;',
      'iifname "lo" accept',
      'meta nfproto ipv4 ip saddr 10.0.0.0/8 tcp dport 22 accept',
      'meta nfproto ipv6 icmpv6 type nd-neighbor-solicit accept',
      'tcp dport 80 accept',
    ]);
  });

  it('keeps a policy that differs between families as a last rule of the stricter family', () => {
    const text = renderNft(ir(new RuleBuilder(), new RuleBuilder(), { INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', FORWARD: 'DROP' }));
    expect(text).toContain('type filter hook input priority filter; policy accept;\n\t\t# INPUT policy DROP (IPv4 only)\n\t\tmeta nfproto ipv4 drop');
  });

  it('renders an ip table, IPv6 untouched, when there is no IPv6 side', () => {
    const text = renderNft(ir(new RuleBuilder(), null));
    expect(text).toContain('table ip filter {\n');
    expect(text).not.toContain('inet');
  });

  it('translates every match the generator and presets emit, and refuses what it cannot translate', () => {
    for (const preset of ['book-2007', 'book-2009']) expect(generateRuleset({ preset }).nft).toContain('table');
    const rule = (match: string[], target = ['-j', 'ACCEPT']) => ({ chain: 'INPUT', match, target, origin: 'o', section: '' });
    expect(translate(rule(['-p', 'tcp', '--syn', '-m', 'state', '--state', 'NEW', '-m', 'limit', '--limit', '3/min', '--limit-burst', '5']), 'ipv4')).toBe(
      'tcp flags & (fin|syn|rst|ack) == syn ct state new limit rate 3/minute burst 5 packets accept',
    );
    expect(translate(rule(['-p', 'udp', '--dport', '53'], ['-j', 'REJECT', '--reject-with', 'icmp6-port-unreachable']), 'ipv6')).toBe('udp dport 53 reject with icmpv6 type port-unreachable');
    expect(translate(rule(['!', '-i', 'lo'], ['-j', 'LOG', '--log-prefix', 'say "hi"']), 'ipv4')).toBe('iifname != "lo" log prefix "say \'hi\'"');
    expect(() => translate(rule(['-m', 'recent', '--rcheck']), 'ipv4')).toThrow(/cannot translate --rcheck/);
  });
});
