/** The behind shape: a host behind a routing target, from the peer's own address, named by host. */
import { describe, expect, it } from 'vitest';
import { behind } from './behind.ts';
import { SEGMENT, TARGET_LAN } from './fixtures.test-helpers.ts';
import { isOneWay } from './shape.ts';

describe('behind', () => {
  it("probes the inner host's addresses through the target, both families, two-way", () => {
    const out = behind(SEGMENT, { name: 'web', inner: { ...TARGET_LAN, ipv4: '192.168.10.80', ipv6: 'fd10:10::80' } });
    expect(out.map((s) => [s.host, s.family, s.address, s.target, s.network])).toEqual([
      ['web', 'ipv4', '203.0.113.7', '192.168.10.80', 'wan'],
      ['web', 'ipv6', '2001:db8:113::7', 'fd10:10::80', 'wan'],
    ]);
    expect(out[0]!.shape).toEqual({ kind: 'behind', host: 'web' });
    expect(isOneWay(out[0]!.shape)).toBe(false);
  });
});
