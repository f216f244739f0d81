/**
 * A scenario's `docker:` block in the lab: the target's real dockerd started with the declared daemon.json,
 * its declared user-defined bridges created by it, then each declared container run by it on its network
 * with its -p flags and fwprobe's listener inside (from the target's /usr), as a booted Docker host has
 * them. Returns what a scan needs afterwards: the inner containers' addresses (the only ones the scope
 * guard may add, each checked to lie in its network's subnet), Docker's bridge subnets (the peers' routes
 * through the target) and the rules as the kernel now has them, Docker's and the user's together.
 */
import { containerSubnets, DOCKER_FIXED_CIDR_V6, publishFlag, type DockerSpec } from '../model/docker.ts';
import type { AppliedRuleset } from '../model/ruleset.ts';
import { ipVersion } from '../model/ip.ts';
import { contains, parseSubnet } from '../model/subnet.ts';
import { LabSelfCheckError } from '../model/errors.ts';
import { savedRuleset } from './apply-ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { createNetworks, runPublished, startDockerd, type DaemonConfig } from './dockerd-host.ts';

export interface StartedDockerHost {
  /**
   * Each inner container with the addresses its dockerd gave it on its network (IPv6 only where that
   * network has it) and the network's name (`bridge` for docker0). @default network 'bridge'
   */
  containers: { name: string; network?: string; ipv4: string; ipv6: string | null }[];
  /** Docker's default bridge network (`docker0`), per family; a user-defined bridge's are the scenario's. */
  subnets: { ipv4: string; ipv6: string | null };
  /** Both families' rules after dockerd wrote its own. */
  saved: AppliedRuleset;
  /** Seconds dockerd took to answer. */
  readySeconds: number;
}

/** The daemon.json fwprobe writes: 20.10 needs `experimental` and an IPv6 bridge for `ip6tables`. */
export function daemonJson(spec: DockerSpec['daemon']): DaemonConfig {
  const v6 = spec.ip6tables ? { experimental: true, ipv6: true, 'fixed-cidr-v6': DOCKER_FIXED_CIDR_V6, ip6tables: true } : {};
  return { iptables: spec.iptables, 'userland-proxy': spec.userlandProxy, ...v6 };
}

/** Runs `work` as a named step of the scenario (the runner's phase timer); by default just runs it. */
export type DockerStep = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/**
 * Starts dockerd in `target` (a `DockerdHostContainer`), creates the declared networks and runs every
 * declared container, one by one (so dockerd hands out the same addresses in every run), then reads the
 * rules. Steps, timed apart: `docker` (dockerd answering), `docker networks` (only with networks declared),
 * `docker containers`, `docker rules`.
 */
export async function startDockerHost(target: StartedFwprobeContainer, spec: DockerSpec, step: DockerStep = (_name, work) => work()): Promise<StartedDockerHost> {
  const readySeconds = await step('docker', () => startDockerd(target, daemonJson(spec.daemon)));
  if (spec.networks.length > 0) await step('docker networks', () => createNetworks(target, spec.networks));
  const containers = await step('docker containers', async () => {
    const out: StartedDockerHost['containers'] = [];
    for (const c of spec.containers) {
      const subnets = containerSubnets(spec, c);
      const { ipv4, ipv6 } = await runPublished(target, { name: c.name, network: c.network, publish: c.publish.map(publishFlag), services: c.services }, subnets.ipv6 !== null);
      // The scope guard learns these: anything but an address of this dockerd's own container, on the
      // network the scenario gave it, is refused here.
      const inSubnet = (address: string, subnet: string | null) => subnet !== null && ipVersion(address) !== 0 && contains(parseSubnet(subnet), address);
      if (!inSubnet(ipv4, subnets.ipv4) || (ipv6 !== '' && !inSubnet(ipv6, subnets.ipv6))) {
        throw new LabSelfCheckError(
          `docker inspect ${c.name} in the target gave no address of its network ${c.network} (${subnets.ipv4}${subnets.ipv6 ? `, ${subnets.ipv6}` : ''}): ${JSON.stringify(ipv4)} ${JSON.stringify(ipv6)}`,
        );
      }
      out.push({ name: c.name, network: c.network, ipv4, ipv6: ipv6 === '' ? null : ipv6 });
    }
    return out;
  });
  return step('docker rules', async () => {
    const [subnetText, saved] = await Promise.all([target.runOk(['docker', 'network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', 'bridge']), savedRuleset(target)]);
    const subnetList = subnetText.trim().split(/\s+/);
    const subnets = { ipv4: subnetList.find((s) => ipVersion(s.split('/')[0] ?? '') === 4) ?? '', ipv6: subnetList.find((s) => ipVersion(s.split('/')[0] ?? '') === 6) ?? null };
    if (subnets.ipv4 === '') throw new LabSelfCheckError(`docker network inspect bridge in the target gave no IPv4 subnet (${JSON.stringify(subnetList)})`);
    return { containers, subnets, saved, readySeconds };
  });
}
