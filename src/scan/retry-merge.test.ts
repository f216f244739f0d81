import { describe, expect, test } from 'vitest';
import { InternalError } from '../model/errors.ts';
import type { Observation } from '../model/observation.ts';
import { replacePorts, silentPorts } from './retry-merge.ts';
import type { ScanResult } from './types.ts';

const obs = (port: number, state: Observation['state'], reason: string): Observation => ({ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', port, state, reason });
const result = (observations: Observation[], others: ScanResult['others']): ScanResult => ({
  vantage: 'loopback',
  family: 'ipv4',
  protocol: 'tcp',
  target: '127.0.0.1',
  command: ['nmap'],
  hostState: 'up',
  observations,
  others,
  elapsedSeconds: 1,
  nmapVersion: '7.93',
  sourcePort: 47311,
  followUpCommands: [],
  warnings: [],
});

describe('silentPorts', () => {
  test('listed and collapsed silent ports, or null when nmap did not say which', () => {
    const main = result([obs(22, 'open', 'syn-ack'), obs(80, 'filtered', 'no-response')], [{ state: 'filtered', reason: 'no-response', count: 3, ports: '100-102' }]);
    expect(silentPorts(main)).toEqual([80, 100, 101, 102]);
    expect(silentPorts(result([], [{ state: 'filtered', reason: 'no-response', count: 3, ports: null }]))).toBeNull();
  });
});

describe('replacePorts', () => {
  test('every port stays reported once: listed ones replaced, collapsed ones moved to their new state', () => {
    const main = result(
      [obs(22, 'open', 'syn-ack'), obs(80, 'filtered', 'no-response')],
      [
        { state: 'closed', reason: 'reset', count: 2, ports: '200-201' },
        { state: 'filtered', reason: 'no-response', count: 4, ports: '100-103' },
      ],
    );
    const again = result([obs(80, 'closed', 'reset'), obs(100, 'closed', 'reset'), obs(101, 'filtered', 'no-response'), obs(102, 'open', 'syn-ack')], []);
    const merged = replacePorts(main, again, [80, 100, 101, 102]);
    expect(merged.observations.map((o) => `${o.port} ${o.state}`)).toEqual(['22 open', '80 closed', '102 open']);
    expect(merged.others).toEqual([
      { state: 'closed', reason: 'reset', count: 3, ports: '100,200-201' },
      { state: 'filtered', reason: 'no-response', count: 2, ports: '101,103' },
    ]);
  });
  test('a retried port the follow-up did not report is an error', () => {
    expect(() => replacePorts(result([], []), result([], []), [5])).toThrow(InternalError);
  });
});

describe('replacePorts at full-sweep size', () => {
  // A fast counted pass over 1-65535 whose answers nmap's capture lost: ~64,000 silent ports, unaccounted,
  // retried, and all read closed the second time. Copying a group per port took minutes here.
  test('moves ~64,000 collapsed ports into one summary of their new state in linear time', () => {
    const silent = Array.from({ length: 64_000 }, (_, i) => i + 1001);
    const main = result([obs(22, 'open', 'syn-ack')], [{ state: 'filtered', reason: 'no-response', count: silent.length, ports: '1001-65000' }]);
    const again = result(
      silent.map((port) => obs(port, 'closed', 'reset')),
      [],
    );
    const t0 = performance.now();
    const merged = replacePorts(main, again, silent);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(merged.others).toEqual([{ state: 'closed', reason: 'reset', count: 64_000, ports: '1001-65000' }]);
    expect(merged.observations.map((o) => o.port)).toEqual([22]);
  });
});
