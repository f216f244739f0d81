/**
 * Reads one nmap run (`-oX -` on stdout, one target, one protocol) into one Observation per port of
 * interest. Anything that would make a result untrustworthy (non-zero exit, nmap error, truncated or
 * malformed XML, a missing or timed-out host, a port nmap did not report) is an error, never an empty or
 * "all filtered" result. Shapes follow nmap.dtd as written by nmap 7.93; see test/fixtures/nmap/.
 */
import { isIPv6 } from 'node:net';
import { parseStringPromise } from 'xml2js';
import type { Family, Observation, PortState, Protocol, Vantage } from '../model.ts';
import { PORT_STATES } from '../model.ts';
import {
  NmapExitError,
  NmapHostMissingError,
  NmapNoPortsError,
  NmapProtocolMismatchError,
  NmapRunError,
  NmapTruncatedError,
  NmapXmlError,
  PortNotScannedError,
  PortSpecError,
  type NmapRunDetails,
} from './errors.ts';
import { formatPortSpec, parsePortSpec } from './ports.ts';

/** What the caller knows about the nmap run whose stdout is being parsed. */
export interface ScanContext {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  /** The address scanned, e.g. `::1` or `fd00:fb::2`. Compared with `<address addr>` after canonicalising IPv6. */
  target: string;
  /** Ports of interest: each gets exactly one Observation, or the parse fails. */
  ports: number[];
  /** Full nmap argv, shown in error messages. */
  command: string[];
  exitCode: number;
  stderr: string;
}

/** A group of scanned ports that are not in `observations`, e.g. 195 × closed/reset. */
export interface PortSummary {
  state: PortState;
  reason: string;
  count: number;
  /** Exactly which ports, in nmap's `-p` syntax (`1-21,23-79`); null when nmap did not list them. */
  ports: string | null;
}

export interface ScanResult {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  target: string;
  command: string[];
  /**
   * `unreachable`: nmap wrote no `<host>` and counted the one target as down (see parseNmapRun); only
   * possible for the `peer` vantage.
   */
  hostState: 'up' | 'unreachable';
  /** One per port of interest, plus every port nmap listed individually; sorted by port. */
  observations: Observation[];
  /** Ports nmap scanned that are not in `observations` (from `<extraports>`), summarised; sorted by state, reason. */
  others: PortSummary[];
  elapsedSeconds: number | null;
  nmapVersion: string | null;
}

/** The reason given to ports of interest on an unreachable host. */
export const HOST_DOWN_REASON = 'host-down';

/**
 * Parses nmap's XML for one target and one protocol.
 *
 * A peer scan may legitimately find no host at all: when the target drops all ICMPv6, IPv6 neighbour
 * discovery fails, the scanner never learns the target's link-layer address and nmap 7.93 (even with
 * `-Pn`) writes no `<host>` element, only `<hosts up="0" down="1" total="1">` and `exit="success"`. For
 * the `peer` vantage that exact outcome yields `hostState: 'unreachable'` and every port of interest
 * `unreachable` / `host-down`, so it is reported by name instead of reading as "nothing open". On
 * loopback there is no link layer to fail, so the same output is an NmapHostMissingError.
 *
 * @throws NmapExitError, NmapRunError, NmapTruncatedError, NmapXmlError, NmapNoPortsError,
 *   NmapHostMissingError, NmapProtocolMismatchError, PortNotScannedError (all NmapScanError).
 */
export async function parseNmapRun(stdout: string, ctx: ScanContext): Promise<ScanResult> {
  const run: NmapRunDetails = { command: ctx.command, exitCode: ctx.exitCode, stderr: ctx.stderr, stdout };
  const nmaprun = await parseXml(stdout, run);
  try {
    return interpret(nmaprun, ctx, run);
  } catch (error) {
    if (error instanceof ShapeError) throw new NmapXmlError(error.message, run, { cause: error });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// XML parsing and narrowing. xml2js defaults: children are arrays, attributes under `$`, an empty
// element is '' and every value is a string.

type XmlNode = Record<string, unknown>;

/** A shape problem found while narrowing; parseNmapRun turns it into an NmapXmlError with run details. */
class ShapeError extends Error {}

async function parseXml(stdout: string, run: NmapRunDetails): Promise<XmlNode> {
  if (stdout.trim() === '') throw new NmapTruncatedError('stdout is empty', run);
  let doc: unknown;
  try {
    doc = await parseStringPromise(stdout);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.replaceAll('\n', ' ') : String(cause);
    if (!stdout.includes('</nmaprun>')) {
      throw new NmapTruncatedError(`no closing </nmaprun>; XML parser: ${detail}`, run, { cause });
    }
    throw new NmapXmlError(`not well-formed XML (${detail})`, run, { cause });
  }
  if (!isRecord(doc) || !('nmaprun' in doc)) {
    throw new NmapXmlError('the root element is not <nmaprun>', run);
  }
  try {
    return asNode(doc.nmaprun, 'nmaprun');
  } catch (error) {
    throw new NmapXmlError(error instanceof Error ? error.message : String(error), run, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asNode(value: unknown, name: string): XmlNode {
  if (typeof value === 'string') return value === '' ? {} : { _: value };
  if (isRecord(value)) return value;
  throw new ShapeError(`<${name}> is not an element`);
}

function children(node: XmlNode, name: string): XmlNode[] {
  const value = Object.hasOwn(node, name) ? node[name] : undefined;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ShapeError(`<${name}> is not a list of elements`);
  return value.map((item: unknown) => asNode(item, name));
}

function firstChild(node: XmlNode, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

function attr(node: XmlNode, name: string): string | undefined {
  const attrs = node.$;
  if (!isRecord(attrs) || !Object.hasOwn(attrs, name)) return undefined;
  const value = attrs[name];
  return typeof value === 'string' ? value : undefined;
}

function requireAttr(node: XmlNode, element: string, name: string): string {
  const value = attr(node, name);
  if (value === undefined) throw new ShapeError(`<${element}> has no ${name}="…" attribute`);
  return value;
}

function requireCount(node: XmlNode, element: string, name: string): number {
  const value = requireAttr(node, element, name);
  if (!/^\d+$/.test(value)) throw new ShapeError(`<${element} ${name}="${value}"> is not a whole number`);
  return Number(value);
}

const NMAP_STATES: readonly PortState[] = PORT_STATES.filter((state) => state !== 'unreachable');

function requireState(node: XmlNode, element: string): PortState {
  const value = requireAttr(node, element, 'state');
  const state = NMAP_STATES.find((known) => known === value);
  if (!state) throw new ShapeError(`<${element} state="${value}"> is not a port state nmap defines`);
  return state;
}

function readPortList(spec: string, element: string): number[] {
  try {
    return parsePortSpec(spec);
  } catch (error) {
    if (error instanceof PortSpecError) throw new ShapeError(`<${element} ports="${spec}">: ${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// The run as a whole.

function interpret(nmaprun: XmlNode, ctx: ScanContext, run: NmapRunDetails): ScanResult {
  const runstats = firstChild(nmaprun, 'runstats');
  const finished = runstats && firstChild(runstats, 'finished');
  // exit="error" comes first: its errormsg says more than the exit code does.
  if (finished && attr(finished, 'exit') === 'error') {
    throw new NmapRunError(attr(finished, 'errormsg') ?? '(no errormsg given)', run);
  }
  if (!runstats || !finished) throw new NmapTruncatedError('no <runstats><finished> element', run);
  if (ctx.exitCode !== 0) throw new NmapExitError(run);
  const exit = requireAttr(finished, 'finished', 'exit');
  if (exit !== 'success') throw new ShapeError(`<finished exit="${exit}"> is neither "success" nor "error"`);

  const scanned = readScanInfo(nmaprun, ctx, run);
  const base = {
    vantage: ctx.vantage,
    family: ctx.family,
    protocol: ctx.protocol,
    target: ctx.target,
    command: ctx.command,
    elapsedSeconds: readElapsed(finished),
    nmapVersion: attr(nmaprun, 'version') ?? null,
  };
  const host = findHost(nmaprun, runstats, ctx, run);
  if (host === 'unreachable') {
    return { ...base, hostState: 'unreachable', observations: unreachableObservations(ctx), others: unreachableOthers(ctx, scanned) };
  }
  const { observations, others } = readHostPorts(host, scanned, ctx, run);
  return { ...base, hostState: 'up', observations, others };
}

/** Checks the protocol of each `<scaninfo>` and returns the ports nmap says it scanned, if it says so. */
function readScanInfo(nmaprun: XmlNode, ctx: ScanContext, run: NmapRunDetails): Set<number> | null {
  const infos = children(nmaprun, 'scaninfo');
  for (const info of infos) {
    const protocol = requireAttr(info, 'scaninfo', 'protocol');
    if (protocol !== ctx.protocol) throw new NmapProtocolMismatchError(ctx.protocol, protocol, '<scaninfo>', run);
  }
  const services = infos.length === 1 && infos[0] ? attr(infos[0], 'services') : undefined;
  return services === undefined ? null : new Set(readPortList(services, 'scaninfo'));
}

function readElapsed(finished: XmlNode): number | null {
  const elapsed = Number(attr(finished, 'elapsed'));
  return Number.isFinite(elapsed) ? elapsed : null;
}

// ---------------------------------------------------------------------------------------------------
// Finding the target's <host>.

function findHost(
  nmaprun: XmlNode,
  runstats: XmlNode,
  ctx: ScanContext,
  run: NmapRunDetails,
): XmlNode | 'unreachable' {
  const hosts = children(nmaprun, 'host');
  if (hosts.length === 0) return noHost(runstats, ctx, run);
  const target = canonicalAddress(ctx.target);
  const matching = hosts.filter((host) => hostAddresses(host).some((a) => canonicalAddress(a) === target));
  if (matching.length === 0) {
    const found = hosts.flatMap(hostAddresses).join(', ') || 'none';
    throw new NmapHostMissingError(ctx.target, `the output only has host address(es) ${found}`, run);
  }
  if (matching.length > 1) throw new ShapeError(`${matching.length} <host> elements have address ${ctx.target}`);
  return matching[0] as XmlNode;
}

function noHost(runstats: XmlNode, ctx: ScanContext, run: NmapRunDetails): 'unreachable' {
  const hosts = firstChild(runstats, 'hosts');
  if (!hosts) throw new NmapTruncatedError('no <runstats><hosts> element', run);
  const up = requireCount(hosts, 'hosts', 'up');
  const down = requireCount(hosts, 'hosts', 'down');
  const total = requireCount(hosts, 'hosts', 'total');
  const counts = `<hosts up="${up}" down="${down}" total="${total}">`;
  if (up === 0 && down === 1 && total === 1) {
    if (ctx.vantage === 'peer' && ctx.family === 'ipv6') return 'unreachable';
    if (ctx.vantage === 'peer') {
      // iptables cannot drop ARP, so an IPv4 peer that finds no host means the lab itself is broken (the
      // interface is down, the address gone): that must never read as "nothing exposed".
      throw new NmapHostMissingError(
        ctx.target,
        `nmap wrote no <host> and ${counts}: the IPv4 target did not answer ARP, which iptables rules cannot ` +
          'cause. Is its lab interface down or its address removed (by the ruleset script)?',
        run,
      );
    }
    throw new NmapHostMissingError(
      ctx.target,
      `nmap wrote no <host> and ${counts}: it found the loopback target down, which loopback cannot be ` +
        '(is -Pn missing?)',
      run,
    );
  }
  const hint = total === 0 ? '; no target was scanned at all, e.g. -6 with an IPv4 target or the reverse' : '';
  throw new NmapHostMissingError(ctx.target, `nmap wrote no <host> and ${counts}${hint}`, run);
}

function hostAddresses(host: XmlNode): string[] {
  return children(host, 'address')
    .filter((address) => attr(address, 'addrtype') !== 'mac')
    .map((address) => requireAttr(address, 'address', 'addr'));
}

/** nmap prints IPv6 addresses in canonical form; the caller may not (`fd00:fb:0::2`). */
function canonicalAddress(address: string): string {
  if (!isIPv6(address)) return address.toLowerCase();
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/** Every other scanned port is as unreachable as the ports of interest: summarised, so `others` sees them. */
function unreachableOthers(ctx: ScanContext, scanned: Set<number> | null): PortSummary[] {
  if (!scanned) return [];
  const interest = new Set(ctx.ports);
  const ports = [...scanned].filter((port) => !interest.has(port)).sort((a, b) => a - b);
  if (ports.length === 0) return [];
  return [{ state: 'unreachable', reason: HOST_DOWN_REASON, count: ports.length, ports: formatPortSpec(ports) }];
}

function unreachableObservations(ctx: ScanContext): Observation[] {
  return uniqueSorted(ctx.ports).map((port) => observation(ctx, port, 'unreachable', HOST_DOWN_REASON));
}

// ---------------------------------------------------------------------------------------------------
// Ports of the target's <host>.

interface PortFinding {
  state: PortState;
  reason: string;
}

interface ExtraReasons {
  reason: string;
  count: number;
  /** From `ports="1-21,23"` (nmap 7.92+); null when nmap did not list them. */
  ports: number[] | null;
}

interface ExtraPorts {
  state: PortState;
  count: number;
  reasons: ExtraReasons[];
}

function readHostPorts(
  host: XmlNode,
  scanned: Set<number> | null,
  ctx: ScanContext,
  run: NmapRunDetails,
): { observations: Observation[]; others: PortSummary[] } {
  const target = ctx.target;
  if (attr(host, 'timedout') === 'true') {
    throw new NmapNoPortsError(target, '<host timedout="true">: --host-timeout fired before the scan ended', run);
  }
  const portsNode = firstChild(host, 'ports');
  const status = firstChild(host, 'status');
  const hostState = status ? attr(status, 'state') : undefined;
  if (!portsNode) throw new NmapNoPortsError(target, `no <ports> element; host status is "${hostState ?? '?'}"`, run);
  const listed = readListedPorts(portsNode, ctx, run);
  const extras = children(portsNode, 'extraports').map((node) => readExtraPorts(node, ctx, run));
  if (listed.size === 0 && extras.length === 0) throw new NmapNoPortsError(target, '<ports> is empty', run);

  const findings = new Map(listed);
  const assignedFromUnlisted = new Map<ExtraPorts, number>();
  for (const port of uniqueSorted(ctx.ports)) {
    if (findings.has(port)) continue;
    const located = locateInExtras(port, extras, scanned, ctx, run);
    findings.set(port, located.finding);
    const from = located.unlisted;
    if (from) assignedFromUnlisted.set(from, (assignedFromUnlisted.get(from) ?? 0) + 1);
  }
  const observations = [...findings.keys()]
    .sort((a, b) => a - b)
    .map((port) => {
      const finding = findings.get(port) as PortFinding;
      return observation(ctx, port, finding.state, finding.reason);
    });
  return { observations, others: summariseOthers(extras, findings, assignedFromUnlisted) };
}

function readListedPorts(portsNode: XmlNode, ctx: ScanContext, run: NmapRunDetails): Map<number, PortFinding> {
  const listed = new Map<number, PortFinding>();
  for (const node of children(portsNode, 'port')) {
    const protocol = requireAttr(node, 'port', 'protocol');
    const portid = requireCount(node, 'port', 'portid');
    if (protocol !== ctx.protocol) {
      throw new NmapProtocolMismatchError(ctx.protocol, protocol, `<port portid="${portid}">`, run);
    }
    const stateNode = firstChild(node, 'state');
    if (!stateNode) throw new ShapeError(`<port portid="${portid}"> has no <state>`);
    listed.set(portid, {
      state: requireState(stateNode, 'state'),
      reason: requireAttr(stateNode, 'state', 'reason'),
    });
  }
  return listed;
}

function readExtraPorts(node: XmlNode, ctx: ScanContext, run: NmapRunDetails): ExtraPorts {
  const reasons = children(node, 'extrareasons').map((reasonNode): ExtraReasons => {
    const proto = attr(reasonNode, 'proto');
    if (proto !== undefined && proto !== ctx.protocol) {
      throw new NmapProtocolMismatchError(ctx.protocol, proto, '<extrareasons>', run);
    }
    const count = requireCount(reasonNode, 'extrareasons', 'count');
    const spec = attr(reasonNode, 'ports');
    const ports = spec === undefined ? null : readPortList(spec, 'extrareasons');
    // A list that disagrees with its own count would silently misplace ports.
    if (ports && ports.length !== count) {
      throw new ShapeError(`<extrareasons count="${count}" ports="${spec}"> lists ${ports.length} ports`);
    }
    return { reason: requireAttr(reasonNode, 'extrareasons', 'reason'), count, ports };
  });
  return { state: requireState(node, 'extraports'), count: requireCount(node, 'extraports', 'count'), reasons };
}

/**
 * Finds a port that nmap did not list individually. `unlisted` is set when the state came from the one
 * `<extraports>` that has no port lists, so its summary count can be reduced.
 */
function locateInExtras(
  port: number,
  extras: readonly ExtraPorts[],
  scanned: Set<number> | null,
  ctx: ScanContext,
  run: NmapRunDetails,
): { finding: PortFinding; unlisted?: ExtraPorts } {
  for (const extra of extras) {
    const holder = extra.reasons.find((reasons) => reasons.ports?.includes(port));
    if (holder) return { finding: { state: extra.state, reason: holder.reason } };
  }
  if (scanned && !scanned.has(port)) {
    throw new PortNotScannedError(port, ctx.protocol, 'nmap did not scan it (not in <scaninfo services>)', run);
  }
  const fullyListed = extras.every((e) => e.reasons.length > 0 && e.reasons.every((r) => r.ports !== null));
  if (fullyListed) {
    throw new PortNotScannedError(
      port,
      ctx.protocol,
      'it is neither a <port> element nor in any <extrareasons ports="…">',
      run,
    );
  }
  const only = extras.length === 1 ? extras[0] : undefined;
  if (only && only.reasons.every((r) => r.ports === null)) {
    return { finding: { state: only.state, reason: joinReasons(only) }, unlisted: only };
  }
  const groups = extras.map((e) => `${e.state} ×${e.count}`).join(', ');
  throw new PortNotScannedError(
    port,
    ctx.protocol,
    `it is not listed individually and the ${extras.length} <extraports> groups (${groups}) do not say ` +
      'which ports they hold, so its state is ambiguous',
    run,
  );
}

/** Reason for ports taken from an `<extraports>` without port lists: its reasons, e.g. `reset`. */
function joinReasons(extra: ExtraPorts): string {
  const reasons = [...new Set(extra.reasons.map((r) => r.reason))];
  return reasons.length === 0 ? 'unknown' : reasons.join(' or ');
}

function summariseOthers(
  extras: readonly ExtraPorts[],
  findings: ReadonlyMap<number, PortFinding>,
  assignedFromUnlisted: ReadonlyMap<ExtraPorts, number>,
): PortSummary[] {
  const summaries: SummaryDraft[] = [];
  for (const extra of extras) {
    if (extra.reasons.length > 0 && extra.reasons.every((r) => r.ports !== null)) {
      for (const reasons of extra.reasons) {
        const ports = (reasons.ports ?? []).filter((port) => !findings.has(port));
        addSummary(summaries, { state: extra.state, reason: reasons.reason, count: ports.length, ports });
      }
    } else {
      const count = extra.count - (assignedFromUnlisted.get(extra) ?? 0);
      addSummary(summaries, { state: extra.state, reason: joinReasons(extra), count, ports: null });
    }
  }
  return summaries
    .sort((a, b) => PORT_STATES.indexOf(a.state) - PORT_STATES.indexOf(b.state) || a.reason.localeCompare(b.reason))
    .map(({ ports, ...summary }) => ({ ...summary, ports: ports && ports.length > 0 ? formatPortSpec(ports) : null }));
}

type SummaryDraft = Omit<PortSummary, 'ports'> & { ports: number[] | null };

function addSummary(summaries: SummaryDraft[], summary: SummaryDraft): void {
  if (summary.count <= 0) return;
  const same = summaries.find((s) => s.state === summary.state && s.reason === summary.reason);
  if (!same) {
    summaries.push({ ...summary, ports: summary.ports && [...summary.ports] });
    return;
  }
  same.count += summary.count;
  // One group without port lists makes the merged group's list unknown.
  same.ports = same.ports && summary.ports ? [...same.ports, ...summary.ports].sort((a, b) => a - b) : null;
}

function observation(ctx: ScanContext, port: number, state: PortState, reason: string): Observation {
  return { vantage: ctx.vantage, family: ctx.family, protocol: ctx.protocol, port, state, reason };
}

function uniqueSorted(ports: readonly number[]): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}
