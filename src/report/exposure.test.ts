/**
 * Exposure is what the release gate compares: these pin which states count, which are left out, and
 * which changes are printed, for any vantage and host names (the lab's topology is not fixed).
 */
import { describe, expect, it } from 'vitest';
import type { PortState } from '../model/observation.ts';
import { exposureOf, sliceKey, type PortReading } from './exposure.ts';
import { exposureChanges, formatChange } from './exposure-diff.ts';

const obs = (port: number, state: PortState, more: Partial<PortReading> = {}): PortReading => ({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', port, state, ...more });

const ports = (snapshot: ReturnType<typeof exposureOf>, vantage = 'peer', host = 'target') =>
  Object.fromEntries(snapshot.get(sliceKey({ vantage, host, family: 'ipv4', protocol: 'tcp' }))?.ports ?? []);

describe('exposureOf', () => {
  it('open and delivered are exposed, closed/filtered/unreachable shut, ambiguous states left out', () => {
    const s = exposureOf([obs(1, 'open'), obs(2, 'delivered'), obs(3, 'closed'), obs(4, 'filtered'), obs(5, 'unreachable'), obs(6, 'open|filtered'), obs(7, 'closed|filtered'), obs(8, 'unfiltered')]);
    expect(ports(s)).toEqual({ 1: 'open', 2: 'delivered', 3: 'shut', 4: 'shut', 5: 'shut' });
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
      ],
    );
    expect(ports(s)).toEqual({ 20: 'shut', 21: 'shut', 22: 'shut', 23: 'shut' });
  });

  it('two readings of one port keep the more exposed', () => {
    expect(ports(exposureOf([obs(80, 'open'), obs(80, 'filtered')]))).toEqual({ 80: 'open' });
  });
});

describe('exposureChanges', () => {
  it('prints only ports whose exposure changed, consecutive ones as a range', () => {
    const before = exposureOf([obs(22, 'open'), ...[1000, 1001, 1002, 3306].map((p) => obs(p, 'filtered'))]);
    const after = exposureOf([obs(22, 'open'), ...[1000, 1001, 1002].map((p) => obs(p, 'open')), obs(3306, 'closed')]);
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['peer ipv4 tcp/1000-1002: shut → open']);
  });

  it('shut on one side and not seen on the other is no change; open and not seen is', () => {
    const before = exposureOf([obs(53, 'filtered'), obs(80, 'open')]);
    const after = exposureOf([obs(53, 'open|filtered'), obs(80, 'open|filtered')]);
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['peer ipv4 tcp/80: open → not seen']);
  });

  it('names a host other than the target, and a slice present on one side only', () => {
    const after = exposureOf([obs(5432, 'open', { host: 'db', family: 'ipv6' })]);
    expect(exposureChanges(new Map(), after).map(formatChange)).toEqual(['peer to db ipv6 tcp/5432: not seen → open']);
  });

  it('escapes terminal controls in names from a file', () => {
    const after = exposureOf([obs(1, 'open', { vantage: 'x\u001b[2J' })]);
    expect(formatChange(exposureChanges(new Map(), after)[0]!)).toBe('x\\x1b[2J ipv4 tcp/1: not seen → open');
  });
});
