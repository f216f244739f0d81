/**
 * Before anything starts: a subnet the scenario chose must not overlap a network the Docker engine already
 * has. The lab never uses the engine's networks, but a lab address that is also an address of the user's
 * real networks would make every report ambiguous about which host answered, and a mistake in a subnet
 * (192.168.1.0/24 meant as the office LAN) is better named now than discovered in a report.
 */
import { SubnetCollisionError } from '../model/errors.ts';
import type { Topology } from '../model/topology.ts';
import { overlaps, parseSubnet } from '../model/subnet.ts';
import { LABEL } from './cleanup.ts';
import { getDocker } from './docker.ts';
import { withDeadline } from '../model/deadline.ts';

/** @throws SubnetCollisionError naming the scenario's network, its subnet, and the engine's network. */
export async function assertNoSubnetCollision(topology: Topology, file: string): Promise<void> {
  const chosen = topology.networks.flatMap((n) => (['ipv4', 'ipv6'] as const).filter((family) => n.chosen[family]).map((family) => ({ name: n.name, family, subnet: parseSubnet(n[family]) })));
  if (chosen.length === 0) return;
  const engine = await withDeadline(getDocker().listNetworks(), 30_000, "listing the engine's networks", 'exec');
  const clashes: string[] = [];
  for (const network of engine) {
    // Networks of older fwprobe runs are swept, not collided with.
    if (network.Labels?.[LABEL]) continue;
    for (const config of network.IPAM?.Config ?? []) {
      if (!config.Subnet) continue;
      const theirs = (() => {
        try {
          return parseSubnet(config.Subnet);
        } catch {
          return null;
        }
      })();
      const mine = theirs && chosen.find((c) => overlaps(c.subnet, theirs));
      if (mine) clashes.push(`networks.${mine.name}.${mine.family}: ${mine.subnet.text} overlaps the engine's network "${network.Name}" (${theirs.text})`);
    }
  }
  if (clashes.length > 0) {
    throw new SubnetCollisionError(
      `${file}: a subnet collides with another network on the Docker engine:\n- ${clashes.join('\n- ')}\n` +
        'Choose a subnet no engine network uses (docker network inspect shows theirs), or leave it out for a free one.',
    );
  }
}
