/**
 * Reads one nmap run (`-oX -` on stdout, one target, one protocol) into one Observation per port of
 * interest. Anything that would make a result untrustworthy (non-zero exit, nmap error, truncated or
 * malformed XML, a missing or timed-out host, a port nmap did not report) is an error, never an empty or
 * "all filtered" result. Shapes follow nmap.dtd as written by nmap 7.93; see test/fixtures/nmap/.
 */
import { canonicalIp } from '../../model/ip.ts';
import { NmapXmlShapeError, type CommandOutcome } from '../../model/errors.ts';
import { nmapErrors } from '../nmap-errors.ts';
import type { Observation } from '../../model/observation.ts';
import { formatPortSpec } from '../../model/ports.ts';
import { HOST_DOWN_REASON, type PortSummary, type ScanContext, type ScanResult } from '../types.ts';
import { observation, readHostPorts, uniqueSorted } from './ports.ts';
import { PortBits } from './port-bits.ts';
import { assertProbesLeft } from './probes-left.ts';
import { readWarnings } from './stderr.ts';
import { attr, children, firstChild, parseXml, readPortList, requireAttr, requireCount, type XmlNode } from './xml.ts';

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
 * A port of interest that got no answer while nmap reported probes it could not send is an error unless
 * the ruleset under test refused them itself (see probes-left.ts).
 *
 * @throws NmapExitError, NmapRunError, NmapOutputTruncatedError, NmapXmlInvalidError, NmapNoPortsError,
 *   NmapHostMissingError, NmapProtocolMismatchError, PortNotScannedError, NmapSendFailedError (all NmapScanError).
 */
export async function parseNmapRun(stdout: string, ctx: ScanContext): Promise<ScanResult> {
  const run: CommandOutcome = { command: ctx.command, exitCode: ctx.exitCode, stderr: ctx.stderr, stdout };
  const nmaprun = await parseXml(stdout, run);
  try {
    return interpret(nmaprun, ctx, run);
  } catch (error) {
    if (error instanceof NmapXmlShapeError) throw nmapErrors.xml(error.message, run, { cause: error });
    throw error;
  }
}

function interpret(nmaprun: XmlNode, ctx: ScanContext, run: CommandOutcome): ScanResult {
  const runstats = firstChild(nmaprun, 'runstats');
  const finished = runstats && firstChild(runstats, 'finished');
  // exit="error" comes first: its errormsg says more than the exit code does.
  if (finished && attr(finished, 'exit') === 'error') {
    throw nmapErrors.run(attr(finished, 'errormsg') ?? '(no errormsg given)', run);
  }
  if (!runstats || !finished) throw nmapErrors.truncated('no <runstats><finished> element', run);
  if (ctx.exitCode !== 0) throw nmapErrors.exit(run);
  const exit = requireAttr(finished, 'finished', 'exit');
  if (exit !== 'success') throw new NmapXmlShapeError(`<finished exit="${exit}"> is neither "success" nor "error"`);

  const scanned = readScanInfo(nmaprun, ctx, run);
  const base = {
    vantage: ctx.vantage,
    family: ctx.family,
    protocol: ctx.protocol,
    target: ctx.target,
    command: ctx.command,
    elapsedSeconds: readElapsed(finished),
    nmapVersion: attr(nmaprun, 'version') ?? null,
    sourcePort: sourcePortOf(ctx.command),
    followUpCommands: [],
    warnings: readWarnings(ctx.stderr),
  };
  const host = findHost(nmaprun, runstats, ctx, run);
  if (host === 'unreachable') {
    const observations = unreachableObservations(ctx);
    assertProbesLeft(ctx, observations, run);
    return { ...base, hostState: 'unreachable', observations, others: unreachableOthers(ctx, scanned) };
  }
  const { observations, others } = readHostPorts(host, scanned, ctx, run);
  assertProbesLeft(ctx, observations, run);
  return { ...base, hostState: 'up', observations, others };
}

/** Checks the protocol of each `<scaninfo>` and returns the ports nmap says it scanned, if it says so. */
function readScanInfo(nmaprun: XmlNode, ctx: ScanContext, run: CommandOutcome): PortBits | null {
  const infos = children(nmaprun, 'scaninfo');
  for (const info of infos) {
    const protocol = requireAttr(info, 'scaninfo', 'protocol');
    if (protocol !== ctx.protocol) throw nmapErrors.protocol(ctx.protocol, protocol, '<scaninfo>', run);
  }
  const services = infos.length === 1 && infos[0] ? attr(infos[0], 'services') : undefined;
  // A bitmap: a full sweep's list is ~65,000 ports, a Set of them tens of milliseconds to build.
  return services === undefined ? null : PortBits.of(readPortList(services, 'scaninfo'));
}

/** The `-g PORT` (or `--source-port PORT`) the command pinned, read from the argv that really ran. */
function sourcePortOf(command: readonly string[]): number | null {
  const flag = command.findIndex((arg) => arg === '-g' || arg === '--source-port');
  const port = flag === -1 ? NaN : Number(command[flag + 1]);
  return Number.isInteger(port) ? port : null;
}

function readElapsed(finished: XmlNode): number | null {
  const elapsed = Number(attr(finished, 'elapsed'));
  return Number.isFinite(elapsed) ? elapsed : null;
}

function findHost(nmaprun: XmlNode, runstats: XmlNode, ctx: ScanContext, run: CommandOutcome): XmlNode | 'unreachable' {
  const hosts = children(nmaprun, 'host');
  if (hosts.length === 0) return noHost(runstats, ctx, run);
  const target = canonicalIp(ctx.target);
  const matching = hosts.filter((host) => hostAddresses(host).some((a) => canonicalIp(a) === target));
  if (matching.length === 0) {
    const found = hosts.flatMap(hostAddresses).join(', ') || 'none';
    throw nmapErrors.hostMissing(ctx.target, `the output only has host address(es) ${found}`, run);
  }
  if (matching.length > 1) throw new NmapXmlShapeError(`${matching.length} <host> elements have address ${ctx.target}`);
  return matching[0] as XmlNode;
}

function noHost(runstats: XmlNode, ctx: ScanContext, run: CommandOutcome): 'unreachable' {
  const hosts = firstChild(runstats, 'hosts');
  if (!hosts) throw nmapErrors.truncated('no <runstats><hosts> element', run);
  const up = requireCount(hosts, 'hosts', 'up');
  const down = requireCount(hosts, 'hosts', 'down');
  const total = requireCount(hosts, 'hosts', 'total');
  const counts = `<hosts up="${up}" down="${down}" total="${total}">`;
  if (up === 0 && down === 1 && total === 1) {
    if (ctx.vantage !== 'loopback' && ctx.family === 'ipv6') return 'unreachable';
    if (ctx.vantage !== 'loopback') {
      // iptables cannot drop ARP, so an IPv4 peer that finds no host means the lab itself is broken (the
      // interface is down, the address gone): that must never read as "nothing exposed".
      throw nmapErrors.hostMissing(
        ctx.target,
        `nmap wrote no <host> and ${counts}: the IPv4 target did not answer ARP, which iptables rules cannot ` + 'cause. Is its lab interface down or its address removed (by the ruleset script)?',
        run,
      );
    }
    throw nmapErrors.hostMissing(ctx.target, `nmap wrote no <host> and ${counts}: it found the loopback target down, which loopback cannot be ` + '(is -Pn missing?)', run);
  }
  const hint = total === 0 ? '; no target was scanned at all, e.g. -6 with an IPv4 target or the reverse' : '';
  throw nmapErrors.hostMissing(ctx.target, `nmap wrote no <host> and ${counts}${hint}`, run);
}

function hostAddresses(host: XmlNode): string[] {
  return children(host, 'address')
    .filter((address) => attr(address, 'addrtype') !== 'mac')
    .map((address) => requireAttr(address, 'address', 'addr'));
}

/** Every other scanned port is as unreachable as the ports of interest: summarised, so `others` sees them. */
function unreachableOthers(ctx: ScanContext, scanned: PortBits | null): PortSummary[] {
  if (!scanned) return [];
  const interest = new Set(ctx.ports);
  // Ascending already (a bitmap's order).
  const ports = scanned.toArray().filter((port) => !interest.has(port));
  if (ports.length === 0) return [];
  return [{ state: 'unreachable', reason: HOST_DOWN_REASON, count: ports.length, ports: formatPortSpec(ports) }];
}

function unreachableObservations(ctx: ScanContext): Observation[] {
  return uniqueSorted(ctx.ports).map((port) => observation(ctx, port, 'unreachable', HOST_DOWN_REASON));
}
