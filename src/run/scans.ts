/**
 * Every scan a scenario asks for, from each vantage and family, collected and sorted. Loopback scans run in
 * the target, peer scans in the peer, side by side; each target must pass the lab scope before nmap runs.
 */
import type { StartedFwprobeContainer } from '../lab/container.ts';
import { FAMILIES, PROTOCOLS, type Family, type Observation, type Protocol, type Vantage } from '../model/observation.ts';
import type { Bounds } from '../model/bounds.ts';
import type { Scenario } from '../model/scenario.ts';
import { scanPorts } from '../scan/nmap.ts';
import { loopbackAddress, type LabScope } from '../scan/scope.ts';
import { topPorts } from '../scan/top-ports.ts';
import type { ObservedSummary, ScanRecord, ScanRequest } from '../scan/types.ts';

export interface Collected {
  observations: Observation[];
  others: ObservedSummary[];
  scans: ScanRecord[];
}

export interface ScanHosts {
  target: StartedFwprobeContainer;
  peer: StartedFwprobeContainer | null;
  scope: LabScope;
}

export async function runScans(
  scenario: Scenario,
  hosts: ScanHosts,
  options: { timing: 'lab' | 'conservative'; bounds: Bounds },
): Promise<Collected> {
  const { timing, bounds } = options;
  const collected: Collected = { observations: [], others: [], scans: [] };
  const peerTargets = hosts.peer ? await hosts.target.labAddresses() : null;
  const scanned: Record<Protocol, number[]> = { tcp: [], udp: [] };
  for (const protocol of PROTOCOLS) {
    const selection = scenario.scan[protocol];
    const top = selection.kind === 'top' ? await topPorts((command) => hosts.target.run(command), protocol, selection.count) : [];
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
        const toScan = scanned[protocol];
        if (toScan.length === 0) continue;
        const target = vantage === 'loopback' ? loopbackAddress(family) : peerTargets![family];
        const ports = portsOfInterest(scenario, protocol, toScan);
        await scanOne(scanner, hosts.scope, { vantage, family, protocol, target, ports, scanPorts: toScan, timing }, collected, bounds.scan);
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
  scope: LabScope,
  request: ScanRequest,
  collected: Collected,
  boundMs: number,
): Promise<void> {
  const t0 = Date.now();
  const phase = `the ${request.vantage} ${request.family} ${request.protocol} scan`;
  const scan = await scanPorts((command) => scanner.run(command, { timeoutMs: boundMs, phase, bound: 'scan' }), request, scope);
  collected.scans.push({
    vantage: request.vantage,
    family: request.family,
    protocol: request.protocol,
    target: request.target,
    command: scan.command,
    hostState: scan.hostState,
    sourcePort: scan.sourcePort,
    followUpCommands: scan.followUpCommands,
    warnings: scan.warnings,
    ms: Date.now() - t0,
    ...(scan.xml === undefined ? {} : { xml: scan.xml }),
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
