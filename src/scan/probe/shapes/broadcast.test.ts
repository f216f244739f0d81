/** The broadcast shape: the segment's subnet-directed broadcast address, IPv4 only, one-way. */
import { describe, expect, it } from 'vitest';
import { broadcast } from './broadcast.ts';
import { SEGMENT } from './fixtures.test-helpers.ts';
import { isOneWay } from './shape.ts';

describe('broadcast', () => {
  it('targets the last address of the IPv4 subnet, from the peer', () => {
    const [source, ...rest] = broadcast(SEGMENT, '203.0.113.0/24');
    expect(rest).toEqual([]);
    expect(source).toMatchObject({ network: 'wan@broadcast', family: 'ipv4', address: '203.0.113.7', target: '203.0.113.255' });
    expect(broadcast(SEGMENT, '203.0.113.0/28')[0]!.target).toBe('203.0.113.15');
    expect(isOneWay(source!.shape)).toBe(true);
  });
});
