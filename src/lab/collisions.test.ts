import { describe, expect, it } from 'vitest';
import type { DockerSpec } from '../model/docker.ts';
import { labNetwork, type Topology } from '../model/topology.ts';
import { assertNoSubnetCollision } from './collisions.ts';

const topology = (ipv4: string, ipv6: string) => ({ networks: [labNetwork('lan', ipv4, ipv6, { ipv4: true, ipv6: true })] }) as unknown as Topology;
const docker = (ip6tables: boolean, networks: DockerSpec['networks'] = []): DockerSpec =>
  ({ daemon: { iptables: true, ip6tables, userlandProxy: true }, networks, containers: [] }) satisfies DockerSpec;

describe('assertNoSubnetCollision', () => {
  it("allows any subnet without a docker: block, 172.17.0.0/16 too (the engine's networks carry no lab packet)", () => {
    expect(() => assertNoSubnetCollision(topology('172.17.5.0/24', 'fd00:d0c::/64'), 's.yaml')).not.toThrow();
  });

  it("refuses a Docker host's lab network on the target's own docker0, naming the field", () => {
    expect(() => assertNoSubnetCollision(topology('172.17.5.0/24', 'fd77::/64'), 's.yaml', docker(false))).toThrow(
      "networks.lan.ipv4: 172.17.5.0/24 overlaps a bridge the target's own dockerd creates (docker0, 172.17.0.0/16)",
    );
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd77::/64'), 's.yaml', docker(false))).not.toThrow();
  });

  it('refuses the IPv6 bridge only where ip6tables gives the inner dockerd one', () => {
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd00:d0c::/64'), 's.yaml', docker(false))).not.toThrow();
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd00:d0c::/64'), 's.yaml', docker(true))).toThrow('networks.lan.ipv6: fd00:d0c::/64 overlaps');
  });

  it('refuses a lab network on a declared Docker network, naming both fields, per family', () => {
    const app = { name: 'app', ipv4: '172.30.0.0/24', ipv6: 'fd00:d0c:1::/64', internal: false };
    expect(() => assertNoSubnetCollision(topology('172.30.0.128/25', 'fd77::/64'), 's.yaml', docker(true, [app]))).toThrow(
      "networks.lan.ipv4: 172.30.0.128/25 overlaps a bridge the target's own dockerd creates (docker.networks.app.ipv4, 172.30.0.0/24)",
    );
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd00:d0c:1::/48'), 's.yaml', docker(true, [app]))).toThrow(
      "networks.lan.ipv6: fd00:d0c:1::/48 overlaps a bridge the target's own dockerd creates (docker.networks.app.ipv6, fd00:d0c:1::/64)",
    );
    // Beside it, and an IPv4-only network's IPv6 space: no clash.
    expect(() => assertNoSubnetCollision(topology('172.30.1.0/24', 'fd00:d0c:1::/64'), 's.yaml', docker(false, [{ ...app, ipv6: null }]))).not.toThrow();
  });
});
