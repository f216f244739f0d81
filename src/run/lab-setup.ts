/**
 * The lab a scenario runs in: the target, its peers and the hosts behind it, started side by side with no
 * Docker network, then wired by the lab switch into the scenario's topology (see lab/wiring.ts). It also
 * says what each vantage scans and probes from where; the scope guard learns exactly these addresses.
 */
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/container.ts';
import type { Disposer } from '../lab/disposer.ts';
import { assertNoSubnetCollision } from '../lab/collisions.ts';
import { linkLocalAddress, wireLab, type WiredHost } from '../lab/wiring.ts';
import { ensureDockerdImage } from '../lab/dockerd-image.ts';
import { DockerdHostContainer } from '../lab/dockerd-host.ts';
import type { StartedDockerHost } from '../lab/docker-host.ts';
import type { Bounds } from '../model/bounds.ts';
import { CommandFailedError, InternalError } from '../model/errors.ts';
import { FAMILIES, LOOPBACK, type Family, type Vantage } from '../model/observation.ts';
import type { Scenario, ServiceSpec } from '../model/scenario.ts';
import type { ProbeSource } from '../scan/probe/plan.ts';
import { JOINED_GROUPS_COMMAND, parseJoinedGroups } from '../scan/probe/shapes/joined-groups.ts';
import { loopbackSources, peerSources } from '../scan/probe/shapes/peer-sources.ts';
import { LabScope } from '../scan/scope.ts';

/** One host a vantage scans: the target (no `host`) or a host behind it, at the address this vantage uses. */
export interface ScanTarget {
  host?: string;
  address: Record<Family, string>;
  /** The scanner's own address towards `address`: every scan of it leaves from here (nmap `-S`). */
  from: Record<Family, string>;
  /** The scanner's interface `from` is on (nmap `-e`). */
  device: string;
}

export interface Lab {
  target: StartedFwprobeContainer;
  /** Peers by name. */
  peers: Map<string, StartedFwprobeContainer>;
  /** Hosts behind the target by name, with their services. */
  behind: Map<string, { container: StartedFwprobeContainer; services: readonly ServiceSpec[] }>;
  scope: LabScope;
  /** Client probe sources per vantage (each names the host it probes). */
  sources: Record<Vantage, ProbeSource[]>;
  /** What each vantage scans. */
  scanTargets: Record<Vantage, ScanTarget[]>;
  /** The target's own lab addresses: they must stay up while the scans run. */
  targetAddresses: string[];
  /** Every address of a peer or a host behind: the target must have a route back to each. */
  peerAddresses: string[];
}

type Phase = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export async function startLab(scenario: Scenario, image: string, bounds: Bounds, lab: Disposer, phase: Phase): Promise<Lab> {
  const { topology } = scenario;
  // Before anything starts: a lab subnet a Docker host's own bridge would share is named, not half-wired.
  await phase('network', async () => assertNoSubnetCollision(topology, scenario.file, scenario.docker));
  const peerNames = scenario.vantages.filter((v) => v !== LOOPBACK);
  const peerSpecs = topology.peers.filter((p) => peerNames.includes(p.name));
  const wired = peerSpecs.length > 0 || topology.behind.length > 0;
  const base = () => new FwprobeContainer(image).withBounds(bounds);
  // Only a scenario that declares `docker:` gets the Docker host: SYS_ADMIN and no seccomp filter.
  const dockerImage = scenario.docker ? await phase('docker image', () => ensureDockerdImage(image)) : null;
  const targetBuilder = (dockerImage ? new DockerdHostContainer(dockerImage).withBounds(bounds) : base()).withServices(scenario.services).withBackend(scenario.backend);
  if (topology.target.role === 'router') targetBuilder.withForwarding();
  const builders = [targetBuilder, ...peerSpecs.map(() => base().withNonlocalBind()), ...topology.behind.map((b) => base().withServices(b.services)), ...(wired ? [base().withHostPid()] : [])];
  const started = await phase('containers', async () => {
    const settled = await Promise.allSettled(builders.map((b) => b.start()));
    // Whatever started is registered for removal (all at once) before a failure of another is rethrown.
    const ok = settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    lab.use({ [Symbol.asyncDispose]: () => Promise.all(ok.map((c) => c.remove())).then(() => {}) });
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    return ok;
  });
  const target = started[0]!;
  const peers = new Map(peerSpecs.map((p, i) => [p.name, started[1 + i]!]));
  const behindStarted = topology.behind.map((b, i) => ({ spec: b, container: started[1 + peerSpecs.length + i]! }));
  const hosts: WiredHost[] = [
    { name: 'target', container: target, interfaces: wired ? topology.target.interfaces : [] },
    ...peerSpecs.map((p) => ({ name: p.name, container: peers.get(p.name)!, interfaces: p.interfaces, spoofs: true })),
    ...behindStarted.map(({ spec, container }) => ({ name: spec.name, container, interfaces: spec.interfaces })),
  ];
  // The switch lives as long as the lab: its bridges are the networks, and removing a veth end removes both.
  // The groups the target's interfaces are in, as destinations an attacker on the segment can send to. Read
  // once wired (in the exec that configured the target), before the services start: the kernel's groups are
  // all there then, and fwprobe's listener joins none. TODO: a group a ruleset script's own daemon joins later is not read.
  const groups = wired ? (await phase('wiring', () => wireLab(started.at(-1)!, topology, hosts, { afterTarget: JOINED_GROUPS_COMMAND }))).afterTarget : null;
  if (wired && !groups) throw new InternalError("the target's multicast groups were not read while wiring");
  if (groups && groups.exitCode !== 0) throw new CommandFailedError(groups);
  const joined = groups ? parseJoinedGroups(groups.stdout) : new Map<string, string[]>();
  return describe(scenario, target, peers, behindStarted, joined);
}

function describe(
  scenario: Scenario,
  target: StartedFwprobeContainer,
  peers: Map<string, StartedFwprobeContainer>,
  behindStarted: { spec: Scenario['topology']['behind'][number]; container: StartedFwprobeContainer }[],
  joined: ReadonlyMap<string, readonly string[]>,
): Lab {
  const { topology } = scenario;
  const scope = new LabScope();
  const sources: Record<Vantage, ProbeSource[]> = { [LOOPBACK]: loopbackSources() };
  const scanTargets: Record<Vantage, ScanTarget[]> = {
    [LOOPBACK]: [{ address: { ipv4: '127.0.0.1', ipv6: '::1' }, from: { ipv4: '127.0.0.1', ipv6: '::1' }, device: 'lo' }],
  };
  const targetIfs = topology.target.interfaces;
  for (const iface of targetIfs) for (const family of FAMILIES) scope.allowLabAddress(iface[family], family);
  for (const { spec } of behindStarted) for (const family of FAMILIES) scope.allowLabAddress(spec.interfaces[0][family], family);
  const peerAddresses: string[] = [];
  for (const [p, peer] of topology.peers.filter((spec) => peers.has(spec.name)).entries()) {
    // Hosts are wired in the order target, peers (see wiring.ts): the peer is host 1 + p.
    const linkLocal = (who: 'peer' | 'target', i: number) => linkLocalAddress(who === 'peer' ? 1 + p : 0, i);
    const composed = peerSources({ topology, peer, linkLocal, allowed: (kind) => allowedSource(scenario, kind), joined });
    if (!composed) continue;
    const { first } = composed;
    // Every scan leaves from the peer's own address on its first segment, the one its routes through the
    // target use (lab/wiring.ts), as the `behind` clients do: the spoof addresses on that interface share a
    // longer prefix with the networks behind, and the kernel would pick one of them.
    const own = { from: { ipv4: first.peer.ipv4, ipv6: first.peer.ipv6 }, device: first.peer.name };
    const targets: ScanTarget[] = [{ address: { ipv4: first.target.ipv4, ipv6: first.target.ipv6 }, ...own }];
    // A host behind is scanned through the target from every peer that is not on its network.
    for (const { spec } of behindStarted) {
      const inner = spec.interfaces[0];
      if (peer.interfaces.some((i) => i.network === inner.network)) continue;
      targets.push({ host: spec.name, address: { ipv4: inner.ipv4, ipv6: inner.ipv6 }, ...own });
    }
    sources[peer.name] = composed.sources;
    scanTargets[peer.name] = targets;
    peerAddresses.push(...peer.interfaces.flatMap((i) => [i.ipv4, i.ipv6]));
  }
  for (const { spec } of behindStarted) peerAddresses.push(spec.interfaces[0].ipv4, spec.interfaces[0].ipv6);
  const behind = new Map(behindStarted.map(({ spec, container }) => [spec.name, { container, services: spec.services }]));
  const targetAddresses = peers.size > 0 || behind.size > 0 ? targetIfs.flatMap((i) => [i.ipv4, i.ipv6]) : [];
  return { target, peers, behind, scope, sources, scanTargets, targetAddresses, peerAddresses };
}

/** The default peer probes from the sources `sources.peer` names; a declared peer from each of its addresses. */
function allowedSource(scenario: Scenario, kind: 'lab' | 'public'): boolean {
  return scenario.topology.declared || scenario.sources.peer.includes(kind);
}

/**
 * The inner containers of the target's dockerd are hosts behind the target: their addresses join the
 * scope (exactly those, read from that dockerd), and every peer on a network of the target routes Docker's
 * bridge subnets through it, as an attacker on the segment can. Returns the peers so routed.
 */
export async function addDockerContainers(scenario: Scenario, lab: Lab, docker: StartedDockerHost): Promise<string[]> {
  for (const c of docker.containers) {
    lab.scope.allowLabAddress(c.ipv4, 'ipv4');
    if (c.ipv6) lab.scope.allowLabAddress(c.ipv6, 'ipv6');
  }
  const targetIfs = scenario.topology.target.interfaces;
  const routed: string[] = [];
  await Promise.all(
    [...lab.peers].map(async ([name, peer]) => {
      const spec = scenario.topology.peers.find((p) => p.name === name);
      const via = targetIfs.find((t) => spec?.interfaces.some((i) => i.network === t.network));
      if (!via) return;
      routed.push(name);
      await peer.runOk(['ip', 'route', 'replace', docker.subnets.ipv4, 'via', via.ipv4], { phase: `routing ${name} to Docker's bridge through the target` });
      if (docker.subnets.ipv6) await peer.runOk(['ip', '-6', 'route', 'replace', docker.subnets.ipv6, 'via', via.ipv6], { phase: `routing ${name} to Docker's bridge through the target` });
    }),
  );
  return routed.sort();
}
