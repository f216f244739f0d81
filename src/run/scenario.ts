/**
 * One scenario end to end: lab up, services, ruleset, self-check, scans, verdict, lab down. The stages do
 * the work; this file only orders them and records each phase.
 */
import { relative } from 'node:path';
import { applyScenarioRuleset } from '../lab/apply-scenario.ts';
import { Disposer } from '../lab/disposer.ts';
import { assertLinksUntouched, assertUnchanged, readLinks } from '../lab/lab-state.ts';
import { recheckLab, selfCheck } from '../lab/self-check.ts';
import { startServices } from '../lab/services.ts';
import { acquireLabSlot } from '../lab/slots.ts';
import { countersFrom } from '../lab/counters.ts';
import { resolveBounds, type Bounds } from '../model/bounds.ts';
import { InternalError, NoScanRanError } from '../model/errors.ts';
import { withDeadline } from '../model/deadline.ts';
import { LOOPBACK } from '../model/observation.ts';
import { isStopping } from '../lab/cleanup.ts';
import { cleanupFailed, interrupted } from './scenario-ends.ts';
import { settledAtOnce } from './limiter.ts';
import type { Scenario } from '../model/scenario.ts';
import { emptyResult, errorFields, verdictFields, type ScenarioResult } from '../report/result.ts';
import { judge } from '../verdict/judge.ts';
import { staticParityFindings } from '../ruleset/static-parity.ts';
import { rateDependentRules } from '../ruleset/rate-dependence.ts';
import { corroborate } from '../scan/probe/corroborate.ts';
import { chanceRounds, checkServicesReachable, flushNeighbours, planAll, probeAgain, READ_RECEIVED, readReceived, runProbes } from './corroboration.ts';
import { natAliases, natPorts } from '../ruleset/nat-ports.ts';
import { assertInterfacesExist, assertSourcesNotAllBlocked, parseLinkNames, unacknowledged } from './coverage.ts';
import { addDockerContainers, startLab } from './lab-setup.ts';
import { startDockerHost, type StartedDockerHost } from '../lab/docker-host.ts';
import { planContainerProbes, probeContainers } from './docker-reach.ts';
import { attribute } from './attribution.ts';
import { planAttribution } from './attribution-plan.ts';
import { trustedSourcePorts } from '../ruleset/shape-matches.ts';
import { runScans } from './scans.ts';
import { redirectingRules } from '../ruleset/redirecting.ts';
import { countedProtocols } from './count-protocols.ts';
import { scanShapedRules } from '../ruleset/scan-shaped.ts';

/** Scans of this many ports or more are counted by default: below it two ledger round trips cost more than the retry. */
const COUNT_FROM = 256;

export interface RunScenarioOptions {
  /** The target image tag, from `ensureTargetImage()`. */
  image: string;
  /** Progress lines. @default no output */
  log?: (line: string) => void;
  /**
   * nmap timing: fwprobe's tuned `lab` timing, or nmap's `conservative` -T3 (for agreement tests).
   * @default 'lab'
   */
  timing?: 'lab' | 'conservative';
  /** Bounds for every step; unset ones keep their defaults. @default DEFAULT_BOUNDS */
  bounds?: Partial<Bounds>;
  /**
   * Trace one client per port of interest after the scans and name the rule or policy that decided each
   * (`observations[].attribution`). A scenario's own `attribution: false` turns it off too.
   * @default true
   */
  attribution?: boolean;
  /**
   * TCP scans of the target over at least this many ports send each probe once and prove the firewall's
   * drops from the target's own ledger, retrying only what it cannot account for (scan/counted.ts); UDP
   * scans as large carry the UDP ledger's word on every port (scan/counted-udp.ts). Not under rules that
   * redirect or queue packets, or whose verdict depends on rate or chance. `Infinity` turns counting off.
   * @default 256
   */
  countFrom?: number;
  /**
   * Called once only the lab's removal remains (the verdict is taken or the scenario ended in error). The
   * runner frees the scenario's concurrency slot here, so that the removal is off the next scenario's
   * critical path; the result itself is only returned after the removal, with its failure folded in.
   * @default nothing
   */
  onRemoving?: () => void;
  /**
   * Awaited once the lab is up and its services started, before anything is sent to it: a runner that
   * starts labs ahead holds a scenario here until a scan slot is free. The wait is not the scenario's time.
   * @default nothing to wait for
   */
  onLabReady?: () => Promise<void>;
  /**
   * Labs at once on this machine, across every process that runs fwprobe (vitest workers, parallel
   * commands): each scenario holds one of them from its lab's start to its removal. `Infinity` lifts it.
   * @default `FWPROBE_LABS`, else 2 × the CPUs (at least 2)
   */
  labs?: number;
  /** Called as each phase of the scenario starts (`lab`, `services`, `reachability`, `ruleset`, `scans`, …). @default nothing */
  onPhase?: (scenario: string, phase: string) => void;
}

/**
 * Runs one scenario end to end: lab up, services, ruleset, self-check, scans, verdict, lab down. Never
 * throws for a scenario-level problem: those end as status `error` with the reason. The lab is removed
 * whatever happens, and the result is returned only after that: final (a failed removal is its error).
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  // The machine-wide lab limit: waiting for a slot is not the scenario's time, and the removal holds it.
  const release = await acquireLabSlot(options.labs === undefined ? {} : { max: options.labs });
  try {
    return await runInLab(scenario, options);
  } finally {
    await release();
  }
}

async function runInLab(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  // Time a ready lab waited for a scan slot (onLabReady): the runner's, not the scenario's.
  let queuedMs = 0;
  const phases: ScenarioResult['phases'] = [];
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    options.onPhase?.(scenario.name, name);
    try {
      return await work();
    } finally {
      phases.push({ name, ms: Date.now() - t0 });
    }
  };
  const result: ScenarioResult = {
    ...emptyResult(scenario.name, relative(process.cwd(), scenario.file)),
    phases,
    vantages: [...scenario.vantages],
    topology: scenario.topology,
    image: options.image,
    startedAt: new Date(started).toISOString(),
  };
  if (scenario.lines) result.lines = scenario.lines;

  const lab = new Disposer();
  try {
    const bounds = resolveBounds(options.bounds);
    const hosts = await startLab(scenario, options.image, bounds, lab, phase);
    const { target } = hosts;
    const allSources = Object.values(hosts.sources).flat();
    result.sources = allSources.map(({ kind, network, shape, host, family, address, target: to }) => ({ kind, network, shape, ...(host ? { host } : {}), family, address, target: to }));

    await phase('services', () => Promise.all([startServices(target), ...[...hosts.behind.values()].map((b) => startServices(b.container))]));
    if (options.onLabReady) {
      const t0 = Date.now();
      const ready = options.onLabReady();
      // Said only when no slot is free at once: a CI log then shows why the lab is quiet.
      if (!(await settledAtOnce(ready))) options.onPhase?.(scenario.name, 'lab ready, waiting for a free slot');
      await ready;
      queuedMs = Date.now() - t0;
      if (isStopping()) throw interrupted('its lab waited for a scan slot');
    }
    const [, linksBeforeRuleset] = await phase('reachability', () => Promise.all([checkServicesReachable(scenario, hosts, bounds), readLinks(target)]));
    const applied = await phase('ruleset', () => applyScenarioRuleset(target, scenario.ruleset));
    let linksBefore = linksBeforeRuleset;
    let dockerHost: { started: StartedDockerHost; routed: string[] } | null = null;
    // A Docker host boots as Debian orders it: the admin's rules (netfilter-persistent, ufw) load before
    // docker.service, whose dockerd then inserts its chains and keeps DOCKER-USER's rules.
    const { docker } = scenario;
    if (docker) {
      assertLinksUntouched(linksBeforeRuleset, await readLinks(target));
      const started = await startDockerHost(target, docker, phase);
      applied.saved = started.saved;
      dockerHost = { started, routed: await addDockerContainers(scenario, hosts, started) };
      // docker0 and the containers' veths are dockerd's: the check below is about what the ruleset did.
      linksBefore = await readLinks(target);
    }
    result.applied = applied.saved;
    result.staticParity = staticParityFindings(applied.saved);
    result.tolerated = applied.tolerated;
    result.leftovers = applied.leftovers;
    result.rateDependent = rateDependentRules(applied.saved);
    const labAddresses = { addresses: hosts.targetAddresses, peers: hosts.peerAddresses };
    const before = await phase('self-check', () => selfCheck(target, labAddresses));
    assertLinksUntouched(linksBefore, before.links);
    // Loopback-only, every probe is on lo: rules on other interfaces cannot change a verdict taken here.
    if (scenario.vantages.some((v) => v !== 'loopback')) assertInterfacesExist(applied.saved, parseLinkNames(before.links.join('\n')));
    // Link-local sources are extra attacker shapes: the check is about the lab's own addresses, as before.
    assertSourcesNotAllBlocked(
      applied.saved,
      allSources.filter((s) => s.shape.kind === 'direct'),
    );

    // Source ports the ruleset trusts (`--sport 22 -j ACCEPT`) are tried too.
    const sourcePorts = [...new Set([...scenario.sources.ports, ...trustedSourcePorts(applied.saved)])];
    result.sourcePorts = sourcePorts;
    // Ports NAT maps onto a service are ways in too (`--dport 13306 -j REDIRECT --to-ports 3306`).
    const nat = natPorts(applied.saved, scenario.services);
    const containerProbes = dockerHost ? planContainerProbes(scenario, hosts, dockerHost.started, dockerHost.routed, sourcePorts) : [];
    const probes = planAll({ ...scenario, sources: { ...scenario.sources, ports: sourcePorts } }, hosts, new Set(scenario.services.map((s) => `${s.protocol}/${s.port}`)), nat);
    const countProtocols = countedProtocols(result.rateDependent.length, redirectingRules(applied.saved));
    const countFrom = countProtocols.length > 0 && Number.isFinite(options.countFrom ?? COUNT_FROM) ? (options.countFrom ?? COUNT_FROM) : undefined;
    const scans = () =>
      runScans(scenario, hosts, {
        timing: options.timing ?? 'lab',
        bounds,
        natPorts: nat,
        countProtocols,
        shaped: { tcp: scanShapedRules(applied.saved, 'tcp'), udp: scanShapedRules(applied.saved, 'udp') },
        ...(countFrom === undefined ? {} : { countFrom }),
      });
    // Under a rate or chance rule a fast scan spends the budget a real client would have: the clients go
    // first, a few at a time. Otherwise they run side by side with the scans.
    // The clients to a Docker host's containers at their own addresses go with the others.
    const reachContainers = () => probeContainers(hosts, containerProbes, bounds);
    // The peers start from cold caches, as an attacker does (corroboration.ts). Not the target: a Docker
    // host's containers came up under the ruleset, and what the target learnt of them is theirs.
    await flushNeighbours(hosts, new Set([LOOPBACK]));
    const [collected, outcomes, reach] = await phase('scans', async () => {
      if (result.rateDependent.length === 0) return Promise.all([scans(), runProbes(hosts, probes, bounds), reachContainers()]);
      const first = await probeAgain(hosts, probes, bounds, chanceRounds(result.rateDependent));
      const containers = await reachContainers();
      return [await scans(), first, containers] as const;
    });
    // A verdict over no scan at all would be a pass that proves nothing.
    if (collected.scans.length === 0) {
      throw new NoScanRanError(`${scenario.name}: no scan ran, so there is nothing to judge. Declare services or ports.`);
    }
    // The trace is planned now, and opened at the end of the recheck's exec: after everything it reads.
    const tracing = options.attribution !== false && scenario.attribution !== false;
    const corroboration = { probes: [...probes, ...containerProbes], outcomes: [...outcomes, ...reach.outcomes] };
    const plan = tracing ? planAttribution(scenario, hosts, target, [...collected.observations, ...reach.observations], corroboration, bounds) : null;
    // The verdict must describe the ruleset that was in force: the same checks again, and nothing changed.
    // One exec in the target: the self-check, the rule counters (its saves, with `-c`), the listener's log
    // and, last, the trace's opening (a lab that changed ends in error, and its removal takes the trace along).
    const { received, counters, opened } = await phase('recheck', async () => {
      // Each part keeps its own bound: the check's exec bound, and as much again for the trace's opening.
      const timeoutMs = bounds.exec * (plan?.commands.length ? 2 : 1);
      const again = await recheckLab(target, labAddresses, [[...READ_RECEIVED], ...(plan?.commands ?? [])], { timeoutMs });
      assertUnchanged(before, again.state);
      const [log, ...opened] = again.also;
      // A batch without stopOnFailure returns every step or throws: a missing log is a broken invariant.
      if (!log) throw new InternalError("the recheck's batch returned no listener log");
      return { received: await readReceived(hosts, { target: log.stdout }), counters: countersFrom(again.counters), opened };
    });
    result.counters = counters;
    collected.observations = corroborate(collected.observations, probes, outcomes, received);
    // The containers at their own addresses, routed through the target: after the scans, so the two never share a budget.
    collected.observations.push(...reach.observations);
    // After the recheck: the trace cannot change what was scanned, and its rules are gone before the end.
    if (plan) collected.observations = await phase('attribution', () => attribute(plan, hosts, collected.observations, opened, scenario, before, bounds));
    result.observations = collected.observations;
    result.others = collected.others;
    result.scans = collected.scans;

    // The judge decides, unverified rules included: nothing after it changes the outcome.
    const verdict = judge(scenario, result.observations, result.others, {
      unverified: unacknowledged(applied.saved, scenario, { ports: sourcePorts, sources: allSources }),
      natAliases: natAliases(applied.saved, scenario.services, { local: true }),
    });
    Object.assign(result, verdictFields(verdict, scenario.parity.mode));
  } catch (error) {
    Object.assign(result, errorFields(isStopping() ? interrupted(error) : error));
    options.log?.(`${scenario.name}: error: ${result.error}`);
  }
  options.onRemoving?.();
  // After Ctrl-C the signal handler is removing everything of this run: that is no cleanup failure.
  // Otherwise a lab that could not be removed is a leak on the user's machine, never a pass: the result
  // is handed out only once the removal has ended, with its failure as the result's error.
  const bound = resolveBounds(options.bounds).cleanup;
  const failure = await phase('teardown', () =>
    withDeadline(lab[Symbol.asyncDispose](), bound, 'removing the lab', 'cleanup').then(
      () => undefined,
      (error: unknown) => (isStopping() ? interrupted(error) : cleanupFailed(error)),
    ),
  );
  if (failure) Object.assign(result, errorFields(failure));
  result.durationMs = Date.now() - started - queuedMs;
  return result;
}
