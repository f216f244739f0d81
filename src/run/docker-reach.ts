/**
 * The Docker host's containers at their own addresses, as an attacker on the segment reaches them: each peer
 * routes Docker's bridge through the target (lab-setup.ts) and a real client connects to every service
 * inside each container, and to every port an expectation names for it. dockerd 20.10 accepts
 * `-d <container> --dport <container port>` in FORWARD whatever the host IP of the -p was, and a
 * DOCKER-USER rule that matches the published port (`--ctorigdstport 8080`) never sees such a client: a
 * scenario judged on the target's addresses alone would read "not exposed" while the container is reached.
 * Each outcome is an observation of `peer→<container>`, judged like a host behind the target. A container
 * on a user-defined bridge is tried the same way: each routed peer gets a host route to its address via
 * the target (docker0's subnet is routed by lab-setup.ts), so the br-… bridge's own rules decide.
 */
import type { Bounds } from '../model/bounds.ts';
import { FAMILIES, LOOPBACK, PROTOCOLS, type Observation, type PortState, type Protocol } from '../model/observation.ts';
import type { Scenario } from '../model/scenario.ts';
import { listedPorts } from '../model/scenario.ts';
import type { StartedDockerHost } from '../lab/docker-host.ts';
import { parseReceivedLog, type ProbeOutcome, type Received } from '../scan/probe/outcome.ts';
import { planProbes, type Probe } from '../scan/probe/plan.ts';
import { runProbes } from './corroboration.ts';
import type { Lab } from './lab-setup.ts';

/** The label of docker0 in a source's `network` (`lan@docker0`); a user bridge's is its network's name. */
const DOCKER0 = 'docker0';

/** Where fwprobe's listener logs what it received, inside each inner container as in the target. */
const RECEIVED_LOG = '/run/fwprobe/received.log';

/** The ports a peer tries on a container: its services, and every port an expectation names for it. */
export function containerPorts(scenario: Scenario, name: string): Record<Protocol, number[]> {
  const c = scenario.docker?.containers.find((x) => x.name === name);
  const out: Record<Protocol, number[]> = { tcp: [], udp: [] };
  for (const protocol of PROTOCOLS) {
    const own = (c?.services ?? []).filter((s) => s.protocol === protocol).map((s) => s.port);
    const named = scenario.expectations.filter((e) => e.host === name && e.protocol === protocol).flatMap(listedPorts);
    out[protocol] = [...new Set([...own, ...named])].sort((a, b) => a - b);
  }
  return out;
}

/**
 * The probes from every routed peer to every container address of a family it has: from each of the
 * peer's own sources (its lab address and the outside network's public one), from every source port the
 * run tries, as the peer's clients try the target.
 */
export function planContainerProbes(scenario: Scenario, lab: Pick<Lab, 'sources'>, docker: Pick<StartedDockerHost, 'containers'>, routed: readonly string[], sourcePorts: readonly number[]): Probe[] {
  return routed.flatMap((vantage) => {
    if (vantage === LOOPBACK) return [];
    const own = (lab.sources[vantage] ?? []).filter((s) => s.shape.kind === 'direct' && s.host === undefined);
    return docker.containers.flatMap((c) =>
      FAMILIES.flatMap((family) => {
        const address = family === 'ipv4' ? c.ipv4 : c.ipv6;
        if (!address) return [];
        const bridge = c.network === undefined || c.network === 'bridge' ? DOCKER0 : c.network;
        const sources = own
          .filter((s) => s.family === family)
          .map((s) => ({ ...s, network: `${s.network}@${bridge}`, shape: { kind: 'behind' as const, host: c.name }, host: c.name, target: address }));
        return planProbes(vantage, sources, containerPorts(scenario, c.name), { sourcePorts });
      }),
    );
  });
}

/** Sends the probes and reads each outcome as the state a client saw, with the inner listeners' logs for silent UDP. */
export async function probeContainers(lab: Lab, probes: readonly Probe[], bounds: Bounds): Promise<{ observations: Observation[]; outcomes: ProbeOutcome[] }> {
  if (probes.length === 0) return { observations: [], outcomes: [] };
  await routeUserBridges(lab, probes);
  const outcomes = await runProbes(lab, probes, bounds);
  const received = await receivedInside(lab, [...new Set(probes.map((p) => p.host!))]);
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  // One observation per port: open if any client got in, closed if one was refused, else what silence means.
  const groups = new Map<string, Probe[]>();
  for (const p of probes) {
    const key = `${p.vantage}|${p.host}|${p.family}|${p.protocol}|${p.port}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const observations = [...groups.values()].flatMap((group) => {
    const read = group.flatMap((p) => {
      const seen = byId.get(p.id);
      const state = seen ? stateOf(p, seen, received) : null;
      return state ? [{ p, ...state }] : [];
    });
    // A port no probe of which went out has no evidence: no observation, so an expectation of it is missing, never met.
    const best = RANK.map((state) => read.find((r) => r.state === state)).find((r) => r !== undefined);
    if (!best) return [];
    const first = group[0]!;
    const reached = read.filter((r) => r.state === 'open' || r.state === 'delivered').length;
    const refused = read.filter((r) => r.state === 'closed');
    const evidence = {
      probes: read.length,
      reached,
      ...(refused.length > 0 ? { refused: refused.length, refusedFrom: refused[0]!.p.source.target } : {}),
      sources: [...new Set(read.map((r) => `${r.p.source.address}:${r.p.sourcePort === 0 ? 'random' : r.p.sourcePort}`))],
    };
    return [{ vantage: first.vantage, host: first.host!, family: first.family, protocol: first.protocol, port: first.port, state: best.state, reason: best.reason, evidence }];
  });
  return { observations, outcomes };
}

/**
 * The routes a peer needs to a container on a user-defined bridge: one host route per container address
 * it probes (nothing else of the bridge's subnet), via the target's address its own sources use, the
 * next hop lab-setup.ts gives docker0's subnet. Per peer: the `ip` arguments, as one exec's arguments.
 */
export function userBridgeRoutes(lab: Pick<Lab, 'sources'>, probes: readonly Probe[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const p of probes) {
    if (p.source.network.endsWith(`@${DOCKER0}`)) continue;
    const via = (lab.sources[p.vantage] ?? []).find((s) => s.shape.kind === 'direct' && s.host === undefined && s.family === p.family)?.target;
    if (!via) continue;
    const route = [p.family === 'ipv4' ? '-4' : '-6', `${p.source.target}/${p.family === 'ipv4' ? 32 : 128}`, via].join(' ');
    out.set(p.vantage, (out.get(p.vantage) ?? new Set()).add(route));
  }
  return new Map([...out].map(([vantage, routes]) => [vantage, [...routes].sort().flatMap((r) => r.split(' '))]));
}

/** Replaces each route of `userBridgeRoutes` on its peer, one exec per peer (the addresses are arguments, never script text). */
async function routeUserBridges(lab: Lab, probes: readonly Probe[]): Promise<void> {
  const script = 'while [ "$#" -ge 3 ]; do ip "$1" route replace "$2" via "$3" || exit 1; shift 3; done';
  await Promise.all(
    [...userBridgeRoutes(lab, probes)].map(([vantage, args]) =>
      lab.peers.get(vantage)?.runOk(['sh', '-c', script, 'sh', ...args], { phase: `routing ${vantage} to the containers on Docker's user-defined bridges through the target` }),
    ),
  );
}

/** Which client's state a port reads as: any client that got in decides it. */
const RANK: readonly PortState[] = ['open', 'delivered', 'closed', 'filtered', 'open|filtered'];

function stateOf(p: Probe, o: ProbeOutcome, received: readonly Received[]): { state: PortState; reason: string } | null {
  const from = p.sourcePort === 0 ? p.source.address : `${p.source.address} port ${p.sourcePort}`;
  const at = `a client from ${from} to ${p.source.target}:${p.port}, routed through the target`;
  switch (o.result) {
    case 'connected':
      return { state: 'open', reason: `connected: ${at}` };
    case 'answered':
      return { state: 'open', reason: `udp-response: ${at}` };
    case 'refused':
      return { state: 'closed', reason: `refused: ${at}` };
    case 'timeout':
    case 'silent':
    case 'unreachable':
      if (p.protocol === 'udp' && o.token && received.some((r) => r.host === p.host && r.data === o.token)) return { state: 'delivered', reason: `delivered, no answer: ${at}` };
      return { state: p.protocol === 'udp' ? 'open|filtered' : 'filtered', reason: `no-response: ${at}` };
    case 'error':
    case 'aborted':
      return null;
  }
}

/** What each inner container's listener logged, read through the target's dockerd; a container that cannot be read adds nothing. */
async function receivedInside(lab: Lab, names: readonly string[]): Promise<Received[]> {
  const logs = await Promise.all(names.map((name) => lab.target.run(['docker', 'exec', name, 'cat', RECEIVED_LOG])));
  return logs.flatMap((log, i) => (log.exitCode === 0 ? parseReceivedLog(log.stdout, names[i]) : []));
}
