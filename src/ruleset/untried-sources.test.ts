/** A datagram trusted by its source address, where no client claimed that source, is unverified. */
import { describe, expect, it } from 'vitest';
import { untriedSourceNets } from './untried-sources.ts';

const save = (...rules: string[]) => ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT', ''].join('\n');
const peer = [
  { kind: 'direct', family: 'ipv4' as const, address: '198.18.16.2' },
  { kind: 'spoof', family: 'ipv4' as const, address: '10.213.0.254' },
];
const found = (v4: string, sources = peer) => untriedSourceNets({ v4, v6: '' }, sources).map((r) => `${r.family} ${r.match}: ${r.rule}`);

describe('untriedSourceNets', () => {
  it('flags a UDP (or any-protocol) ACCEPT on a source net no client claimed', () => {
    const rule = '-A INPUT -s 10.250.0.0/16 -p udp -m udp --dport 161 -j ACCEPT';
    expect(found(save(rule))).toEqual([`ipv4 untried source: ${rule}`]);
    expect(found(save('-A INPUT -m iprange --src-range 10.250.0.1-10.250.0.9 -j ACCEPT'))).toHaveLength(1);
  });

  it('leaves out a net a client claimed, TCP (a spoofed SYN never connects), a DROP, a negated source, and loopback-only runs', () => {
    expect(found(save('-A INPUT -s 10.213.0.0/16 -p udp -j ACCEPT', '-A INPUT -s 198.18.16.0/24 -j ACCEPT'))).toEqual([]);
    expect(found(save('-A INPUT -s 10.250.0.0/16 -p tcp -m tcp --dport 22 -j ACCEPT'))).toEqual([]);
    expect(found(save('-A INPUT -s 10.250.0.0/16 -p udp -j DROP', '-A INPUT ! -s 10.250.0.0/16 -p udp -j ACCEPT'))).toEqual([]);
    expect(found(save('-A INPUT -s 10.250.0.0/16 -p udp -j ACCEPT'), [{ kind: 'loopback', family: 'ipv4', address: '127.0.0.1' }])).toEqual([]);
  });
});
