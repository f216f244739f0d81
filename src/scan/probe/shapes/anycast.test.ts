/** The subnet-router anycast shape: each subnet's all-zero host address, IPv6 only, one-way. */
import { describe, expect, it } from 'vitest';
import { anycast } from './anycast.ts';
import { SEGMENT } from './fixtures.test-helpers.ts';
import { isOneWay } from './shape.ts';

describe('anycast', () => {
  it("sends to the all-zero host address of every given subnet, from the peer's IPv6 address", () => {
    const out = anycast(SEGMENT, ['2001:db8:113::/64', 'fd10:10::/64']);
    expect(out.map((s) => [s.family, s.address, s.target, s.network])).toEqual([
      ['ipv6', '2001:db8:113::7', '2001:db8:113::', 'wan@anycast-2001:db8:113::/64'],
      ['ipv6', '2001:db8:113::7', 'fd10:10::', 'wan@anycast-fd10:10::/64'],
    ]);
    expect(out.every((s) => isOneWay(s.shape))).toBe(true);
  });
});
