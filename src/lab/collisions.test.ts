import { describe, expect, it } from 'vitest';
import type { DockerSpec } from '../model/docker.ts';
import { labNetwork, type Topology } from '../model/topology.ts';
import { assertNoSubnetCollision } from './collisions.ts';

const topology = (ipv4: string, ipv6: string) => ({ networks: [labNetwork('lan', ipv4, ipv6, { ipv4: true, ipv6: true })] }) as unknown as Topology;
const docker = (ip6tables: boolean): DockerSpec => ({ daemon: { iptables: true, ip6tables, 'userland-proxy': true }, containers: [] }) as unknown as DockerSpec;

describe('assertNoSubnetCollision', () => {
  it("allows any subnet without a docker: block, 172.17.0.0/16 too (the engine's networks carry no lab packet)", () => {
    expect(() => assertNoSubnetCollision(topology('172.17.5.0/24', 'fd00:d0c::/64'), 's.yaml')).not.toThrow();
  });

  it("refuses a Docker host's lab network on the target's own docker0, naming the field", () => {
    expect(() => assertNoSubnetCollision(topology('172.17.5.0/24', 'fd77::/64'), 's.yaml', docker(false))).toThrow(
      "networks.lan.ipv4: 172.17.5.0/24 overlaps the bridge the target's own dockerd creates (docker0, 172.17.0.0/16)",
    );
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd77::/64'), 's.yaml', docker(false))).not.toThrow();
  });

  it('refuses the IPv6 bridge only where ip6tables gives the inner dockerd one', () => {
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd00:d0c::/64'), 's.yaml', docker(false))).not.toThrow();
    expect(() => assertNoSubnetCollision(topology('10.9.0.0/24', 'fd00:d0c::/64'), 's.yaml', docker(true))).toThrow('networks.lan.ipv6: fd00:d0c::/64 overlaps');
  });
});
