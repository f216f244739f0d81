/**
 * nmap's own source port on loopback. A loopback scan sends from 127.0.0.1/::1 to 127.0.0.1/::1, so the
 * probe of the port equal to nmap's source port P is addressed to itself (P → P). Conntrack gives that
 * packet the same tuple both ways and can take it for a reply: under `INPUT DROP` with ESTABLISHED
 * accepted, it passes as ESTABLISHED and the port reads `closed` (reset), or `open` (nmap sees its own
 * SYN: split-handshake-syn). Without `-g` nmap also picks a new random P per run and per retry, so one
 * run's probe P1 → P2 can meet the entry of an earlier P2 → P1 and pass as a reply. Measured on
 * fwprobe's INPUT-DROP/ESTABLISHED ruleset: 6 of 8 full sweeps had one to three such ports.
 *
 * So every loopback scan pins P, and a scan set that holds P leaves it out and looks at it alone from
 * another source port Q. That look must not be a reply either: Q → P is the reply of P → Q, which the
 * main scan would send if Q were in its set, so Q is then left out too and looked at from a third port R.
 * Every port is still probed exactly once, and no run's probe is the reply of another run's, in any
 * order: the two looks run side by side, after the main scan rather than beside it (at 20000 pps the main
 * scan is CPU-bound, and a look's answer could miss its 50 ms window).
 */
import { InternalError } from '../model/errors.ts';
import type { Observation } from '../model/observation.ts';
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import { mergeWarnings } from './parse/stderr.ts';
import type { PortSummary, ScanRequest, ScanResult } from './types.ts';

/**
 * The first candidate source port. Inside Linux's ephemeral range (32768-60999), where a real client's
 * source port is, and far from the ports firewalls single out (53, 67, 123, …: "--sport 53 -j ACCEPT"
 * rules would let a scan from there in when no client would be).
 */
export const SOURCE_PORT_BASE = 47311;

/** How a loopback scan uses source ports. */
export interface SourcePortPlan {
  /** `-g` of the main scan, and of the UDP confirmation; undefined when every port is a port of interest. */
  sourcePort: number | undefined;
  /** Ports the main scan leaves out, each observed by one of `looks`. */
  excluded: number[];
  /** Single-port scans after the main one: `port` probed from source port `from`. */
  looks: { port: number; from: number }[];
}

/**
 * Picks P, Q and R: the first three ports from SOURCE_PORT_BASE up that are not ports of interest (so a
 * port of interest is always observed by the main scan, with the other ports of interest).
 */
export function planSourcePorts(request: Pick<ScanRequest, 'ports' | 'scanPorts'>): SourcePortPlan {
  const interest = new Set(request.ports);
  const picked = candidates(interest);
  // Almost every port is a port of interest (an expectation naming 1-65535): nothing is left to pin. Each of
  // those ports gets an Observation from the main run, and the parity and verdict checks see them all.
  if (!picked) return { sourcePort: undefined, excluded: [], looks: [] };
  const [p, q, r] = picked;
  // Two lookups: a scan through the lists, not a Set of a full sweep's 65,535 ports.
  const scanned = (port: number) => interest.has(port) || (request.scanPorts?.includes(port) ?? false);
  if (!scanned(p)) return { sourcePort: p, excluded: [], looks: [] };
  if (!scanned(q)) return { sourcePort: p, excluded: [p], looks: [{ port: p, from: q }] };
  return {
    sourcePort: p,
    excluded: [p, q],
    looks: [
      { port: p, from: q },
      { port: q, from: r },
    ],
  };
}

function candidates(interest: ReadonlySet<number>): [number, number, number] | null {
  const picked: number[] = [];
  // Downwards once the top is reached: a scenario would need ~18000 ports of interest to exhaust both.
  for (let port = SOURCE_PORT_BASE; picked.length < 3 && port <= 65535; port++) if (!interest.has(port)) picked.push(port);
  for (let port = SOURCE_PORT_BASE - 1; picked.length < 3 && port >= 1024; port--) if (!interest.has(port)) picked.push(port);
  if (picked.length < 3) return null;
  return picked as [number, number, number];
}

/**
 * Puts the one port a look observed into the main result: into the summary of its state and reason when
 * there is one (as nmap would have counted it), else as an observation of its own (as nmap lists a port
 * whose state differs from the collapsed majority).
 */
export function mergeLook(main: ScanResult, look: ScanResult, port: number): ScanResult {
  const seen = look.observations.find((o) => o.port === port);
  if (!seen) throw new InternalError(`mergeLook: the look at port ${port} has no observation of it`);
  const followUpCommands = [...main.followUpCommands, look.command, ...look.followUpCommands];
  const warnings = mergeWarnings(main.warnings, look.warnings);
  const group = main.others.find((s) => s.state === seen.state && s.reason === seen.reason);
  if (!group || main.observations.some((o) => o.port === port)) {
    const observations: Observation[] = [...main.observations.filter((o) => o.port !== port), seen].sort((a, b) => a.port - b.port);
    return { ...main, observations, followUpCommands, warnings };
  }
  const grown: PortSummary = {
    ...group,
    count: group.count + 1,
    ports: group.ports === null ? null : formatPortSpec([...parsePortSpec(group.ports), port]),
  };
  return { ...main, others: main.others.map((s) => (s === group ? grown : s)), followUpCommands, warnings };
}
