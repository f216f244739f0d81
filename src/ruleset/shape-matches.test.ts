/** What a ruleset matches on that the clients do not vary by default. */
import { describe, expect, it } from 'vitest';
import { SHAPE } from './applied/nft-fixtures.test-helpers.ts';
import { interfaceMatches, interfaceNames, MAX_TRUSTED_SOURCE_PORTS, trustedSourcePorts, untriedSourcePorts, unvariedRules } from './shape-matches.ts';

const v4 = [
  '*filter',
  '-A INPUT -p tcp -m tcp --sport 22 -j ACCEPT',
  '-A INPUT -p tcp -m multiport --sports 25,143:145 -j ACCEPT',
  '-A INPUT -i ens4 -j ACCEPT',
  '-A INPUT ! -i lo -p tcp -m dscp --dscp 0x2e -j ACCEPT',
  '-A INPUT -p udp -m length --length 1200:65535 -j ACCEPT',
  '-A INPUT -p tcp --dport 3306 -m time --datestop 2026-11-26T23:00:00 -j DROP',
  '-A OUTPUT -o eth+ -j ACCEPT',
  'COMMIT',
].join('\n');
// A native inet table (nft 1.0.6's own listings): `iifname "wg0" accept`, `udp sport 123 accept`.
const v6 = '';
const { nft, nftJson } = SHAPE;

describe('shape matches', () => {
  it('reads the source ports stateless rules trust, first port of each range', () => {
    expect(trustedSourcePorts({ v4, v6, nft, nftJson })).toEqual([22, 25, 123, 143]);
  });

  it('reads interface names, and matches iptables wildcards', () => {
    expect(interfaceNames({ v4, v6, nft, nftJson })).toEqual(['ens4', 'eth+', 'lo', 'wg0']);
    expect(interfaceMatches('eth+', ['lo', 'eth0'])).toBe(true);
    expect(interfaceMatches('ens4', ['lo', 'eth0', 'eth1'])).toBe(false);
  });

  it('lists header and clock matches, per family', () => {
    expect(unvariedRules({ v4, v6, nft, nftJson }).map((r) => `${r.family} ${r.match}`)).toEqual(['ipv4 dscp', 'ipv4 length', 'ipv4 time']);
  });

  it('tries the source ports of deciding rules first, and calls one past the cap unverified, never silently untried', () => {
    const logs = Array.from({ length: MAX_TRUSTED_SOURCE_PORTS }, (_, i) => `-A INPUT -p udp -m udp --sport ${i + 1} -j LOG`);
    const padded = ['*filter', ...logs, '-A INPUT -p udp -m udp --sport 5353 -j ACCEPT', 'COMMIT'].join('\n');
    expect(trustedSourcePorts({ v4: padded, v6: '' })).toContain(5353);
    const drops = Array.from({ length: MAX_TRUSTED_SOURCE_PORTS }, (_, i) => `-A INPUT -p udp -m udp --sport ${i + 1} -j DROP`);
    const crowded = { v4: ['*filter', ...drops, '-A INPUT -p udp -m udp --sport 5353 -j ACCEPT', 'COMMIT'].join('\n'), v6: '' };
    const tried = trustedSourcePorts(crowded);
    expect(tried).not.toContain(5353);
    expect(untriedSourcePorts(crowded, tried).map((r) => `${r.family} ${r.match}: ${r.rule}`)).toEqual(['ipv4 source port: -A INPUT -p udp -m udp --sport 5353 -j ACCEPT']);
    expect(untriedSourcePorts(crowded, [...tried, 5353])).toEqual([]);
  });

  it('tries a port a negated source-port list lets through, and the source port of multiport `--ports`', () => {
    const rules = (...lines: string[]) => ({ v4: ['*filter', ...lines, 'COMMIT'].join('\n'), v6: '' });
    // Every first port of a range here is refused; 41000 alone gets in.
    expect(trustedSourcePorts(rules('-A INPUT -p tcp -m multiport ! --sports 1:40999,41001:65535 -m tcp --dport 3306 -j ACCEPT'))).toContain(41000);
    expect(trustedSourcePorts(rules('-A INPUT -p tcp -m tcp ! --sport 1:1023 --dport 2049 -j ACCEPT'))).toEqual([1, 1024]);
    expect(trustedSourcePorts(rules('-A INPUT -p tcp -m tcp --sport 1000:2000 -m multiport ! --sports 1000,1001 -j ACCEPT'))).toEqual([1000, 1001, 1002]);
    expect(trustedSourcePorts(rules('-A INPUT -p tcp -m multiport --ports 5353 -j ACCEPT'))).toEqual([5353]);
  });
});
