/**
 * Exposure is what the release gate compares: these pin which states count, which are left out, how the
 * deciding rule tells admitted from blocked, and which changes are printed (more access, less access,
 * coverage that shrank), for any vantage and host names (the lab's topology is not fixed).
 */
import { describe, expect, it } from 'vitest';
import type { PortState } from '../model/observation.ts';
import { assumedAdmitted, exposureOf, sliceKey, type PortReading } from './exposure.ts';
import { exposureChanges, formatChange } from './exposure-diff.ts';

const obs = (port: number, state: PortState, more: Partial<PortReading> = {}): PortReading => ({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', port, state, ...more });
const ACCEPT = { verdict: 'ACCEPT', packet: 'first' as const };
const REJECT = { verdict: 'REJECT', packet: 'first' as const, rule: '-A INPUT -p tcp -m tcp --dport 3000:3001 -m comment --comment "no limit" -j REJECT --reject-with tcp-reset' };

const ports = (snapshot: ReturnType<typeof exposureOf>, vantage = 'peer', host = 'target', protocol: 'tcp' | 'udp' = 'tcp') =>
  Object.fromEntries(snapshot.get(sliceKey({ vantage, host, family: 'ipv4', protocol }))?.ports ?? []);

describe('exposureOf', () => {
  it('open and delivered as they are; filtered and unreachable blocked; closed admitted; ambiguous states left out', () => {
    const s = exposureOf([obs(1, 'open'), obs(2, 'delivered'), obs(3, 'closed'), obs(4, 'filtered'), obs(5, 'unreachable'), obs(6, 'open|filtered'), obs(7, 'closed|filtered'), obs(8, 'unfiltered')]);
    expect(ports(s)).toEqual({ 1: 'open', 2: 'delivered', 3: 'admitted', 4: 'blocked', 5: 'blocked' });
    // Port 3 had no rule traced: admitted by assumption, and counted as such.
    expect(assumedAdmitted(s)).toBe(1);
  });

  it("the deciding rule tells a REJECT rule's reset from the kernel's: closed + REJECT is blocked, closed + ACCEPT admitted", () => {
    const s = exposureOf([
      obs(3000, 'closed', { attribution: ACCEPT }),
      obs(3001, 'closed', { attribution: REJECT }),
      obs(3002, 'closed', { attribution: { verdict: 'ACCEPT', undecided: 'the trace failed' } }),
      // A reply dropped on its way out: the first packet was let in.
      obs(3003, 'filtered', { attribution: { verdict: 'DROP', packet: 'reply' } }),
      obs(3004, 'filtered', { attribution: { verdict: 'DROP', packet: 'first' } }),
    ]);
    expect(ports(s)).toEqual({ 3000: 'admitted', 3001: 'blocked', 3002: 'admitted', 3003: 'admitted', 3004: 'blocked' });
    expect(assumedAdmitted(s)).toBe(1);
  });

  // Attack (real run): `tcp dport 3000 tcp option sack-perm exists reject with tcp reset` then `tcp dport 3000
  // accept`: the traced client (a kernel SYN, with SACK) was rejected, nmap's bare SYN went through to the
  // host's stack; both read closed, and the port was called blocked. A REJECT that can tell the two apart
  // is not the scan's fate: the port is admitted by assumption.
  it.each([
    ['nft, a TCP option', 'tcp dport 3000 tcp option sack-perm exists reject with tcp reset'],
    ['nft, a source port range', 'tcp dport 3000 tcp sport 32768-60999 reject with tcp reset'],
    ['nft, a rate', 'tcp dport 3000 limit rate 1/second reject with tcp reset'],
    ['nft, the TCP header length', 'tcp dport 3000 tcp doff 10 reject with tcp reset'],
    ['nft, the IPv6 flow label', 'ip6 flowlabel != 0 tcp dport 3000 reject with tcp reset'],
    ['iptables, a packet length', '-A INPUT -p tcp -m tcp --dport 3000 -m length --length 60:65535 -j REJECT --reject-with tcp-reset'],
    ['iptables, a TTL', '-A INPUT -p tcp -m tcp --dport 3000 -m ttl --ttl-eq 64 -j REJECT --reject-with tcp-reset'],
  ])('closed + a REJECT matching on what a scan and a client differ in (%s) is admitted, not blocked', (_what, rule) => {
    const s = exposureOf([obs(3000, 'closed', { attribution: { verdict: 'REJECT', packet: 'first', rule } })]);
    expect(ports(s)).toEqual({ 3000: 'admitted' });
    expect(assumedAdmitted(s)).toBe(1);
  });

  it('a plain REJECT stays blocked, whatever its comment says', () => {
    const rule = 'tcp dport 3000 reject with tcp reset comment "limit time"';
    expect(ports(exposureOf([obs(3000, 'closed', { attribution: { verdict: 'REJECT', packet: 'first', rule } })]))).toEqual({ 3000: 'blocked' });
  });

  it("filtered ports a sweep's ledger saw delivered, their answer held on the way out, are admitted (listed or summarised)", () => {
    const s = exposureOf(
      [obs(3000, 'filtered', { droppedAt: 'reply' }), obs(3001, 'filtered', { droppedAt: 'input' })],
      [
        { vantage: 'peer', family: 'ipv4', protocol: 'tcp', state: 'filtered', ports: '4000-4001', droppedAt: 'reply' },
        { vantage: 'peer', family: 'ipv4', protocol: 'tcp', state: 'filtered', ports: '4002', droppedAt: 'input' },
      ],
    );
    expect(ports(s)).toEqual({ 3000: 'admitted', 3001: 'blocked', 4000: 'admitted', 4001: 'admitted', 4002: 'blocked' });
    expect(assumedAdmitted(s)).toBe(0);
  });

  it('silence to the scan but a client refused (another source let in, the kernel reset it) is admitted by assumption', () => {
    const s = exposureOf([
      obs(3000, 'filtered', { reason: 'no-response', evidence: { refused: 10 } }),
      // A REJECT the scan met too (its own port unreachable): the client's refusal says nothing more.
      obs(3001, 'filtered', { reason: 'port-unreach', evidence: { refused: 10 } }),
      obs(3002, 'filtered', { reason: 'no-response', evidence: {} }),
    ]);
    expect(ports(s)).toEqual({ 3000: 'admitted', 3001: 'blocked', 3002: 'blocked' });
    expect(assumedAdmitted(s)).toBe(1);
  });

  it('UDP silence is blocked where the trace shows the datagram dropped, left out where nothing decided it', () => {
    const udp = { protocol: 'udp' as const };
    const s = exposureOf([
      obs(53, 'open|filtered', { ...udp, attribution: { verdict: 'DROP', packet: 'first' } }),
      obs(123, 'open|filtered', udp),
      obs(161, 'closed', { ...udp, attribution: REJECT }),
    ]);
    expect(ports(s, 'peer', 'target', 'udp')).toEqual({ 53: 'blocked', 161: 'blocked' });
  });

  it('keys by any vantage name and by host, the target when absent', () => {
    const s = exposureOf([obs(22, 'open', { vantage: 'office-peer' }), obs(5432, 'open', { vantage: 'office-peer', host: 'db' })]);
    expect(ports(s, 'office-peer')).toEqual({ 22: 'open' });
    expect(ports(s, 'office-peer', 'db')).toEqual({ 5432: 'open' });
  });

  it('counts summaries only where nmap listed the ports; a port listed one by one wins', () => {
    const s = exposureOf(
      [obs(22, 'filtered')],
      [
        { vantage: 'peer', family: 'ipv4', protocol: 'tcp', state: 'filtered', ports: '20-23' },
        { vantage: 'peer', family: 'ipv4', protocol: 'tcp', state: 'open', ports: '22' },
        { vantage: 'peer', family: 'ipv4', protocol: 'tcp', state: 'closed', ports: null },
        { vantage: 'peer', family: 'ipv4', protocol: 'tcp', state: 'closed', ports: '24' },
      ],
    );
    expect(ports(s)).toEqual({ 20: 'blocked', 21: 'blocked', 22: 'blocked', 23: 'blocked', 24: 'admitted' });
  });

  it('two readings of one port keep the one with more access', () => {
    expect(ports(exposureOf([obs(80, 'open'), obs(80, 'filtered')]))).toEqual({ 80: 'open' });
    expect(ports(exposureOf([obs(80, 'filtered'), obs(80, 'closed')]))).toEqual({ 80: 'admitted' });
  });
});

describe('exposureChanges', () => {
  it('prints only ports whose exposure changed, consecutive ones as a range, with the way it went', () => {
    const before = exposureOf([obs(22, 'open'), ...[1000, 1001, 1002, 3306].map((p) => obs(p, 'filtered')), obs(8080, 'open')]);
    const after = exposureOf([obs(22, 'open'), ...[1000, 1001, 1002].map((p) => obs(p, 'open')), obs(3306, 'filtered'), obs(8080, 'filtered')]);
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['peer ipv4 tcp/1000-1002: blocked → open (more access)', 'peer ipv4 tcp/8080: open → blocked (less access)']);
  });

  it('the Grafana case: filtered → closed with an accepting rule is blocked → admitted', () => {
    const before = exposureOf([obs(3000, 'filtered', { attribution: { verdict: 'DROP', packet: 'first' } })]);
    const after = exposureOf([obs(3000, 'closed', { attribution: ACCEPT })]);
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['peer ipv4 tcp/3000: blocked → admitted (more access)']);
    // The same move with the REJECT rule's reset is no change: the firewall still refuses the port.
    expect(exposureChanges(before, exposureOf([obs(3000, 'closed', { attribution: REJECT })]))).toEqual([]);
  });

  it('a port known before and not seen now is a change (coverage shrank); not seen before and blocked now is not', () => {
    const before = exposureOf([obs(53, 'filtered'), obs(80, 'open')]);
    const after = exposureOf([obs(53, 'open|filtered'), obs(80, 'open|filtered'), obs(443, 'filtered')]);
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['peer ipv4 tcp/53: blocked → not seen (coverage shrank)', 'peer ipv4 tcp/80: open → not seen (coverage shrank)']);
  });

  it('a slice the baseline had and the run lacks (a dropped vantage) is one change naming it', () => {
    const before = exposureOf([obs(22, 'open'), obs(22, 'filtered', { vantage: 'dmz-peer' }), obs(80, 'filtered', { vantage: 'dmz-peer' })]);
    const after = exposureOf([obs(22, 'open')]);
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['dmz-peer ipv4 tcp: scanned before (2 port(s) known), not seen now (coverage shrank)']);
    expect(exposureChanges(after, before)).toEqual([]);
  });

  it('names a host other than the target, and a slice present on one side only', () => {
    const after = exposureOf([obs(5432, 'open', { host: 'db', family: 'ipv6' })]);
    expect(exposureChanges(new Map(), after).map(formatChange)).toEqual(['peer to db ipv6 tcp/5432: not seen → open (more access)']);
  });

  it('escapes terminal controls in names from a file', () => {
    const after = exposureOf([obs(1, 'open', { vantage: 'x\u001b[2J' })]);
    expect(formatChange(exposureChanges(new Map(), after)[0]!)).toBe('x\\x1b[2J ipv4 tcp/1: not seen → open (more access)');
  });
});
