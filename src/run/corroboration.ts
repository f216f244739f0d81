/**
 * Real clients against the target, from every source of every vantage: once before any ruleset (the
 * baseline: every service must answer, so the network itself can never pass for a filter), and once with
 * the ruleset in force, to back or overrule what nmap read for each port of interest.
 */
import { randomBytes } from 'node:crypto';
import type { StartedFwprobeContainer } from '../lab/container.ts';
import type { Bounds } from '../model/bounds.ts';
import { CommandFailedError, LabSelfCheckError } from '../model/errors.ts';
import { LOOPBACK, type Protocol, type Vantage } from '../model/observation.ts';
import type { Scenario } from '../model/scenario.ts';
import { parseProbeOutput, parseReceivedLog, type ProbeOutcome, type Received } from '../scan/probe/outcome.ts';
import { planProbes, probeCommand, type Probe } from '../scan/probe/plan.ts';
import { withVariants } from '../scan/probe/variants.ts';
import type { Lab } from './lab-setup.ts';

/** Where the listener logs what reached it (containers/target/listener.pl). */
const RECEIVED_LOG = '/run/fwprobe/received.log';
/**
 * A client waits this long for an answer: ten times nmap's own longest wait (50 ms) and hundreds of lab
 * round trips; the clients run beside the scans, so this is what corroboration adds to a scenario.
 */
export const PROBE_TIMEOUT_MS = 500;
/** The exit status of a runProbes `after` command that failed. */
const AFTER_FAILED = 97;
/** Above this many named ports per protocol only the services are probed. */
const MAX_PROBED_PORTS = 64;

/**
 * Services, and the ports expectations name (unless there are very many): what an attacker would try, on
 * the target or on one host behind it.
 */
export function portsToProbe(scenario: Scenario, host?: string): Record<Protocol, number[]> {
  const out: Record<Protocol, number[]> = { tcp: [], udp: [] };
  const own = host ? (scenario.topology.behind.find((b) => b.name === host)?.services ?? []) : scenario.services;
  for (const protocol of ['tcp', 'udp'] as const) {
    const services = own.filter((s) => s.protocol === protocol).map((s) => s.port);
    const named = scenario.expectations
      .filter((e) => e.protocol === protocol && e.host === host)
      .flatMap((e) => [...e.open, ...e.closed, ...e.filtered, ...e.unreachable]);
    const all = [...new Set([...services, ...named])].sort((a, b) => a - b);
    out[protocol] = all.length <= MAX_PROBED_PORTS ? all : [...new Set(services)].sort((a, b) => a - b);
  }
  return out;
}

/** Every probe of the scenario's vantages, to the target and to the hosts behind it. */
export function planAll(scenario: Scenario, lab: Lab, busy: ReadonlySet<string>): Probe[] {
  const sourcePorts = scenario.sources.ports;
  return withVariants(scenario.vantages.flatMap((vantage) =>
    (lab.sources[vantage] ?? []).flatMap((source) =>
      planProbes(vantage, [source], portsToProbe(scenario, source.host), vantage === LOOPBACK ? { busy, sourcePorts } : { sourcePorts }),
    ),
  ));
}

/** The container a vantage's clients run in: the target for loopback, otherwise the peer of that name. */
function hostOf(lab: Lab, vantage: Vantage): StartedFwprobeContainer {
  const host = vantage === LOOPBACK ? lab.target : lab.peers.get(vantage);
  if (!host) throw new Error(`internal: no host for the ${vantage} probes`);
  return host;
}

/**
 * Runs probes from their vantage's host (loopback: the target itself; peer: the peer), side by side.
 * `after` runs in the same exec once the probes are done (one round trip fewer).
 */
/**
 * @param timeoutMs - How long each client waits for an answer. @default PROBE_TIMEOUT_MS
 */
export async function runProbes(lab: Lab, probes: readonly Probe[], bounds: Bounds, parallel = 256, after?: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeOutcome[]> {
  const byVantage = [...new Set(probes.map((p) => p.vantage))].map((vantage) => [vantage, probes.filter((p) => p.vantage === vantage)] as const);
  const runs = byVantage.map(async ([vantage, list]) => {
    if (list.length === 0) return [];
    const host = hostOf(lab, vantage);
    const command = probeCommand(list, timeoutMs, parallel, randomBytes(4).toString('hex'));
    const wrapped = after ? ['sh', '-c', `"$@"; rc=$?; ${after}; exit $rc`, 'sh', ...command] : command;
    const run = await host.run(wrapped, { timeoutMs: bounds.confirm, phase: `the ${vantage} client probes`, bound: 'confirm' });
    if (after && run.exitCode === AFTER_FAILED) throw new CommandFailedError({ command: wrapped, ...run }, `\`${after}\` failed after the probes.`);
    return parseProbeOutput({ command, ...run });
  });
  return (await Promise.all(runs)).flat();
}

/**
 * Under a chance rule (`statistic`, `numgen`) one client in N gets in: every client is sent `rounds` times
 * (16 sources × 5 rounds: a 10% rule is missed with odds under 1 in 4000 per port). Under a rate rule
 * one round, few at a time, is all a fresh budget allows.
 */
export function chanceRounds(rules: readonly { match: string }[]): number {
  return rules.some((r) => r.match === 'statistic' || r.match === 'numgen') ? 5 : 1;
}

/** Sends the clients `rounds` times, a few at a time; a probe counts as reached if any round reached. */
export async function probeRepeatedly(lab: Lab, probes: readonly Probe[], bounds: Bounds, rounds: number): Promise<ProbeOutcome[]> {
  const best = new Map<string, ProbeOutcome>();
  for (let round = 0; round < rounds; round++) {
    for (const outcome of await runProbes(lab, probes, bounds, 4)) {
      const seen = best.get(outcome.id);
      if (!seen || (!REACHED.has(seen.result) && REACHED.has(outcome.result))) best.set(outcome.id, outcome);
    }
    if ([...best.values()].every((o) => REACHED.has(o.result))) break;
  }
  return [...best.values()];
}

const REACHED = new Set(['connected', 'answered']);

/**
 * What the listeners received so far, on the target and on every host behind it: a datagram a DNAT rule
 * forwarded reached a listener behind, and is exposure all the same.
 */
export async function readReceived(lab: Pick<Lab, 'target' | 'behind'>): Promise<Received[]> {
  const hosts = [{ name: undefined, container: lab.target }, ...[...lab.behind].map(([name, b]) => ({ name, container: b.container }))];
  const logs = await Promise.all(hosts.map((h) => h.container.run(['sh', '-c', `cat ${RECEIVED_LOG} 2>/dev/null || true`])));
  return logs.flatMap(({ stdout }, i) => parseReceivedLog(stdout, hosts[i]!.name));
}

/**
 * Before any ruleset: one client from every source reaches every service it may reach. A service that does
 * not answer now would read "filtered" later for reasons that have nothing to do with the firewall.
 */
export async function baseline(scenario: Scenario, lab: Lab, bounds: Bounds): Promise<void> {
  const servicesOf = (host?: string) => (host ? (lab.behind.get(host)?.services ?? []) : scenario.services);
  const probes = scenario.vantages.flatMap((vantage) =>
    (lab.sources[vantage] ?? []).flatMap((source) =>
      servicesOf(source.host)
        .filter((s) => reachable(s.bind, source.family, source.target))
        .flatMap((s) => planProbes(vantage, [source], { tcp: s.protocol === 'tcp' ? [s.port] : [], udp: s.protocol === 'udp' ? [s.port] : [] }, { sourcePorts: [0] })),
    ),
  );
  if (probes.length === 0) return;
  // The baseline teaches both hosts each other's link-layer addresses; an attacker starts without them. A
  // ruleset that drops neighbour discovery must be judged from cold caches, as nmap's own scans are. The
  // loopback probes run in the target, the peer's in the peer: each flushes its own host's caches after.
  const outcomes = await runProbes(lab, probes, bounds, 256, `ip -4 neigh flush all && ip -6 neigh flush all || exit ${AFTER_FAILED}`);
  const flush = ['sh', '-c', 'ip -4 neigh flush all; ip -6 neigh flush all'];
  // Hosts behind the target learnt the target's address too: every host starts cold.
  const flushBoth = (vantages: ReadonlySet<Vantage>) =>
    Promise.all([
      ...[LOOPBACK, ...lab.peers.keys()].filter((v) => !vantages.has(v)).map((v) => hostOf(lab, v).runOk(flush, { phase: 'flushing neighbour caches' })),
      ...[...lab.behind.values()].map((b) => b.container.runOk(flush, { phase: 'flushing neighbour caches' })),
    ]);
  // A vantage with no probe (a service bound to loopback only) flushed nothing: its host is flushed here.
  await flushBoth(new Set(probes.map((p) => p.vantage)));
  // A lab that has just been wired up may lose a first packet: a client that did not get through is asked
  // twice more before the lab is called broken. This only decides whether the lab works, never a verdict.
  // A datagram may get no answer on its socket and still arrive: sent to a broadcast, multicast or spoofed
  // address, or to another of the target's addresses (the answer leaves from the outgoing interface's
  // address). The listener's own log is the witness; for one-way sources only the target's log counts.
  const byId = new Map(probes.map((p) => [p.id, p]));
  const stillFailing = async (list: ProbeOutcome[]) => {
    const udp = list.some((o) => byId.get(o.id)?.protocol === 'udp' && o.result !== 'answered');
    const logged = new Map<string, Set<string>>();
    for (const r of udp ? await readReceived(lab) : []) if (r.data) logged.set(r.data, (logged.get(r.data) ?? new Set()).add(r.host ?? 'target'));
    return list.filter((o) => {
      const probe = byId.get(o.id)!;
      if (probe.protocol === 'tcp') return o.result !== 'connected';
      if (o.result === 'answered' && !probe.source.oneWay) return false;
      const by = logged.get(o.token ?? '');
      return !by || (probe.source.oneWay === true && !by.has('target'));
    });
  };
  let failed = await stillFailing(outcomes);
  for (let attempt = 0; attempt < 2 && failed.length > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const again = new Set(failed.map((o) => o.id));
    failed = await stillFailing(await runProbes(lab, probes.filter((p) => again.has(p.id)), bounds));
    await flushBoth(new Set());
  }
  if (failed.length > 0) {
    throw new LabSelfCheckError(
      `Before any ruleset, these clients did not reach their service (three tries): ${failed.map((o) => `${o.id} ${o.result}${o.errno ? ` (${o.errno})` : ''}`).join(', ')}. ` +
        'The lab network or the listener is broken, not the firewall: nothing scanned later could be trusted.',
    );
  }
}

/** Whether a service bound to `bind` can be reached at `target` over `family`. */
function reachable(bind: string, family: 'ipv4' | 'ipv6', target: string): boolean {
  if (bind === 'any') return true;
  if (bind === 'any4') return family === 'ipv4';
  if (bind === 'any6') return family === 'ipv6';
  return bind === target;
}
