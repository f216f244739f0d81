/**
 * The Docker host's containers at their own addresses, as an attacker on the segment reaches them: each peer
 * routes Docker's bridge through the target (lab-setup.ts) and a real client connects to every service
 * inside each container, and to every port an expectation names for it. dockerd 20.10 accepts
 * `-d <container> --dport <container port>` in FORWARD whatever the host IP of the -p was, and a
 * DOCKER-USER rule that matches the published port (`--ctorigdstport 8080`) never sees such a client: a
 * scenario judged on the target's addresses alone would read "not exposed" while the container is reached.
 * Each outcome is an observation of `peer→<container>`, judged like a host behind the target.
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

/** The probes from every routed peer to every container address of a family it has, one source port each. */
export function planContainerProbes(scenario: Scenario, lab: Pick<Lab, 'scanTargets'>, docker: Pick<StartedDockerHost, 'containers'>, routed: readonly string[]): Probe[] {
  return routed.flatMap((vantage) => {
    const own = lab.scanTargets[vantage]?.[0];
    if (!own || vantage === LOOPBACK) return [];
    return docker.containers.flatMap((c) =>
      FAMILIES.flatMap((family) => {
        const address = family === 'ipv4' ? c.ipv4 : c.ipv6;
        if (!address) return [];
        const source = { kind: 'lab' as const, network: 'docker0', shape: { kind: 'behind' as const, host: c.name }, host: c.name, family, address: own.from[family], target: address };
        return planProbes(vantage, [source], containerPorts(scenario, c.name), { sourcePorts: [0] });
      }),
    );
  });
}

/** Sends the probes and reads each outcome as the state a client saw, with the inner listeners' logs for silent UDP. */
export async function probeContainers(lab: Lab, probes: readonly Probe[], bounds: Bounds): Promise<{ observations: Observation[]; outcomes: ProbeOutcome[] }> {
  if (probes.length === 0) return { observations: [], outcomes: [] };
  const outcomes = await runProbes(lab, probes, bounds);
  const received = await receivedInside(lab, [...new Set(probes.map((p) => p.host!))]);
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const observations = probes.flatMap((p) => {
    const seen = byId.get(p.id);
    const read = seen ? stateOf(p, seen, received) : null;
    // A probe that never went out is no evidence: no observation, so an expectation of it is missing, never met.
    if (!read) return [];
    const reached = read.state === 'open' || read.state === 'delivered' ? 1 : 0;
    const evidence = { probes: 1, reached, ...(read.state === 'closed' ? { refused: 1, refusedFrom: p.source.target } : {}), sources: [`${p.source.address}:random`] };
    return [{ vantage: p.vantage, host: p.host!, family: p.family, protocol: p.protocol, port: p.port, state: read.state, reason: read.reason, evidence }];
  });
  return { observations, outcomes };
}

function stateOf(p: Probe, o: ProbeOutcome, received: readonly Received[]): { state: PortState; reason: string } | null {
  const at = `a client from ${p.source.address} to ${p.source.target}:${p.port}, routed through the target`;
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
