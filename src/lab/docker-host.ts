/**
 * A scenario's `docker:` block in the lab: the target's real dockerd started with the declared daemon.json,
 * then each declared container run by it with its -p flags and fwprobe's listener inside (from the
 * target's /usr), as a booted Docker host has them. Returns what a scan needs afterwards: the inner
 * containers' addresses (the only ones the scope guard may add), Docker's bridge subnets (the peers'
 * routes through the target) and the rules as the kernel now has them, Docker's and the user's together.
 */
import { DOCKER_FIXED_CIDR_V6, publishFlag, type DockerSpec } from '../model/docker.ts';
import type { AppliedRuleset } from '../model/ruleset.ts';
import { ipVersion } from '../model/ip.ts';
import { LabSelfCheckError } from '../model/errors.ts';
import { savedRuleset } from './apply-ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { runPublished, startDockerd, type DaemonConfig } from './dockerd-host.ts';

export interface StartedDockerHost {
  /** Each inner container with the addresses its dockerd gave it (IPv6 only with `ip6tables`). */
  containers: { name: string; ipv4: string; ipv6: string | null }[];
  /** Docker's bridge network (`docker0`), per family. */
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
 * Starts dockerd in `target` (a `DockerdHostContainer`) and runs every declared container, one by one (so
 * dockerd hands out the same addresses in every run), then reads the rules. Three steps, timed apart:
 * `docker` (dockerd answering), `docker containers`, `docker rules`.
 */
export async function startDockerHost(target: StartedFwprobeContainer, spec: DockerSpec, step: DockerStep = (_name, work) => work()): Promise<StartedDockerHost> {
  const readySeconds = await step('docker', () => startDockerd(target, daemonJson(spec.daemon)));
  const containers = await step('docker containers', async () => {
    const out: StartedDockerHost['containers'] = [];
    for (const c of spec.containers) {
      const { ipv4, ipv6 } = await runPublished(target, { name: c.name, publish: c.publish.map(publishFlag), services: c.services }, spec.daemon.ip6tables);
      // The scope guard learns these: anything but an address of this dockerd's own container is refused here.
      if (ipVersion(ipv4) !== 4 || (ipv6 !== '' && ipVersion(ipv6) !== 6)) {
        throw new LabSelfCheckError(`docker inspect ${c.name} in the target gave no container address (${JSON.stringify(ipv4)} ${JSON.stringify(ipv6)})`);
      }
      out.push({ name: c.name, ipv4, ipv6: ipv6 === '' ? null : ipv6 });
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
