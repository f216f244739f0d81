import { describe, expect, test } from 'vitest';
import { InternalError } from '../model/errors.ts';
import { DropPlaces, ledgerScript, parseLedger, proveDrops, type LedgerSets } from './ledger.ts';
import { ledgerJson } from './ledger-listing.test-helpers.ts';
import { conntrackDrops } from './ledger-table.ts';
import { PortBits } from './parse/port-bits.ts';

// `nft -j list table` of a ledger after a loopback scan: 80 and 81 held in input, 443's SYN-ACK held in output,
// 53 rejected with an ICMP error.
const LISTING = ledgerJson('fwprobe_ledger_1', { out_flight: [], in_flight: [53, 80, 81], reply_flight: [443], rejected: [53] });

const sets = (s: Partial<Record<keyof LedgerSets, number[]>>): LedgerSets => ({
  outFlight: new Set(s.outFlight ?? []),
  inFlight: new Set(s.inFlight ?? []),
  replyFlight: new Set(s.replyFlight ?? []),
  rejected: new Set(s.rejected ?? []),
});

describe('parseLedger', () => {
  test('reads each set, empty or not', () => {
    const read = parseLedger(LISTING, 'fwprobe_ledger_1');
    expect([...read.outFlight]).toEqual([]);
    expect([...read.inFlight]).toEqual([53, 80, 81]);
    expect([...read.replyFlight]).toEqual([443]);
    expect([...read.rejected]).toEqual([53]);
  });
  test('a missing set or a non-port element is no proof', () => {
    expect(() => parseLedger(LISTING.replace('"name":"rejected"', '"name":"other"'), 'fwprobe_ledger_1')).toThrow(/no set rejected/);
    expect(() => parseLedger(LISTING.replace('[443]', '[70000]'), 'fwprobe_ledger_1')).toThrow(/not a port/);
  });
});

describe('proveDrops', () => {
  test('a probe held in a path with no answer is proven; a REJECT, a lost probe or a let-out answer is not', () => {
    const { proven, unaccounted } = proveDrops([22, 53, 80, 81, 443, 8080], parseLedger(LISTING, 'fwprobe_ledger_1'));
    expect(Object.fromEntries(proven)).toEqual({ 80: 'input', 81: 'input', 443: 'reply' });
    // 53: rejected (its answer may be what nmap missed); 22 and 8080: never held anywhere (lost on the way).
    expect(unaccounted).toEqual([22, 53, 8080]);
  });
  test('output path drops, and a held answer for a held probe proves nothing', () => {
    const { proven, unaccounted } = proveDrops([1, 2, 3], sets({ outFlight: [1, 2], replyFlight: [2, 3], inFlight: [3] }));
    expect(Object.fromEntries(proven)).toEqual({ 1: 'output' });
    expect(unaccounted).toEqual([2, 3]);
  });
});

describe('DropPlaces', () => {
  test('reads as the Map it replaces: last place wins, counted once, iterated in port order', () => {
    const places = new DropPlaces();
    places.set(443, 'reply');
    places.set(80, 'input');
    places.set(80, 'output');
    places.set(65535, 'input');
    expect(places.get(80)).toBe('output');
    expect(places.get(81)).toBeUndefined();
    expect(places.size).toBe(3);
    expect(places.countedBy()).toEqual({ output: 1, input: 1, reply: 1 });
    expect([...places]).toEqual([
      [80, 'output'],
      [443, 'reply'],
      [65535, 'input'],
    ]);
    expect(() => places.set(0, 'input')).toThrow(InternalError);
  });
  test('a full sweep held in output is proven port by port, in linear time', () => {
    const silent = Array.from({ length: 65535 }, (_, i) => i + 1);
    const { proven, unaccounted } = proveDrops(silent, { ...sets({}), outFlight: PortBits.of(silent) });
    expect(unaccounted).toEqual([]);
    expect(proven.countedBy()).toEqual({ output: 65535, input: 0, reply: 0 });
  }, 5000);
});

describe('ledgerScript', () => {
  test('matches only nmap-shaped probes from the pinned port, for the scanned address', () => {
    const v4 = ledgerScript({ table: 'fwprobe_ledger_1', family: 'ipv4', target: '127.0.0.1', source: '127.0.0.1', sourcePort: 47311 });
    expect(v4).toContain('ip saddr 127.0.0.1 ip daddr 127.0.0.1 tcp sport 47311 tcp window 1024 tcp flags & (syn|ack) == syn add @in_flight { tcp dport }');
    expect(v4).toContain('hook prerouting priority -450');
    expect(v4).toContain('hook input priority 450');
    const v6 = ledgerScript({ table: 'fwprobe_ledger_1', family: 'ipv6', target: 'fd00::1', source: 'fd00::2', sourcePort: 47311 });
    expect(v6).toContain('ip6 saddr fd00::1 ip6 daddr fd00::2 icmpv6 type destination-unreachable @th,384,16 47311 add @rejected { @th,400,16 }');
    // Only this scanner's probes and the answers to it: another peer scanning the same address from the same
    // port side by side must not be noted (its dropped probes would "prove" this scanner's lost ones).
    expect(v6).toContain('ip6 saddr fd00::2 ip6 daddr fd00::1 tcp sport 47311 tcp window 1024');
    expect(v6).toContain('ip6 saddr fd00::1 ip6 daddr fd00::2 tcp dport 47311 tcp sport @in_flight add @rejected { tcp sport }');
    // No verdicts: every rule only adds to or deletes from a set, and every chain's policy is accept.
    const rules = v6.split('\n').filter((l) => l.includes('@'));
    expect(rules.every((l) => / (add|delete) @\w+ \{ [^}]+ \}$/.test(l))).toBe(true);
    expect(v6).not.toMatch(/\b(drop|reject|queue|jump|goto)\b/);
  });
  test('every rule that notes a probe or an answer names both ends: another scanner of the same address is never noted', () => {
    // The guard for two peers on one network sweeping one target from the same pinned port: a ledger that
    // matched on the target and the port alone noted the other peer's dropped probes, and those "proved"
    // this scanner's lost ones dropped (read filtered, never retried).
    for (const [family, ip, target, source] of [
      ['ipv4', 'ip', '10.77.0.1', '10.77.0.20'],
      ['ipv6', 'ip6', 'fd77::1', 'fd77::20'],
    ] as const) {
      const script = ledgerScript({ table: 'fwprobe_ledger_1', family, target, source, sourcePort: 47311 });
      const noting = script.split('\n').filter((l) => / (add|delete) @\w+ /.test(l));
      expect(noting.length).toBeGreaterThanOrEqual(4);
      for (const rule of noting) {
        const ends = rule.includes(`${ip} saddr ${source} ${ip} daddr ${target}`) || rule.includes(`${ip} saddr ${target} ${ip} daddr ${source}`);
        expect(ends, rule).toBe(true);
      }
    }
  });
  test('refuses anything but a literal address and its own table name', () => {
    expect(() => ledgerScript({ table: 'x; flush ruleset', family: 'ipv4', target: '127.0.0.1', source: '127.0.0.1', sourcePort: 1 })).toThrow(InternalError);
    expect(() => ledgerScript({ table: 'fwprobe_ledger_1', family: 'ipv4', target: '1.2.3.4 }', source: '1.2.3.5', sourcePort: 1 })).toThrow(InternalError);
    expect(() => ledgerScript({ table: 'fwprobe_ledger_1', family: 'ipv4', target: '1.2.3.4', source: '1.2.3.5; flush ruleset', sourcePort: 1 })).toThrow(InternalError);
  });
});

describe('conntrackDrops', () => {
  test('sums drop, early_drop and insert_failed over CPUs (hex)', () => {
    const stat = [
      'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new',
      '00000010  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 0000000a 00000000 00000000  00000000',
      '00000010  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000002 00000003 00000000  00000000',
    ].join('\n');
    expect(conntrackDrops(stat)).toBe(1 + 10 + 2 + 3);
    expect(conntrackDrops('')).toBe(0);
  });
});
