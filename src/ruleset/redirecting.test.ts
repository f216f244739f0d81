import { describe, expect, test } from 'vitest';
import { redirectingRules } from './redirecting.ts';

const nft = (rules: string[]) => ({
  v4: '',
  v6: '',
  nft: ['table inet portfw {', '\tchain fwd_in {', '\t\ttype filter hook prerouting priority raw; policy accept;', ...rules.map((r) => `\t\t${r}`), '\t}', '}', ''].join('\n'),
});

describe('redirectingRules', () => {
  test('NAT, TPROXY and queues, in either form', () => {
    expect(redirectingRules({ v4: '*nat\n-A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 22\nCOMMIT\n', v6: '' }).map((r) => r.match)).toEqual(['REDIRECT']);
    expect(redirectingRules(nft(['tcp dport 8080 redirect to :22'])).map((r) => r.match)).toEqual(['redirect', 'redirect']);
  });
  test("nft's stateless rewrites of a port or an address (a ledger would hold the probe's old port as dropped)", () => {
    const found = redirectingRules(nft(['tcp dport 8080 tcp dport set 22', 'ip daddr 10.0.0.1 ip daddr set 10.0.0.2', 'th dport 8081 th dport set 22', '@th,16,16 8083 @th,16,16 set 22']));
    expect(found.filter((r) => r.family === 'ipv4').map((r) => r.match)).toEqual(['tcp dport set', 'ip daddr set', 'th dport set', '@th,16,16 set']);
  });
  test('matching on a port or an address is no rewrite', () => {
    expect(redirectingRules(nft(['tcp dport 22 accept', 'ip saddr 10.0.0.0/8 drop', 'meta mark set 1', 'ct mark set 1']))).toEqual([]);
  });
});
