import { describe, expect, test } from 'vitest';
import { NOREWRITE, REDIRECT, REWRITE } from './applied/nft-fixtures.test-helpers.ts';
import { natMappedPorts, redirectingRules } from './redirecting.ts';

const nft = (listing: { nft: string; nftJson: string }) => ({ v4: '', v6: '', ...listing });

describe('redirectingRules', () => {
  test('NAT, TPROXY and queues, in either form', () => {
    expect(redirectingRules({ v4: '*nat\n-A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 22\nCOMMIT\n', v6: '' }).map((r) => r.match)).toEqual(['REDIRECT']);
    expect(redirectingRules(nft(REDIRECT)).map((r) => r.match)).toEqual(['redirect', 'redirect']);
  });
  // nft 1.0.6 reads `@th,16,16 … set` back as `th dport set`.
  test("nft's stateless rewrites of a port or an address (a ledger would hold the probe's old port as dropped)", () => {
    const found = redirectingRules(nft(REWRITE));
    expect(found.filter((r) => r.family === 'ipv4').map((r) => r.match)).toEqual(['tcp dport set', 'ip daddr set', 'th dport set', 'th dport set']);
  });
  test('matching on a port or an address is no rewrite', () => {
    expect(redirectingRules(nft(NOREWRITE))).toEqual([]);
  });
  test('the ports NAT maps onto another are read, ranges bounded', () => {
    const saved = {
      v4: '*nat\n-A PREROUTING -p tcp -m tcp --dport 13306 -j REDIRECT --to-ports 3306\n-A PREROUTING -p udp -m udp --dport 20000:30000 -j DNAT --to-destination 10.0.0.1:161\nCOMMIT\n',
      v6: '',
    };
    expect(natMappedPorts(saved).map((p) => `${p.family} ${p.protocol}/${p.from}-${p.to}${p.bounded ? ' bounded' : ''}`)).toEqual(['ipv4 tcp/13306-13306', 'ipv4 udp/20000-20063 bounded']);
    expect(natMappedPorts(nft(REDIRECT)).map((p) => `${p.family} ${p.protocol}/${p.from}`)).toEqual(['ipv4 tcp/8080', 'ipv6 tcp/8080']);
  });
});
