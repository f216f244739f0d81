import { describe, expect, it } from 'vitest';
import { staticParityFindings } from './static-parity.ts';

// As iptables-save / ip6tables-save print a v4-only firewall (v6 untouched).
const V4 = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
const V6_OPEN = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
const V6_DROP = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\nCOMMIT\n';

describe('staticParityFindings', () => {
  it('names the v6 policies that leave open what v4 drops', () => {
    expect(staticParityFindings({ v4: V4, v6: V6_OPEN })).toEqual([
      'INPUT: IPv4 drops by default (policy DROP), IPv6 accepts by default (policy ACCEPT).',
      'FORWARD: IPv4 drops by default (policy DROP), IPv6 accepts by default (policy ACCEPT).',
    ]);
    expect(staticParityFindings({ v4: V4, v6: V6_DROP })).toEqual([]);
  });

  it('says so when it cannot read a ruleset, instead of reporting nothing', () => {
    const [line, ...rest] = staticParityFindings({ v4: '*filter\n-A INPUT -p tcp "unterminated\nCOMMIT\n', v6: V6_DROP });
    expect(rest).toEqual([]);
    expect(line).toMatch(/^static parity lint could not read the applied ruleset: .*iptables-save/);
  });
});
