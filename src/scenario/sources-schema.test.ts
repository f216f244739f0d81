/** `sources:` narrows or widens where client probes come from, and never to nothing. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCES } from '../model/scenario.ts';
import { normaliseSources, sourcesSchema } from './sources-schema.ts';

describe('sources', () => {
  it('defaults to every peer source and the well-known source ports', () => {
    expect(normaliseSources(undefined)).toEqual(DEFAULT_SOURCES);
  });

  it('narrows the peer sources, widens the ports, and picks the outside subnets', () => {
    const input = sourcesSchema.parse({ peer: ['public'], ports: ['random', 53, 53, 5353], outside: { ipv4: '192.0.2.0/28', ipv6: '2001:db8:cafe::/64' } });
    expect(normaliseSources(input)).toEqual({ peer: ['public'], ports: [0, 53, 5353], outside: { ipv4: '192.0.2.0/28', ipv6: '2001:db8:cafe::/64' }, unvaried: [] });
  });

  it('refuses no sources, a bad port, and a subnet of the wrong family or size', () => {
    expect(sourcesSchema.safeParse({ peer: [] }).success).toBe(false);
    expect(sourcesSchema.safeParse({ ports: [0] }).success).toBe(false);
    expect(sourcesSchema.safeParse({ ports: [] }).success).toBe(false);
    expect(sourcesSchema.safeParse({ outside: { ipv4: '3fff::/64' } }).success).toBe(false);
    expect(sourcesSchema.safeParse({ outside: { ipv4: '203.0.113.0/30' } }).success).toBe(false);
    expect(sourcesSchema.safeParse({ outside: { ipv6: '3fff::/96' } }).success).toBe(false);
  });
});
