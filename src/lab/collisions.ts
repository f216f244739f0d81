/**
 * Before anything starts: a lab subnet must not overlap a network the lab itself holds. Lab containers run
 * with no engine network (`NetworkMode: none`) and their networks are wired inside them, so the engine's
 * own networks (docker0 on the machine, a user's compose networks) never carry a lab packet: overlapping
 * them is allowed, and a real test proves it. The one clash that is real is inside a Docker-host target,
 * whose own dockerd makes docker0 (172.17.0.0/16), with `ip6tables` its IPv6 bridge, and every network
 * `docker.networks` declares: a lab network there would share the target's routes (and the peers' routes
 * through it) with the containers'. That one is refused, naming both fields.
 */
import { SubnetCollisionError } from '../model/errors.ts';
import { DOCKER_BRIDGE_V4, DOCKER_FIXED_CIDR_V6, type DockerSpec } from '../model/docker.ts';
import type { Topology } from '../model/topology.ts';
import { overlaps, parseSubnet } from '../model/subnet.ts';

/** @throws SubnetCollisionError naming the scenario's network, its subnet, and the bridge it overlaps. */
export function assertNoSubnetCollision(topology: Topology, file: string, docker?: DockerSpec): void {
  if (!docker) return;
  const bridges = [
    { family: 'ipv4' as const, subnet: parseSubnet(DOCKER_BRIDGE_V4), name: 'docker0' },
    ...(docker.daemon.ip6tables ? [{ family: 'ipv6' as const, subnet: parseSubnet(DOCKER_FIXED_CIDR_V6), name: "docker0's IPv6 (fixed-cidr-v6)" }] : []),
    ...docker.networks.flatMap((n) => [
      { family: 'ipv4' as const, subnet: parseSubnet(n.ipv4), name: `docker.networks.${n.name}.ipv4` },
      ...(n.ipv6 === null ? [] : [{ family: 'ipv6' as const, subnet: parseSubnet(n.ipv6), name: `docker.networks.${n.name}.ipv6` }]),
    ]),
  ];
  const clashes = topology.networks.flatMap((n) =>
    bridges
      .filter((b) => overlaps(parseSubnet(n[b.family]), b.subnet))
      .map((b) => `networks.${n.name}.${b.family}: ${n[b.family]} overlaps a bridge the target's own dockerd creates (${b.name}, ${b.subnet.text})`),
  );
  if (clashes.length > 0) {
    throw new SubnetCollisionError(
      `${file}: a lab subnet collides with the Docker host's own bridge:\n- ${clashes.join('\n- ')}\n` +
        'Choose another subnet for that network (or the Docker network), or leave the lab subnet out for a free one.',
    );
  }
}
