/** Matrices take their columns from the data: any vantage name, loopback first, a scanned host shown. */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../model/observation.ts';
import { columnLabel, columnsOf } from './columns.ts';
import { buildMatrix } from './matrix.ts';
import { emptyResult } from './result.ts';
import { formatExposureTable } from './table.ts';
import { gapResult } from './fixtures.test-helpers.ts';

// Vantages beyond loopback and peer, and a `host`: what the lab's topology work brings (as plain data here).
const o = (vantage: string, family: 'ipv4' | 'ipv6', state: Observation['state'], host?: string) =>
  ({ vantage, family, protocol: 'tcp', port: 443, state, reason: 'r', ...(host ? { host } : {}) }) as unknown as Observation;

describe('columns from the data', () => {
  const result = {
    ...emptyResult('topology', 't.scenario.yaml'),
    observations: [o('internet', 'ipv4', 'filtered'), o('internet', 'ipv6', 'open'), o('admin', 'ipv4', 'open', 'web'), o('admin', 'ipv6', 'open', 'web'), o('loopback', 'ipv6', 'open')],
  };

  it('puts loopback first, then the others in order of appearance, naming the host scanned', () => {
    expect(columnsOf(result).map(columnLabel)).toEqual(['loopback ipv6', 'internet ipv4', 'internet ipv6', 'admin → web ipv4', 'admin → web ipv6']);
  });

  it('marks the IPv4/IPv6 difference of the vantage where it is, in the matrix and the table', () => {
    expect(buildMatrix(result).rows[0]!.parity).toEqual(['internet']);
    const table = formatExposureTable(result);
    expect(table.split('\n')[0]).toBe('port     loopback ipv6  internet ipv4  internet ipv6  admin → web ipv4  admin → web ipv6');
    expect(table.split('\n')[1]).toMatch(/^443\/tcp +OPEN +filtered +OPEN +OPEN +OPEN +IPv4≠IPv6$/);
  });

  it('colours by verdict only when asked: an unexpected exposure red, and marked ✗ either way', () => {
    const gap = gapResult();
    expect(formatExposureTable(gap)).not.toContain('\u001b');
    expect(formatExposureTable(gap)).toMatch(/^53\/tcp +filtered +OPEN ✗ +filtered +OPEN ✗ +IPv4≠IPv6$/m);
    expect(formatExposureTable(gap, { colour: true })).toContain('\u001b[1;31mOPEN ✗');
  });
});
