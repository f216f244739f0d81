/**
 * `docker.networks`: user-defined bridges the target's dockerd creates (`docker network create`), each
 * with the subnets the user writes, so that the lab's collision check and the peers' routes know them
 * before anything starts. The shape here; `normaliseDockerNetworks` checks what dockerd would refuse (an
 * overlap with docker0 or another network) or could not honour (IPv6 without the daemon's `ip6tables`).
 */
import { z } from 'zod';
import { DOCKER_BRIDGE_V4, DOCKER_DEFAULT_NETWORK, DOCKER_FIXED_CIDR_V6, type DaemonSpec, type DockerNetworkSpec } from '../model/docker.ts';
import { overlaps, parseSubnet } from '../model/subnet.ts';
import type { IssueList } from '../source/issues.ts';
import { labNameSchema, subnetSchema } from './topology-schema.ts';

/** Networks per Docker host: each is a bridge and its rules in the target, made before the containers. */
const MAX_NETWORKS = 4;
/** Docker's own networks (`bridge` is docker0, a container's default; `host` and `none` are no bridge), and docker0 itself. */
const RESERVED = ['bridge', 'host', 'none', 'docker0'];
/**
 * A container's address is probed from every peer, routed through the target: private space only, so a
 * misrouted probe can never be a packet to someone else's host.
 */
const PRIVATE = { 4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], 6: ['fc00::/7'] } as const;

function privateSubnet(family: 4 | 6, min: number, max: number, example: string, typeError?: string) {
  return subnetSchema(family, min, max, example, typeError).refine(
    (value) =>
      PRIVATE[family].some((p) => {
        const inner = parseSubnet(value);
        const outer = parseSubnet(p);
        return inner.prefix >= outer.prefix && overlaps(inner, outer);
      }),
    { error: `expected a private subnet (inside ${PRIVATE[family].join(', ')}): the peers probe the containers' addresses on it` },
  );
}

const networkSchema = z.strictObject({
  ipv4: privateSubnet(4, 16, 29, '172.30.0.0/24', "expected the network's IPv4 subnet, like 172.30.0.0/24: fwprobe checks it against the lab's networks before anything starts").describe(
    'The IPv4 subnet (`docker network create --subnet`), like 172.30.0.0/24.',
  ),
  ipv6: privateSubnet(6, 48, 120, 'fd00:d0c:1::/64').optional().describe('An IPv6 subnet too (`--ipv6 --subnet`), like fd00:d0c:1::/64; needs daemon.ip6tables. Default: IPv4 only.'),
  internal: z.boolean().optional().describe('`--internal`: Docker isolates the bridge (no route out, nothing published). Default: false.'),
});

export const dockerNetworksSchema = z
  .record(labNameSchema, networkSchema)
  .refine((n) => Object.keys(n).length <= MAX_NETWORKS, { error: `expected at most ${MAX_NETWORKS} networks` })
  .describe("User-defined bridges the target's dockerd creates, by name; a container joins one with `network: NAME`. Default: none (every container on docker0).");

export type DockerNetworksInput = z.output<typeof dockerNetworksSchema>;

/**
 * The declared networks, canonical, with every problem added to `issues` at its field: an IPv6 subnet
 * without `ip6tables`, and a subnet overlapping docker0's, `fixed-cidr-v6` or another network's (dockerd
 * refuses those: "Pool overlaps with other one on this address space").
 */
export function normaliseDockerNetworks(input: DockerNetworksInput | undefined, daemon: DaemonSpec, issues: IssueList): DockerNetworkSpec[] {
  const networks = Object.entries(input ?? {}).map(([name, n]) => ({
    name,
    ipv4: parseSubnet(n.ipv4).text,
    ipv6: n.ipv6 === undefined ? null : parseSubnet(n.ipv6).text,
    internal: n.internal ?? false,
  }));
  const taken = [
    { family: 'ipv4' as const, subnet: DOCKER_BRIDGE_V4, owner: `docker0 (${DOCKER_DEFAULT_NETWORK}, ${DOCKER_BRIDGE_V4})` },
    { family: 'ipv6' as const, subnet: DOCKER_FIXED_CIDR_V6, owner: `docker0's IPv6 (fixed-cidr-v6, ${DOCKER_FIXED_CIDR_V6})` },
  ];
  for (const n of networks) {
    // Checked here, not in the key's schema: a record key's own message does not reach the user.
    if (RESERVED.includes(n.name)) {
      issues.add(['docker', 'networks', n.name], `expected a name other than ${RESERVED.join(', ')}: those are Docker's own (a container without network is on bridge, docker0); rename it`);
    }
    if (n.ipv6 !== null && !daemon.ip6tables) {
      issues.add(['docker', 'networks', n.name, 'ipv6'], 'expected docker.daemon.ip6tables: true for an IPv6 network (dockerd writes no ip6tables rules without it): set it, or leave ipv6 out');
    }
    for (const family of ['ipv4', 'ipv6'] as const) {
      const subnet = n[family];
      if (subnet === null) continue;
      const clash = taken.find((t) => t.family === family && overlaps(parseSubnet(t.subnet), parseSubnet(subnet)));
      if (clash) issues.add(['docker', 'networks', n.name, family], `expected a subnet apart from ${clash.owner}, found ${subnet}: dockerd refuses overlapping pools; choose another`);
      taken.push({ family, subnet, owner: `docker.networks.${n.name}.${family} (${subnet})` });
    }
  }
  return networks;
}

/** The issue for a container naming a network the block does not declare, or null. */
export function networkReferenceProblem(network: string, networks: readonly DockerNetworkSpec[]): string | null {
  if (network === DOCKER_DEFAULT_NETWORK || networks.some((n) => n.name === network)) return null;
  const declared = networks.map((n) => n.name);
  return `expected ${DOCKER_DEFAULT_NETWORK} (docker0) or a network declared under docker.networks${declared.length > 0 ? ` (${declared.join(', ')})` : ' (none is)'}, found ${network}: declare it there, or leave network out for docker0`;
}
