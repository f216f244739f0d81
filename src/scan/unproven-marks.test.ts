// Silent ports under a rule keyed on the probe's source port or shape are marked unverified; nothing else is.
import { describe, expect, test } from 'vitest';
import { markUnproven } from './unproven-marks.ts';
import type { ScanResult } from './types.ts';

const base: ScanResult = {
  vantage: 'peer',
  family: 'ipv4',
  protocol: 'tcp',
  target: '10.0.0.1',
  command: ['nmap'],
  hostState: 'up',
  observations: [
    { vantage: 'peer', family: 'ipv4', protocol: 'tcp', port: 22, state: 'open', reason: 'syn-ack' },
    { vantage: 'peer', family: 'ipv4', protocol: 'tcp', port: 80, state: 'filtered', reason: 'no-response', droppedAt: 'input' },
    { vantage: 'peer', family: 'ipv4', protocol: 'tcp', port: 443, state: 'filtered', reason: 'no-response' },
  ],
  others: [{ state: 'filtered', reason: 'no-response', count: 4, ports: '1000-1003', droppedAt: 'input' }],
  elapsedSeconds: 1,
  nmapVersion: '7.93',
  sourcePort: 47311,
  followUpCommands: [],
  warnings: [],
};

describe('markUnproven', () => {
  test('`--sport 53 -j ACCEPT` on every port: every silent port unverified (its drop place gone), the open one untouched', () => {
    const rule = '-A INPUT -p tcp -m tcp --sport 53 -j ACCEPT';
    const { result, marked } = markUnproven(base, () => rule);
    expect(marked).toBe(6);
    expect(result.observations.map((o) => `${o.port} ${o.state} ${o.ledger ?? '-'} ${o.droppedAt ?? '-'}`)).toEqual(['22 open - -', '80 filtered unverified -', '443 filtered unverified -']);
    expect(result.others).toEqual([{ state: 'filtered', reason: 'no-response', count: 4, ports: '1000-1003', ledger: 'unverified' }]);
  });

  test('a rule held to some ports splits the summary and marks only those', () => {
    const { result, marked } = markUnproven(base, (port) => (port === 443 || port === 1001 ? 'rule' : undefined));
    expect(marked).toBe(2);
    expect(result.observations.map((o) => o.ledger ?? '-')).toEqual(['-', '-', 'unverified']);
    expect(result.others.map((s) => `${s.ports} ${s.ledger ?? '-'} ${s.droppedAt ?? '-'}`)).toEqual(['1000,1002-1003 - input', '1001 unverified -']);
  });

  test("the UDP ledger's admitted stands: the scan's own probe was let in", () => {
    const udp: ScanResult = { ...base, protocol: 'udp', observations: [], others: [{ state: 'open|filtered', reason: 'no-response', count: 1, ports: '5001', ledger: 'admitted' }] };
    expect(markUnproven(udp, () => 'rule')).toMatchObject({ marked: 0, result: { others: [{ ledger: 'admitted' }] } });
  });
});
