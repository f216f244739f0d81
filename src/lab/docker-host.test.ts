/**
 * The daemon.json fwprobe writes for a `docker:` block: the keys as declared, and what 20.10 needs around
 * `ip6tables` (experimental, an IPv6 bridge on a ULA) so that the declared setting is the one in force.
 */
import { expect, test } from 'vitest';
import { daemonJson } from './docker-host.ts';

test("daemon.json: the declared keys; ip6tables brings 20.10's experimental flag and a ULA bridge", () => {
  expect(daemonJson({ iptables: true, ip6tables: false, userlandProxy: true })).toEqual({ iptables: true, 'userland-proxy': true });
  expect(daemonJson({ iptables: false, ip6tables: false, userlandProxy: false })).toEqual({ iptables: false, 'userland-proxy': false });
  expect(daemonJson({ iptables: true, ip6tables: true, userlandProxy: true })).toEqual({
    iptables: true,
    'userland-proxy': true,
    experimental: true,
    ipv6: true,
    'fixed-cidr-v6': 'fd00:d0c::/64',
    ip6tables: true,
  });
});
