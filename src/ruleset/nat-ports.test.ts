/** NAT rules whose new port is a service's: their match ports are ports of interest. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { natAliases, natPorts } from './nat-ports.ts';

const services = [
  { protocol: 'tcp' as const, port: 3306 },
  { protocol: 'udp' as const, port: 53 },
];
const nat = (rules: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n${rules}\nCOMMIT\n`;

describe('nat ports', () => {
  it('REDIRECT and DNAT onto a service port, iptables-save text, both families', () => {
    const v4 = nat('-A PREROUTING -p tcp -m tcp --dport 13306 -j REDIRECT --to-ports 3306\n-A PREROUTING -p udp -m udp --dport 5353 -j DNAT --to-destination 10.0.0.1:53');
    const v6 = nat('-A PREROUTING -p tcp -m multiport --dports 23306,33306:33307 -j REDIRECT --to-ports 3306');
    expect(natPorts({ v4, v6 }, services)).toEqual({ tcp: [13306, 23306, 33306, 33307], udp: [5353] });
  });

  it('a rule to a port no service has, or one keeping a non-service port, adds nothing; keeping a service port adds it', () => {
    const v4 = nat('-A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 80\n-A PREROUTING -p tcp -m tcp --dport 3306 -j REDIRECT\n-A PREROUTING -p tcp -m tcp --dport 9999 -j REDIRECT');
    expect(natPorts({ v4, v6: '' }, services)).toEqual({ tcp: [3306], udp: [] });
  });

  it('native nft redirect and dnat, with sets and ranges', () => {
    const nft = [
      'table inet nat {',
      '  chain prerouting {',
      '    type nat hook prerouting priority dstnat; policy accept;',
      '    tcp dport { 13306, 13400-13401 } redirect to :3306',
      '    udp dport 1053 dnat ip to 10.0.0.1:53',
      '  }',
      '}',
    ].join('\n');
    // nft 1.0.6's own JSON listing of that table (the lab reads `nft -j list ruleset` back beside the text).
    const nftJson = readFileSync(new URL('./applied/fixtures/nat-redirect-dnat.json', import.meta.url), 'utf8');
    expect(natPorts({ v4: '', v6: '', nft, nftJson }, services)).toEqual({ tcp: [13306, 13400, 13401], udp: [1053] });
  });

  it('aliases name the service port they end at; only REDIRECT counts as local (a DNAT may go to a host behind)', () => {
    const v4 = nat('-A PREROUTING -p tcp -m tcp --dport 13306 -j REDIRECT --to-ports 3306\n-A PREROUTING -p udp -m udp --dport 5353 -j DNAT --to-destination 10.0.0.1:53');
    expect(natAliases({ v4, v6: '' }, services)).toEqual([
      { protocol: 'tcp', port: 13306, to: 3306 },
      { protocol: 'udp', port: 5353, to: 53 },
    ]);
    expect(natAliases({ v4, v6: '' }, services, { local: true })).toEqual([{ protocol: 'tcp', port: 13306, to: 3306 }]);
  });
});
