import { relative } from 'node:path';
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/fwprobe-container.ts';
import { FwprobeError } from '../errors.ts';
import { Disposer } from '../lab/disposer.ts';
import { LabNetwork } from '../lab/network.ts';
import { FAMILIES, PROTOCOLS, type Family, type Observation, type Protocol, type Vantage } from '../model.ts';
import { emptyResult, errorFields, type ObservedSummary, type ScanRecord, type ScenarioResult } from '../result.ts';
import { applyScenarioRuleset } from '../ruleset/apply-scenario.ts';
import { staticParityFindings } from '../ruleset/static-parity.ts';
import type { ScanRequest } from '../scan/nmap.ts';
import { loopbackAddress, LabScope } from '../scan/scope.ts';
import { formatVerdict, verdictProblems } from '../verdict/format.ts';
import { judge } from '../verdict/judge.ts';
import type { Scenario } from './types.ts';

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
}

interface Collected {
  observations: Observation[];
  others: ObservedSummary[];
  scans: ScanRecord[];
}

/**
 * Runs one scenario end to end: lab up, services, ruleset, self-check, scans, verdict, lab down. Never
 * throws for a scenario-level problem: those end as status `error` with the reason. The lab is removed
 * whatever happens.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const phases: ScenarioResult['phases'] = [];
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      phases.push({ name, ms: Date.now() - t0 });
    }
  };
  const result: ScenarioResult = { ...emptyResult(scenario.name, relative(process.cwd(), scenario.file)), phases };

  const lab = new Disposer();
  try {
    const needsPeer = scenario.vantages.includes('peer');
    const network = needsPeer ? lab.use(await phase('network', () => LabNetwork.create())) : null;
    const scope = new LabScope();

    const targetBuilder = new FwprobeContainer(options.image)
      .withServices(scenario.services)
      .withBackend(scenario.backend);
    if (network) targetBuilder.withLabNetwork(network);
    const peerBuilder = network ? new FwprobeContainer(options.image).withLabNetwork(network).withScope(scope) : null;
    const [target, peer] = await phase('containers', async () => {
      const settled = await Promise.allSettled([targetBuilder.start(), peerBuilder?.start() ?? Promise.resolve(null)]);
      // Whatever started is registered for removal (both at once) before a failure of the other is rethrown.
      const started = settled.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
      lab.use({ [Symbol.asyncDispose]: () => Promise.all(started.map((c) => c.remove())).then(() => {}) });
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
      return settled.map((o) => (o.status === 'fulfilled' ? o.value : null)) as [StartedFwprobeContainer, StartedFwprobeContainer | null];
    });

    await phase('services', () => target.startServices());
    const applied = await phase('ruleset', () => applyScenarioRuleset(target, scenario.ruleset));
    result.applied = applied.saved;
    result.staticParity = staticParityFindings(applied.saved);
    result.tolerated = applied.tolerated;
    await phase('self-check', () => target.selfCheck());
    if (peer) {
      const addresses = await target.labAddresses();
      for (const family of FAMILIES) scope.allowLabAddress(addresses[family], family);
    }

    const collected: Collected = { observations: [], others: [], scans: [] };
    await phase('scans', () => runScans(scenario, { target, peer }, collected, options.timing ?? 'lab'));
    // A verdict over no scan at all would be a pass that proves nothing.
    if (collected.scans.length === 0) {
      throw new FwprobeError('NO_SCAN_RAN', `${scenario.name}: no scan ran, so there is nothing to judge. Declare services or ports.`);
    }
    result.observations = collected.observations;
    result.others = collected.others;
    result.scans = collected.scans;

    const verdict = judge(scenario, result.observations, result.others);
    result.mismatches = verdict.mismatches;
    result.problems = verdictProblems(verdict, scenario.parity.mode);
    result.verdictText = formatVerdict(verdict, scenario.parity.mode);
    result.parity = verdict.parity;
    result.status = verdict.passed ? 'passed' : 'failed';
  } catch (error) {
    Object.assign(result, errorFields(error));
    options.log?.(`${scenario.name}: error: ${result.error}`);
  } finally {
    try {
      await phase('teardown', () => lab[Symbol.asyncDispose]());
    } catch (error) {
      // A lab that could not be removed is a leak on the user's machine: never reported as a pass.
      Object.assign(result, errorFields(new FwprobeError('LAB_CLEANUP_FAILED', `Removing the lab failed: ${String(error)}. ` +
        'Remove leftovers with: docker rm -f $(docker ps -aq --filter label=fwprobe)', { cause: error })));
    }
    result.durationMs = Date.now() - started;
  }
  return result;
}

async function runScans(
  scenario: Scenario,
  hosts: { target: StartedFwprobeContainer; peer: StartedFwprobeContainer | null },
  collected: Collected,
  timing: 'lab' | 'conservative',
): Promise<void> {
  const peerTargets = hosts.peer ? await hosts.target.labAddresses() : null;
  const scanned: Record<Protocol, number[]> = { tcp: [], udp: [] };
  for (const protocol of PROTOCOLS) {
    const selection = scenario.scan[protocol];
    const top = selection.kind === 'top' ? await hosts.target.topPorts(protocol, selection.count) : [];
    scanned[protocol] = [...new Set([...selection.ports, ...top])].sort((a, b) => a - b);
  }
  // Loopback scans run in the target, peer scans in the peer: the two run side by side. Within a vantage,
  // the two families run side by side too, unless a scan is large: two 65535-port sweeps at once would
  // double the packet rate, and above ~25000 pps replies get lost (see bench/).
  const large = PROTOCOLS.some((protocol) => scanned[protocol].length > MAX_INDIVIDUAL_PORTS);
  const sequences = scenario.vantages.map(async (vantage) => {
    const scanner = vantage === 'loopback' ? hosts.target : hosts.peer;
    if (!scanner) throw new Error(`internal: no scanner for vantage ${vantage}`);
    const scanFamily = async (family: Family) => {
      for (const protocol of PROTOCOLS) {
        const scanPorts = scanned[protocol];
        if (scanPorts.length === 0) continue;
        const target = vantage === 'loopback' ? loopbackAddress(family) : peerTargets![family];
        const ports = portsOfInterest(scenario, protocol, scanPorts);
        await scanOne(scanner, { vantage, family, protocol, target, ports, scanPorts, timing }, collected);
      }
    };
    if (large) {
      for (const family of FAMILIES) await scanFamily(family);
    } else {
      await Promise.all(FAMILIES.map(scanFamily));
    }
  });
  await Promise.all(sequences);
  sortCollected(collected);
}

/** Above this many scanned ports, only named ports get an Observation each; the rest are summarised. */
const MAX_INDIVIDUAL_PORTS = 1024;

/** Services and every port an expectation names; all scanned ports when there are few of them. */
function portsOfInterest(scenario: Scenario, protocol: Protocol, scanned: number[]): number[] {
  if (scanned.length <= MAX_INDIVIDUAL_PORTS) return scanned;
  const named = new Set(scenario.services.filter((s) => s.protocol === protocol).map((s) => s.port));
  for (const set of scenario.expectations) {
    if (set.protocol !== protocol) continue;
    for (const port of [...set.open, ...set.closed, ...set.filtered, ...set.unreachable]) named.add(port);
  }
  const ports = [...named].sort((a, b) => a - b);
  // The parser needs at least one port of interest; the lowest scanned port stands in.
  return ports.length > 0 ? ports : scanned.slice(0, 1);
}

async function scanOne(
  scanner: StartedFwprobeContainer,
  request: ScanRequest,
  collected: Collected,
): Promise<void> {
  const t0 = Date.now();
  const scan = await scanner.scan(request);
  collected.scans.push({
    vantage: request.vantage,
    family: request.family,
    protocol: request.protocol,
    target: request.target,
    command: scan.command,
    hostState: scan.hostState,
    ms: Date.now() - t0,
  });
  collected.observations.push(...scan.observations);
  for (const summary of scan.others) {
    collected.others.push({ vantage: request.vantage, family: request.family, protocol: request.protocol, ...summary });
  }
}

const ORDER = { loopback: 0, peer: 1, ipv4: 0, ipv6: 1, tcp: 0, udp: 1 } as const;

function sortCollected(collected: Collected): void {
  const key = (x: { vantage: Vantage; family: Family; protocol: Protocol }) =>
    ORDER[x.vantage] * 4 + ORDER[x.family] * 2 + ORDER[x.protocol];
  collected.observations.sort((a, b) => key(a) - key(b) || a.port - b.port);
  collected.others.sort((a, b) => key(a) - key(b) || a.state.localeCompare(b.state) || a.reason.localeCompare(b.reason));
  collected.scans.sort((a, b) => key(a) - key(b));
}
