/**
 * Every scan a scenario asks for, from each vantage and family, of the target and of every host behind it
 * the vantage reaches through the target, collected and sorted. Loopback scans run in the target, a peer's
 * in that peer, side by side; each address must pass the lab scope before nmap runs, and every scan leaves
 * from the scanner's own address on that network (lab-setup.ts).
 */
import { InternalError } from '../model/errors.ts';
import type { StartedFwprobeContainer } from '../lab/container.ts';
import { compareViews, FAMILIES, LOOPBACK, PROTOCOLS, type Family, type Observation, type Protocol, type Vantage } from '../model/observation.ts';
import type { Bounds } from '../model/bounds.ts';
import { listedPorts, type Scenario } from '../model/scenario.ts';
import { scanPorts } from '../scan/nmap.ts';
import type { LabScope } from '../scan/scope.ts';
import type { ScanTarget } from './lab-setup.ts';
import { topPorts } from '../scan/top-ports.ts';
import type { ObservedSummary, ScanRecord, ScanRequest } from '../scan/types.ts';
import type { Counting } from '../scan/counted.ts';
import { mayHoldProbe, shapedRuleFor, type ScanShapedRule } from '../ruleset/scan-shaped.ts';
import { planSourcePorts } from '../scan/source-port.ts';
import { markUnproven } from '../scan/unproven-marks.ts';

export interface Collected {
  observations: Observation[];
  others: ObservedSummary[];
  scans: ScanRecord[];
}

export interface ScanHosts {
  target: StartedFwprobeContainer;
  peers: ReadonlyMap<string, StartedFwprobeContainer>;
  scope: LabScope;
  scanTargets: Readonly<Record<Vantage, ScanTarget[]>>;
}

export async function runScans(
  scenario: Scenario,
  hosts: ScanHosts,
  options: {
    timing: 'lab' | 'conservative';
    bounds: Bounds;
    /** Scans of the target of at least this many ports are counted (scan/counted.ts, counted-udp.ts); absent: none is. */
    countFrom?: number;
    /** The protocols whose scans `countFrom` counts (a NAT rule leaves only UDP's ledger able to follow a probe). @default both */
    countProtocols?: readonly Protocol[];
    /** Rules keyed on a probe's source port or shape (ruleset/scan-shaped.ts): the ledger's drops prove nothing for their ports. @default none */
    shaped?: Readonly<Record<Protocol, readonly ScanShapedRule[]>>;
    /** Ports NAT maps onto a service of the target: scanned, and of interest, with the scenario's own. @default none */
    natPorts?: Readonly<Record<Protocol, readonly number[]>>;
  },
): Promise<Collected> {
  const { timing, bounds, countFrom } = options;
  const countProtocols = options.countProtocols ?? PROTOCOLS;
  const collected: Collected = { observations: [], others: [], scans: [] };
  const scanned: Record<Protocol, number[]> = { tcp: [], udp: [] };
  for (const protocol of PROTOCOLS) {
    const selection = scenario.scan[protocol];
    const top = selection.kind === 'top' ? await topPorts((command) => hosts.target.run(command), protocol, selection.count) : [];
    scanned[protocol] = [...new Set([...selection.ports, ...top, ...(options.natPorts?.[protocol] ?? [])])].sort((a, b) => a - b);
  }
  // Loopback scans run in the target, peer scans in the peer: the two run side by side. Within a vantage,
  // the two families run side by side too, unless a scan is large: two 65535-port sweeps at once would
  // double the packet rate, and above ~25000 pps replies get lost (see bench/).
  const large = PROTOCOLS.some((protocol) => scanned[protocol].length > MAX_INDIVIDUAL_PORTS);
  const sequences = scenario.vantages.map(async (vantage) => {
    const scanner = vantage === LOOPBACK ? hosts.target : hosts.peers.get(vantage);
    if (!scanner) throw new InternalError(`no scanner for vantage ${vantage}`);
    const scanFamily = async (family: Family) => {
      for (const { host, address, from, device } of hosts.scanTargets[vantage] ?? []) {
        for (const protocol of PROTOCOLS) {
          const behind = host ? scenario.topology.behind.find((b) => b.name === host)! : null;
          const toScan = behind ? behind.scan[protocol] : scanned[protocol];
          if (toScan.length === 0) continue;
          const ports = behind ? toScan : portsOfInterest(scenario, protocol, toScan, options.natPorts?.[protocol] ?? []);
          const request = { vantage, family, protocol, target: address[family], ports, scanPorts: toScan, timing, source: { address: from[family], device } };
          // Counted only where the ledger can tell this scanner's probes from another's (see LedgerSpec.source).
          const shaped = host ? [] : shapedFor(options.shaped?.[protocol] ?? [], vantage, request);
          const counting = !host && countFrom !== undefined && countProtocols.includes(protocol) && toScan.length >= countFrom ? ledgerIn(hosts.target, from, shaped) : undefined;
          await scanOne(scanner, hosts.scope, request, host, collected, bounds.scan, counting, shaped);
        }
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
  return collected;
}

let ledgers = 0;

/**
 * The shape-keyed rules that speak for this scan: a rule on the way out sees a loopback scan's probe leave
 * (`--sport 40000:50000 --syn -j DROP` in OUTPUT held nmap's 47311 while a local client from another port got
 * in), unless it is a DROP held to source ports the scan never leaves from; a peer's probe only as the answer.
 */
function shapedFor(rules: readonly ScanShapedRule[], vantage: Vantage, request: ScanRequest): ScanShapedRule[] {
  if (vantage !== LOOPBACK) return rules.filter((r) => !r.outbound);
  const plan = planSourcePorts(request);
  const sources = plan.sourcePort === undefined ? undefined : [plan.sourcePort, ...plan.looks.map((l) => l.from)];
  return rules.filter((r) => mayHoldProbe(r, sources));
}

/** A ledger of the scan's probes in the target, in a table of its own (several scans run side by side). */
function ledgerIn(target: StartedFwprobeContainer, source: Record<Family, string>, shaped: readonly ScanShapedRule[]): Counting {
  return {
    ...(shaped.length > 0 ? { unproven: (port: number) => shapedRuleFor(shaped, port) } : {}),
    table: `fwprobe_ledger_${process.pid}_${++ledgers}`,
    source,
    inTarget: (commands) => target.runBatch(commands, { stopOnFailure: false, phase: 'the scan ledger' }),
  };
}

/** Above this many scanned ports, only named ports get an Observation each; the rest are summarised. */
const MAX_INDIVIDUAL_PORTS = 1024;

/** Services, ports NAT maps onto them and every port an expectation names; all scanned ports when there are few of them. */
function portsOfInterest(scenario: Scenario, protocol: Protocol, scanned: number[], nat: readonly number[]): number[] {
  if (scanned.length <= MAX_INDIVIDUAL_PORTS) return scanned;
  const named = new Set([...scenario.services.filter((s) => s.protocol === protocol).map((s) => s.port), ...nat]);
  for (const set of scenario.expectations) {
    if (set.protocol !== protocol || set.host) continue;
    for (const port of listedPorts(set)) named.add(port);
  }
  const ports = [...named].sort((a, b) => a - b);
  // The parser needs at least one port of interest; the lowest scanned port stands in.
  return ports.length > 0 ? ports : scanned.slice(0, 1);
}

async function scanOne(
  scanner: StartedFwprobeContainer,
  scope: LabScope,
  request: ScanRequest,
  host: string | undefined,
  collected: Collected,
  boundMs: number,
  counting: Counting | undefined,
  shaped: readonly ScanShapedRule[],
): Promise<void> {
  const t0 = Date.now();
  const phase = `the ${request.vantage}${host ? `→${host}` : ''} ${request.family} ${request.protocol} scan`;
  const tag = host ? { host } : {};
  const scanned = await scanPorts((command) => scanner.run(command, { timeoutMs: boundMs, phase, bound: 'scan' }), request, scope, counting);
  // A silent port under a rule keyed on the probe's source port or shape proves only that this probe was held.
  const marks = shaped.length > 0 ? markUnproven(scanned, (port) => shapedRuleFor(shaped, port)) : { result: scanned, marked: 0 };
  const scan = marks.result;
  const unprovenWarning =
    marks.marked > 0 ? [`${marks.marked} silent port(s) unverified: \`${(marks.rule ?? '').slice(0, 160)}\` keys on the source port or shape, so a client unlike the scan's probe may get in`] : [];
  collected.scans.push({
    vantage: request.vantage,
    ...tag,
    family: request.family,
    protocol: request.protocol,
    target: request.target,
    command: scan.command,
    hostState: scan.hostState,
    sourcePort: scan.sourcePort,
    followUpCommands: scan.followUpCommands,
    warnings: [...scan.warnings, ...unprovenWarning],
    ...(scan.backing ? { backing: scan.backing } : {}),
    ms: Date.now() - t0,
    ...(scan.xml === undefined ? {} : { xml: scan.xml }),
  });
  collected.observations.push(...scan.observations.map((o) => ({ ...o, ...tag })));
  for (const summary of scan.others) {
    collected.others.push({ vantage: request.vantage, ...tag, family: request.family, protocol: request.protocol, ...summary });
  }
}

const ORDER = { ipv4: 0, ipv6: 1, tcp: 0, udp: 1 } as const;

function sortCollected(collected: Collected): void {
  const compare = (a: Scoped, b: Scoped) => compareViews(a, b) || ORDER[a.family] * 2 + ORDER[a.protocol] - (ORDER[b.family] * 2 + ORDER[b.protocol]);
  collected.observations.sort((a, b) => compare(a, b) || a.port - b.port);
  collected.others.sort((a, b) => compare(a, b) || a.state.localeCompare(b.state) || a.reason.localeCompare(b.reason));
  collected.scans.sort(compare);
}

type Scoped = { vantage: Vantage; host?: string; family: Family; protocol: Protocol };
