/**
 * Real clients against the target, in the lab's containers: once before any ruleset (the reachability
 * check: every service must answer, so the network itself can never pass for a filter), and once with the
 * ruleset in force, to back or overrule what nmap read for each port of interest. The planning, sending,
 * retrying and reading live in scan/probe/; this file only says which container runs what.
 */
import type { StartedFwprobeContainer } from '../lab/container.ts';
import type { Bounds } from '../model/bounds.ts';
import { InternalError } from '../model/errors.ts';
import { LOOPBACK, type Vantage } from '../model/observation.ts';
import type { Scenario } from '../model/scenario.ts';
import { parseReceivedLog, type ProbeOutcome, type Received } from '../scan/probe/outcome.ts';
import { planProbes, type Probe } from '../scan/probe/plan.ts';
import { NO_NAT_PORTS, portsToProbe, type NatPorts } from '../scan/probe/ports.ts';
import { checkReachability, planReachability } from '../scan/probe/reachability.ts';
import { AFTER_FAILED, probeRepeatedly, runProbes as sendProbes, type RunProbesOptions, type VantageExec } from '../scan/probe/runner.ts';
import { withVariants } from '../scan/probe/variants.ts';
import type { Lab } from './lab-setup.ts';

export { chanceRounds } from '../scan/probe/runner.ts';
export { portsToProbe } from '../scan/probe/ports.ts';

/** Where the listener logs what reached it (containers/target/listener.pl). */
const RECEIVED_LOG = '/run/fwprobe/received.log';

/**
 * Every probe of the scenario's vantages, to the target and to the hosts behind it.
 * @param natPorts - Ports NAT maps onto a target's service (ruleset/nat-ports.ts). @default none
 */
export function planAll(scenario: Scenario, lab: Lab, busy: ReadonlySet<string>, natPorts: NatPorts = NO_NAT_PORTS): Probe[] {
  const sourcePorts = scenario.sources.ports;
  return withVariants(
    scenario.vantages.flatMap((vantage) =>
      (lab.sources[vantage] ?? []).flatMap((source) => planProbes(vantage, [source], portsToProbe(scenario, source.host, natPorts), vantage === LOOPBACK ? { busy, sourcePorts } : { sourcePorts })),
    ),
  );
}

/** The container a vantage's clients run in: the target for loopback, otherwise the peer of that name. */
function hostOf(lab: Pick<Lab, 'target' | 'peers'>, vantage: Vantage): StartedFwprobeContainer {
  const host = vantage === LOOPBACK ? lab.target : lab.peers.get(vantage);
  if (!host) throw new InternalError(`no host for the ${vantage} probes`);
  return host;
}

function execIn(lab: Pick<Lab, 'target' | 'peers'>, bounds: Bounds): VantageExec {
  return (vantage, command) => hostOf(lab, vantage).run(command, { timeoutMs: bounds.confirm, phase: `the ${vantage} client probes`, bound: 'confirm' });
}

/** Runs probes from their vantage's host (loopback: the target itself; peer: the peer), side by side. */
export function runProbes(lab: Pick<Lab, 'target' | 'peers'>, probes: readonly Probe[], bounds: Bounds, options: RunProbesOptions = {}): Promise<ProbeOutcome[]> {
  return sendProbes(execIn(lab, bounds), probes, options);
}

/** Sends the clients `rounds` times, a few at a time (scan/probe/runner.ts). */
export function probeAgain(lab: Lab, probes: readonly Probe[], bounds: Bounds, rounds: number): Promise<ProbeOutcome[]> {
  return probeRepeatedly(execIn(lab, bounds), probes, rounds);
}

/**
 * What the listeners received so far, on the target and on every host behind it: a datagram a DNAT rule
 * forwarded reached a listener behind, and is exposure all the same.
 */
export async function readReceived(lab: Pick<Lab, 'target' | 'behind'>, read?: { target: string }): Promise<Received[]> {
  const hosts = [{ name: undefined, container: lab.target }, ...[...lab.behind].map(([name, b]) => ({ name, container: b.container }))];
  // The target's log may have been read already, in another exec of the same moment (the recheck's).
  const logs = await Promise.all(hosts.map((h, i) => (i === 0 && read ? { stdout: read.target } : h.container.run([...READ_RECEIVED]))));
  return logs.flatMap(({ stdout }, i) => parseReceivedLog(stdout, hosts[i]!.name));
}

/** Prints what a host's listener received so far (nothing when it received nothing). */
export const READ_RECEIVED: readonly string[] = ['sh', '-c', `cat ${RECEIVED_LOG} 2>/dev/null || true`];

const FLUSH = ['sh', '-c', 'ip -4 neigh flush all; ip -6 neigh flush all'];

/**
 * Flushes the neighbour caches of every lab host (the target, each peer, each host behind), except the
 * vantages named. Again just before the scans: the reachability check's connections end with packets the
 * target still sends seconds later (seen: entries for every probe source on the target and the peer when
 * the scans began), and one answered before the ruleset teaches the peer the target's link-layer address,
 * so a ruleset that drops neighbour discovery would read reachable.
 */
export async function flushNeighbours(lab: Pick<Lab, 'target' | 'peers' | 'behind'>, except: ReadonlySet<Vantage> = new Set()): Promise<void> {
  await Promise.all([
    ...[LOOPBACK, ...lab.peers.keys()].filter((v) => !except.has(v)).map((v) => hostOf(lab, v).runOk(FLUSH, { phase: 'flushing neighbour caches' })),
    ...[...lab.behind.values()].map((b) => b.container.runOk(FLUSH, { phase: 'flushing neighbour caches' })),
  ]);
}

/** Before any ruleset: every source reaches every service it may reach (scan/probe/reachability.ts). */
export async function checkServicesReachable(scenario: Scenario, lab: Lab, bounds: Bounds): Promise<void> {
  const servicesOf = (host?: string) => (host ? (lab.behind.get(host)?.services ?? []) : scenario.services);
  const probes = planReachability(lab.sources, scenario.vantages, servicesOf);
  await checkReachability(probes, {
    send: (list, flushAfter) => runProbes(lab, list, bounds, flushAfter ? { after: `ip -4 neigh flush all && ip -6 neigh flush all || exit ${AFTER_FAILED}` } : {}),
    received: () => readReceived(lab),
    flush: (except) => flushNeighbours(lab, except),
  });
}
