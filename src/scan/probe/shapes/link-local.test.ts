/** The link-local shape: both ends' fe80:: addresses, scoped to the peer's interface. */
import { describe, expect, it } from 'vitest';
import { SEGMENT } from './fixtures.test-helpers.ts';
import { linkLocal } from './link-local.ts';

describe('link-local', () => {
  it("sends from the peer's link-local address to the target's, over the peer's interface, IPv6 only", () => {
    expect(linkLocal(SEGMENT, { peer: 'fe80::f:2:1', target: 'fe80::f:1:1' })).toEqual([
      { kind: 'public', network: 'wan@link-local', shape: { kind: 'link-local' }, family: 'ipv6', address: 'fe80::f:2:1%eth0', target: 'fe80::f:1:1%eth0' },
    ]);
  });
});
