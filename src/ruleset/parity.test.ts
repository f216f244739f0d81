import { describe, expect, it } from 'vitest';

import { generateRuleset } from './index.ts';
import { parseSave } from './parse-save.ts';
import { lintParity } from './parity.ts';
import { parsePolicy } from './policy-load.ts';

const v4 = (rules: string, policies = 'DROP DROP ACCEPT') => save(rules, policies);
const v6 = v4;

function save(rules: string, policies: string): ReturnType<typeof parseSave> {
  const [input, forward, output] = policies.split(' ');
  return parseSave(`*filter\n:INPUT ${input} [0:0]\n:FORWARD ${forward} [0:0]\n:OUTPUT ${output} [0:0]\n${rules}\nCOMMIT\n`, 'test');
}

describe('lintParity', () => {
  it('reports a missing IPv6 ruleset (book-2007)', () => {
    const out = generateRuleset({ preset: 'book-2007' });
    expect(lintParity(out.ir.v4, out.ir.v6)).toEqual([expect.objectContaining({ chain: '*', what: 'v6-absent', v4: 'policy DROP on INPUT, OUTPUT, FORWARD', v6: 'absent' })]);
  });

  it('finds nothing to report for book-2009: IPv6 drops everything', () => {
    const out = generateRuleset({ preset: 'book-2009' });
    expect(lintParity(out.ir.v4, out.ir.v6)).toEqual([]);
  });

  it('finds nothing to report for a mirrored policy', () => {
    const policy = parsePolicy({ inbound: [{ port: 22, sources: { ipv4: ['10.0.0.0/8'], ipv6: ['fd00::/8'] } }, { port: 80 }] }, 'p');
    const out = generateRuleset({ policy });
    expect(lintParity(out.ir.v4, out.ir.v6)).toEqual([]);
  });

  it('reports ACCEPT policies on IPv6 where IPv4 drops', () => {
    const findings = lintParity(v4('-A INPUT -p tcp --dport 80 -j ACCEPT'), v6('', 'ACCEPT ACCEPT ACCEPT'));
    expect(findings.map((f) => [f.chain, f.what, f.v4, f.v6])).toEqual([
      ['INPUT', 'default-open', 'policy DROP', 'policy ACCEPT'],
      ['FORWARD', 'default-open', 'policy DROP', 'policy ACCEPT'],
    ]);
  });

  it('treats a catch-all DROP rule as the default', () => {
    expect(lintParity(v4(''), v6('-A INPUT -j DROP\n-A FORWARD -j DROP', 'ACCEPT ACCEPT ACCEPT'))).toEqual([]);
    const findings = lintParity(v4('-A INPUT -j DROP', 'ACCEPT DROP ACCEPT'), v6('', 'ACCEPT DROP ACCEPT'));
    expect(findings).toEqual([expect.objectContaining({ chain: 'INPUT', what: 'default-open', v4: '-A INPUT -j DROP' })]);
  });

  it('reports a service restricted by source on IPv4 but open to all on IPv6', () => {
    const findings = lintParity(v4('-A INPUT -i eth0 -s 192.168.10.0/24 -p tcp --dport 22 -j ACCEPT'), v6('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT'));
    expect(findings).toEqual([
      {
        chain: 'INPUT',
        what: 'service-unrestricted',
        protocol: 'tcp',
        port: 22,
        v4: '-A INPUT -i eth0 -s 192.168.10.0/24 -p tcp --dport 22 -j ACCEPT',
        v6: '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
        message: 'INPUT tcp/22: IPv4 accepts it only with -i eth0 -s 192.168.10.0/24; IPv6 accepts it from anywhere (-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT).',
      },
    ]);
  });

  it('accepts any IPv6 restriction as a counterpart, and ignores loopback and state rules', () => {
    expect(
      lintParity(
        v4('-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT'),
        v6('-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state ESTABLISHED -j ACCEPT\n-A INPUT -s fd00::/8 -p tcp --dport 22 -j ACCEPT'),
      ),
    ).toEqual([]);
  });

  it('reports a port IPv4 drops explicitly and IPv6 accepts', () => {
    const findings = lintParity(
      v4('-A INPUT -p tcp --dport 23 -j REJECT\n-A INPUT -p udp -m multiport --dports 100:200,300 -j DROP', 'ACCEPT ACCEPT ACCEPT'),
      v6('-A INPUT -p udp --dport 150 -j DROP', 'ACCEPT ACCEPT ACCEPT'),
    );
    expect(findings.map((f) => [f.what, f.protocol, f.port])).toEqual([
      ['drop-not-mirrored', 'tcp', 23],
      // A range is probed at its first port and wherever another rule's range starts or ends inside it:
      // v6 drops 150 only, so 100-149 and 151-200 are open there.
      ['drop-not-mirrored', 'udp', 100],
      ['drop-not-mirrored', 'udp', 151],
      ['drop-not-mirrored', 'udp', 300],
    ]);
    const mirrored = lintParity(v4('-A INPUT -p udp -m multiport --dports 100:200,300 -j DROP', 'ACCEPT ACCEPT ACCEPT'), v6('-A INPUT -p udp --dport 100:200 -j DROP', 'ACCEPT ACCEPT ACCEPT'));
    expect(mirrored.map((f) => [f.what, f.protocol, f.port])).toEqual([['drop-not-mirrored', 'udp', 300]]);
  });

  it('does not guess about rules it cannot read, but names them', () => {
    const findings = lintParity(v4('-A INPUT -p tcp --dport 22 -m recent --rcheck -j DROP', 'ACCEPT ACCEPT ACCEPT'), v6('', 'ACCEPT ACCEPT ACCEPT'));
    expect(findings.map((f) => [f.what, f.message])).toEqual([
      [
        'not-analysed',
        'IPv4: 1 rule(s) not analysed (user chains, jumps or matches the lint cannot read), e.g. "-A INPUT -p tcp --dport 22 -m recent --rcheck -j DROP"; the scans still judge what they do.',
      ],
    ]);
  });

  it('checks a v4 range wherever a v6 rule starts inside it, and names rules in user chains', () => {
    const findings = lintParity(
      v4(':user-input - [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 8000:8010 -j ACCEPT\n-A INPUT -j user-input\n-A user-input -p tcp --dport 22 -j ACCEPT', 'DROP DROP ACCEPT'),
      v6('-A INPUT -p tcp -m tcp --dport 8005 -j ACCEPT', 'DROP DROP ACCEPT'),
    );
    expect(findings.map((f) => [f.what, f.port ?? null])).toEqual([
      ['service-unrestricted', 8005],
      ['not-analysed', null],
    ]);
  });

  it('reads ipv6: ignore and ipv6: block policies', () => {
    const ignore = generateRuleset({ policy: parsePolicy({ ipv6: 'ignore', inbound: [{ port: 80 }] }, 'p') });
    expect(lintParity(ignore.ir.v4, ignore.ir.v6).map((f) => f.what)).toEqual(['v6-absent']);
    const block = generateRuleset({ policy: parsePolicy({ ipv6: 'block', inbound: [{ port: 80 }] }, 'p') });
    expect(lintParity(block.ir.v4, block.ir.v6)).toEqual([]);
  });
});
