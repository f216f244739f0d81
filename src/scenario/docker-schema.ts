/**
 * The `docker:` block: the Docker host being tested (its daemon.json keys that shape published ports, the
 * user-defined bridges it creates, and the containers its dockerd runs, each on docker0 or one of those
 * bridges, with `docker run -p` strings and the services inside it). The
 * shape here; the published-port checks across containers and the target's own services in
 * `normaliseDocker`, which turns it into the runner's `DockerSpec`.
 */
import { z } from 'zod';
import { expandRanges, parsePortRef, portRefProblem } from '../model/ports.ts';
import { DOCKER_DEFAULT_NETWORK, type DockerSpec, type PublishedPort } from '../model/docker.ts';
import type { ServiceSpec } from '../model/scenario.ts';
import type { IssueList } from '../source/issues.ts';
import { dockerNetworksSchema, networkReferenceProblem, normaliseDockerNetworks } from './docker-networks.ts';
import { parsePublish, publishProblem } from './docker-publish.ts';
import { list } from './schema-fields.ts';
import { labNameSchema } from './topology-schema.ts';

/** Containers per Docker host: each is a `docker run` (about a second under load) before the scans. */
const MAX_CONTAINERS = 8;
/** Host ports one scenario may publish: each is a DNAT rule and, with the proxy, a docker-proxy process. */
const MAX_PUBLISHED_PORTS = 64;

function checked(problem: (s: string) => string | null, description: string) {
  return z
    .string()
    .superRefine((s, ctx) => {
      const message = problem(s);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .describe(description);
}

const containerSchema = z.strictObject({
  network: labNameSchema.optional().describe('The Docker network it joins: bridge (docker0) or a name under docker.networks. Default: bridge.'),
  publish: list(checked(publishProblem, 'docker run -p syntax: "8080:80", "127.0.0.1:5432:5432", "[::]:8443:443/tcp", "5353:53/udp", "8000-8001:80-81".'))
    .optional()
    .describe('Ports published on the target, as `docker run -p` writes them. Default: none.'),
  services: list(checked(portRefProblem, 'A port or range with its protocol: "80/tcp".'))
    .min(1, { error: 'expected at least one service ("80/tcp"): what listens inside the container' })
    .describe('What listens inside the container: "80/tcp", "53/udp".'),
});

export const dockerSchema = z
  .strictObject({
    daemon: z
      .strictObject({
        iptables: z.boolean().optional().describe('dockerd writes its iptables rules. Default: true.'),
        ip6tables: z.boolean().optional().describe('IPv6 rules and an IPv6 bridge (fd00:d0c::/64); 20.10 needs experimental, which fwprobe then sets. Default: false (20.10).'),
        'userland-proxy': z.boolean().optional().describe('docker-proxy listens for each published port, on [::] too. Default: true.'),
      })
      .optional()
      .describe("The host's /etc/docker/daemon.json keys that shape published ports."),
    networks: dockerNetworksSchema.optional(),
    containers: z
      .record(labNameSchema, containerSchema)
      .refine((c) => Object.keys(c).length >= 1 && Object.keys(c).length <= MAX_CONTAINERS, { error: `expected 1 to ${MAX_CONTAINERS} containers` })
      .describe("Containers the target's dockerd runs (Debian's docker.io 20.10), by name."),
  })
  .describe("The target is a Docker host: a real dockerd runs in it, after the ruleset as at boot (the admin's rules load before docker.service), and starts these containers.");

export type DockerInput = z.output<typeof dockerSchema>;

/**
 * The block with every default filled, or null with issues: a host port published twice (Docker refuses
 * the second), or one the target's own services hold (docker-proxy could not bind it).
 */
export function normaliseDocker(input: DockerInput, services: readonly ServiceSpec[], issues: IssueList): DockerSpec | null {
  const before = issues.items.length;
  const daemonInput = input.daemon ?? {};
  const daemon = { iptables: daemonInput.iptables ?? true, ip6tables: daemonInput.ip6tables ?? false, userlandProxy: daemonInput['userland-proxy'] ?? true };
  const networks = normaliseDockerNetworks(input.networks, daemon, issues);
  const taken = new Map<string, string>();
  for (const s of services) taken.set(`${s.protocol}/${s.port}`, `services: the target's own ${s.port}/${s.protocol}`);
  let published = 0;
  let inner = 0;
  const containers = Object.entries(input.containers).map(([name, c]) => {
    const publish = (c.publish ?? []).flatMap((text, index) => {
      const parsed = parsePublish(text);
      if ('problem' in parsed) return [];
      published += parsed.host.to - parsed.host.from + 1;
      for (const port of expandRanges([parsed.host])) {
        const key = `${parsed.protocol}/${port}`;
        const holder = taken.get(key);
        // Two different host addresses may share a port; fwprobe keeps it simple and names the clash.
        if (holder) issues.add(['docker', 'containers', name, 'publish', index], `expected each host port once, found ${key} again (already ${holder})`);
        taken.set(key, `published by ${name}`);
      }
      return [parsed satisfies PublishedPort];
    });
    const inside = c.services.flatMap((ref) => {
      const r = parsePortRef(ref);
      return expandRanges([r]).map((port) => ({ protocol: r.protocol, port }));
    });
    inner += inside.length;
    const network = c.network ?? DOCKER_DEFAULT_NETWORK;
    const unknown = networkReferenceProblem(network, networks);
    if (unknown) issues.add(['docker', 'containers', name, 'network'], unknown);
    return { name, network, publish, services: inside };
  });
  if (inner > MAX_PUBLISHED_PORTS) issues.add(['docker', 'containers'], `expected at most ${MAX_PUBLISHED_PORTS} services inside the containers, found ${inner}`);
  if (published > MAX_PUBLISHED_PORTS) issues.add(['docker', 'containers'], `expected at most ${MAX_PUBLISHED_PORTS} published host ports, found ${published}`);
  if (issues.items.length > before) return null;
  return { daemon, networks, containers };
}

/** The target's ports the containers publish, as services for the scan selection (never started by fwprobe). */
export function publishedPorts(spec: DockerSpec | null): ServiceSpec[] {
  return (spec?.containers ?? []).flatMap((c) => c.publish.flatMap((p) => expandRanges([p.host]).map((port) => ({ protocol: p.protocol, port, bind: 'any' }))));
}
