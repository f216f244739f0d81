import { describe, expect, test } from 'vitest';
import { countedProtocols } from './count-protocols.ts';

describe('countedProtocols', () => {
  test('both without NAT or rate rules, none under a rate rule', () => {
    expect(countedProtocols(0, [])).toEqual(['tcp', 'udp']);
    expect(countedProtocols(1, [])).toEqual([]);
    expect(countedProtocols(1, [{ match: 'redirect' }])).toEqual([]);
  });
  test('UDP only under local redirects; nothing under DNAT, NETMAP, rewrites, queues or TPROXY', () => {
    expect(countedProtocols(0, [{ match: 'redirect' }, { match: 'REDIRECT' }])).toEqual(['udp']);
    for (const match of ['DNAT', 'dnat', 'NETMAP', 'udp dport set', 'NFQUEUE', 'queue', 'TPROXY', 'tproxy']) {
      expect(countedProtocols(0, [{ match: 'redirect' }, { match }]), match).toEqual([]);
    }
  });
});
