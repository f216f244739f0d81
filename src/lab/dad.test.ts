// The self-check waits for exactly the addresses that will settle: a tentative one on a link with carrier.
import { describe, expect, it } from 'vitest';
import { afterSettling, settlingAddresses } from './dad.ts';

const links = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
  '4: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default',
  '5: br-empty: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default',
  '7: veth1@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP',
];

describe('settlingAddresses', () => {
  it("names docker0's tentative address (the CI failure) and nothing settled, failed or without carrier", () => {
    const addresses = [
      '1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever',
      '4: docker0    inet6 fd00:d0c::1/64 scope global tentative \\       valid_lft forever preferred_lft forever',
      '4: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever preferred_lft forever',
      '5: br-empty    inet6 fd00:e::1/64 scope global tentative \\       valid_lft forever preferred_lft forever',
      '7: veth1    inet6 fd00:1::2/64 scope global tentative dadfailed \\       valid_lft forever preferred_lft forever',
    ];
    expect(settlingAddresses(addresses, links)).toEqual([addresses[1]]);
  });

  it('is empty once detection finished', () => {
    expect(settlingAddresses(['4: docker0    inet6 fd00:d0c::1/64 scope global \\       valid_lft forever preferred_lft forever'], links)).toEqual([]);
  });
});

describe('afterSettling', () => {
  it('waits from the end of the first look: a look slower than the whole wait still gets a second one', async () => {
    const looks: string[] = [];
    const look = async () => {
      looks.push(looks.length === 0 ? 'tentative' : 'settled');
      // The first look alone outlasts the wait, as one self-check did on a loaded machine.
      if (looks.length === 1) await new Promise((resolve) => setTimeout(resolve, 120));
      return { value: looks.at(-1)!, settling: looks.at(-1) === 'tentative' ? ['fd00:d0c::1'] : [] };
    };
    expect(await afterSettling(look, { ms: 60, pollMs: 5 })).toBe('settled');
    expect(looks).toEqual(['tentative', 'settled']);
  });

  it('gives up after the wait and returns the last look, still settling', async () => {
    let looks = 0;
    const value = await afterSettling(async () => ({ value: ++looks, settling: ['fd00:d0c::1'] }), { ms: 40, pollMs: 10 });
    expect(value).toBe(looks);
    expect(looks).toBeGreaterThan(1);
  });
});
