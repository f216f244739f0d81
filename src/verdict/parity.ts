/**
 * The automatic IPv6-gap check: for each vantage × protocol × port scanned on both families, a finding when
 * the two states fall in different categories (see `categoryOf`: open, closed, filtered, unreachable,
 * unfiltered). `filtered` with different reasons is not a finding; `closed` vs `filtered` is (REJECT on one
 * family, DROP on the other).
 *
 * Every scanned port counts, not only the individually observed ones: nmap collapses most ports of a large
 * scan into summaries, and their exact port lists (`ObservedSummary.ports`) are compared port by port.
 * Differing summarised ports with the same pair of states are reported as one finding with their ranges.
 * Where nmap gave no port lists, the two families' summaries are compared as counts per category, and a
 * difference is a finding too: a comparison that cannot be made is never silently skipped.
 */
import { compareViews, PROTOCOLS, viewLabel, type Family, type Observation, type PortState, type Protocol, type Vantage } from '../model/observation.ts';
import type { ObservedSummary } from '../scan/types.ts';
import type { ParityFinding } from './types.ts';
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import type { ParityException, ParityMode } from '../model/scenario.ts';
import { categoryOf } from './satisfies.ts';

type Seen = { state: PortState; reason: string };
type Slice = { vantage: Vantage; host?: string; protocol: Protocol };

export function findParityGaps(observations: readonly Observation[], summaries: readonly ObservedSummary[], parity: { mode: ParityMode; exceptions: readonly ParityException[] }): ParityFinding[] {
  if (parity.mode === 'off') return [];
  const findings: ParityFinding[] = [];
  // Every vantage (and host behind the target) that saw anything, in the one order all outputs use.
  const views = new Map<string, { vantage: Vantage; host?: string }>();
  for (const x of [...observations, ...summaries]) views.set(viewLabel(x), { vantage: x.vantage, ...(x.host ? { host: x.host } : {}) });
  for (const view of [...views.values()].sort(compareViews)) {
    for (const protocol of PROTOCOLS) {
      findings.push(...sliceFindings({ ...view, protocol }, observations, summaries, parity.exceptions));
    }
  }
  return findings.sort((a, b) => compareViews(a, b) || PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
}

function sliceFindings(slice: Slice, observations: readonly Observation[], summaries: readonly ObservedSummary[], exceptions: readonly ParityException[]): ParityFinding[] {
  const inSlice = <T extends Slice>(x: T) => x.vantage === slice.vantage && x.host === slice.host && x.protocol === slice.protocol;
  const observed = observations.filter(inSlice);
  const summarised = summaries.filter(inSlice);
  const v4 = portMap('ipv4', observed, summarised);
  const v6 = portMap('ipv6', observed, summarised);
  const individually = new Set(observed.map((o) => o.port));
  // One lookup per port: a scenario may excuse every port (65,535 exceptions), and a search per port was quadratic.
  const excuses = new Map<number, string>();
  for (const e of exceptions) if (excusesSlice(e, slice) && !excuses.has(e.port)) excuses.set(e.port, e.why);

  const findings: ParityFinding[] = [];
  const groups = new Map<string, { ipv4: Seen; ipv6: Seen; excusedBy: string | null; ports: number[] }>();
  const ports = [...new Set([...v4.exact.keys(), ...v6.exact.keys()])].sort((a, b) => a - b);
  for (const port of ports) {
    // A port one family listed and the other only summarised without lists: that summary's one category.
    const ipv4 = v4.exact.get(port) ?? v4.fallback;
    const ipv6 = v6.exact.get(port) ?? v6.fallback;
    if (!ipv4 || !ipv6 || categoryOf(ipv4.state) === categoryOf(ipv6.state)) continue;
    const excusedBy = excuses.get(port) ?? null;
    if (individually.has(port)) {
      findings.push(finding(slice, [port], ipv4, ipv6, excusedBy));
      continue;
    }
    const key = JSON.stringify([ipv4, ipv6, excusedBy]);
    const group = groups.get(key) ?? { ipv4, ipv6, excusedBy, ports: [] };
    group.ports.push(port);
    groups.set(key, group);
  }
  for (const group of groups.values()) findings.push(finding(slice, group.ports, group.ipv4, group.ipv6, group.excusedBy));
  const coarse = coarseFinding(slice, summarised);
  if (coarse) findings.push(coarse);
  return findings;
}

/**
 * A family's state per port: individual observations, then summaries with port lists. `fallback` is the
 * family's one category of unlisted summaries, when it has exactly one.
 */
function portMap(family: Family, observed: readonly Observation[], summarised: readonly ObservedSummary[]) {
  const exact = new Map<number, Seen>();
  const unlisted: ObservedSummary[] = [];
  for (const summary of summarised) {
    if (summary.family !== family) continue;
    if (summary.ports === null) {
      unlisted.push(summary);
      continue;
    }
    const seen = { state: summary.state, reason: `${summary.reason}, summarised` };
    for (const port of parsePortSpec(summary.ports)) exact.set(port, seen);
  }
  for (const o of observed) if (o.family === family) exact.set(o.port, { state: o.state, reason: o.reason });
  const first = unlisted[0];
  const fallback = first && unlisted.every((s) => categoryOf(s.state) === categoryOf(first.state)) ? { state: first.state, reason: `${first.reason}, summarised` } : null;
  return { exact, fallback };
}

/** Summaries without port lists cannot be compared port by port: compare their counts per category. */
function coarseFinding(slice: Slice, summarised: readonly ObservedSummary[]): ParityFinding | null {
  const unlisted = summarised.filter((s) => s.ports === null);
  const families = new Set(unlisted.map((s) => s.family));
  const mixed = [...families].some((family) => new Set(unlisted.filter((s) => s.family === family).map((s) => categoryOf(s.state))).size > 1);
  // One family's single-category summary was already compared port by port (as the fallback); only two
  // unlisted summaries, or a mixed one, leave ports that cannot be matched.
  if (families.size < 2 && !mixed) return null;
  const counts = (family: Family) => {
    const byCategory = new Map<string, number>();
    for (const s of unlisted) {
      if (s.family === family) byCategory.set(categoryOf(s.state), (byCategory.get(categoryOf(s.state)) ?? 0) + s.count);
    }
    return (
      [...byCategory]
        .sort()
        .map(([category, count]) => `${count}× ${category}`)
        .join(', ') || 'none'
    );
  };
  const ipv4 = counts('ipv4');
  const ipv6 = counts('ipv6');
  if (ipv4 === ipv6) return null;
  return {
    vantage: slice.vantage,
    ...(slice.host ? { host: slice.host } : {}),
    protocol: slice.protocol,
    port: 0,
    ipv4: { state: unlisted.find((s) => s.family === 'ipv4')?.state ?? 'filtered', reason: ipv4 },
    ipv6: { state: unlisted.find((s) => s.family === 'ipv6')?.state ?? 'filtered', reason: ipv6 },
    excusedBy: null,
    message: `${viewLabel(slice)} ${slice.protocol} (summarised ports, nmap gave no port lists): ` + `ipv4 ${ipv4}, ipv6 ${ipv6}; they cannot be compared port by port`,
  };
}

function finding(slice: Slice, ports: number[], ipv4: Seen, ipv6: Seen, excusedBy: string | null): ParityFinding {
  const first = ports[0]!;
  const many = ports.length > 1;
  const label = many ? `${formatPortSpec(ports)} (${ports.length} ports)` : String(first);
  return {
    vantage: slice.vantage,
    ...(slice.host ? { host: slice.host } : {}),
    protocol: slice.protocol,
    port: first,
    ipv4,
    ipv6,
    excusedBy,
    ...(many ? { ports: formatPortSpec(ports), count: ports.length } : {}),
    message: `${viewLabel(slice)} ${slice.protocol}/${label}: ipv4 ${ipv4.state} (${ipv4.reason}), ipv6 ${ipv6.state} (${ipv6.reason})`,
  };
}

function excusesSlice(exception: ParityException, slice: Slice): boolean {
  return (exception.vantage === 'all' || exception.vantage === slice.vantage) && exception.protocol === slice.protocol;
}
