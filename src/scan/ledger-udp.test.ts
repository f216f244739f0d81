import { describe, expect, test } from 'vitest';
import { InternalError } from '../model/errors.ts';
import { decideUdp, parseUdpLedger, udpLedgerScript, type UdpLedgerSets } from './ledger-udp.ts';
import { ledgerJson } from './ledger-listing.test-helpers.ts';

// `nft -j list table inet …` of a UDP ledger after a sweep: 5001 and 5002 reached the socket layer, 5003 and
// 5004 were held in input, 5005 in output.
const LISTING = ledgerJson('fwprobe_ledger_1', { out_flight: [5005], in_flight: [5003, 5004], delivered: [5001, 5002] });

const sets = (s: Partial<Record<keyof UdpLedgerSets, number[]>>): UdpLedgerSets => ({
  outFlight: new Set(s.outFlight ?? []),
  inFlight: new Set(s.inFlight ?? []),
  delivered: new Set(s.delivered ?? []),
});

describe('udpLedgerScript', () => {
  test("notes only this scanner's UDP probes from nmap's source ports, by port, at the ends of each path", () => {
    const v4 = udpLedgerScript({ table: 'fwprobe_ledger_1', family: 'ipv4', target: '10.77.0.1', source: '10.77.0.20', sourcePorts: [47311] });
    const probe = 'ip saddr 10.77.0.20 ip daddr 10.77.0.1 udp sport 47311';
    expect(v4).toContain(`hook prerouting priority -450; policy accept;\n    ${probe} add @in_flight { udp dport }`);
    // Past the input path's last chain: the probe reached the socket layer, followed there by conntrack's
    // original tuple (a REDIRECT/DNAT rewrote its port), or by its own header when untracked.
    const untracked = `ct state invalid,untracked ${probe}`;
    const tracked = 'meta l4proto udp ct original ip saddr 10.77.0.20 ct original ip daddr 10.77.0.1 ct original proto-src 47311';
    expect(v4).toContain(
      `hook input priority 450; policy accept;\n    ${untracked} delete @in_flight { udp dport }\n    ${tracked} delete @in_flight { ct original proto-dst }\n    ${untracked} add @delivered { udp dport }\n    ${tracked} add @delivered { ct original proto-dst }`,
    );
    expect(v4).toContain(`hook output priority -450; policy accept;\n    ${probe} add @out_flight { udp dport }`);
    expect(v4).toContain(`hook postrouting priority 450; policy accept;\n    ${untracked} delete @out_flight { udp dport }\n    ${tracked} delete @out_flight { ct original proto-dst }`);
    // A loopback scan's looks leave from other source ports: each is one of the scan's own.
    const v6 = udpLedgerScript({ table: 'fwprobe_ledger_1', family: 'ipv6', target: '::1', source: '::1', sourcePorts: [47312, 47311, 47311] });
    expect(v6).toContain('ip6 saddr ::1 ip6 daddr ::1 udp sport { 47311, 47312 } add @in_flight { udp dport }');
    // No verdicts, and no ICMP read: the word rests on the probe's own path, never on a rate-limited answer.
    const rules = v6.split('\n').filter((l) => l.includes('@'));
    expect(rules).toHaveLength(8);
    expect(rules.every((l) => / (add|delete) @\w+ \{ (udp dport|ct original proto-dst) \}$/.test(l))).toBe(true);
    expect(v6).not.toMatch(/\b(drop|reject|queue|jump|goto|icmp|icmpv6)\b/);
  });
  test('refuses anything but literal addresses, ports and its own table name', () => {
    const ok = { table: 'fwprobe_ledger_1', family: 'ipv4' as const, target: '127.0.0.1', source: '127.0.0.1', sourcePorts: [47311] };
    expect(() => udpLedgerScript({ ...ok, table: 'x; flush ruleset' })).toThrow(InternalError);
    expect(() => udpLedgerScript({ ...ok, target: '1.2.3.4 }' })).toThrow(InternalError);
    expect(() => udpLedgerScript({ ...ok, source: '1.2.3.5; flush ruleset' })).toThrow(InternalError);
    expect(() => udpLedgerScript({ ...ok, sourcePorts: [] })).toThrow(InternalError);
    expect(() => udpLedgerScript({ ...ok, sourcePorts: [70000] })).toThrow(InternalError);
  });
});

describe('parseUdpLedger', () => {
  test('reads each set', () => {
    const read = parseUdpLedger(LISTING, 'fwprobe_ledger_1');
    expect([...read.outFlight]).toEqual([5005]);
    expect([...read.inFlight]).toEqual([5003, 5004]);
    expect([...read.delivered]).toEqual([5001, 5002]);
  });
  test('a missing set or a non-port element is no proof', () => {
    expect(() => parseUdpLedger(LISTING.replace('"name":"delivered"', '"name":"other"'), 'fwprobe_ledger_1')).toThrow(/no set delivered/);
    expect(() => parseUdpLedger(LISTING.replace('[5005]', '[70000]'), 'fwprobe_ledger_1')).toThrow(/not a port/);
    // Another scan's ledger (several run side by side in one target) is not this one's proof.
    expect(() => parseUdpLedger(LISTING, 'fwprobe_ledger_2')).toThrow(/not fwprobe_ledger_2/);
  });
});

describe('decideUdp', () => {
  test('delivered is admitted, held is dropped where it was held, never seen is unverified', () => {
    const decided = decideUdp([5001, 5002, 5003, 5004, 5005, 5006], parseUdpLedger(LISTING, 'fwprobe_ledger_1'), true);
    expect(Object.fromEntries(decided)).toEqual({
      5001: { word: 'admitted' },
      5002: { word: 'admitted' },
      5003: { word: 'dropped', droppedAt: 'input' },
      5004: { word: 'dropped', droppedAt: 'input' },
      5005: { word: 'dropped', droppedAt: 'output' },
      // No probe of 5006 was seen at all (lost before prerouting, or a netdev table's drop): not "blocked".
      5006: { word: 'unverified' },
    });
  });
  test('one probe delivered admits the port, whatever became of its retries or other payloads', () => {
    const decided = decideUdp([53], sets({ inFlight: [53], outFlight: [53], delivered: [53] }), true);
    expect(decided.get(53)).toEqual({ word: 'admitted' });
  });
  test('while conntrack dropped packets, a held probe proves no rule: unverified; a delivered one is still admitted', () => {
    const decided = decideUdp([1, 2, 3], sets({ inFlight: [1], outFlight: [2], delivered: [3] }), false);
    expect(Object.fromEntries(decided)).toEqual({ 1: { word: 'unverified' }, 2: { word: 'unverified' }, 3: { word: 'admitted' } });
  });
});
