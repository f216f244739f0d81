/**
 * nmap as fwprobe runs it: the command line from a request, the scope check, the XML parsed, the source
 * address pinned where the caller names it, the source port pinned on loopback (source-port.ts),
 * ambiguous UDP confirmed.
 */
import { InternalError } from '../model/errors.ts';
import { ipVersion } from '../model/ip.ts';
import { parseNmapRun } from './parse/run.ts';
import { mergeWarnings } from './parse/stderr.ts';
import type { Exec, ScanBacking, ScanRequest, ScanResult } from './types.ts';
import { countedScan, retryBacking, type Counting, type RunOne } from './counted.ts';
import { countedUdpScan } from './counted-udp.ts';
import { formatPortSpec } from '../model/ports.ts';
import type { LabScope } from './scope.ts';
import { keepRawXml } from './raw-xml.ts';
import { mergeLook, planSourcePorts } from './source-port.ts';
import { CONSERVATIVE_TIMING_ARGS, COUNTED_TIMING_ARGS, LAB_TIMING_ARGS, LAB_UDP_TIMING_ARGS, UDP_CONFIRM_MAX_PORTS, UDP_CONFIRM_TIMING_ARGS } from './timing.ts';

export function nmapCommand(request: ScanRequest): string[] {
  // formatPortSpec sorts and deduplicates itself, in linear time: no Set of a full sweep's 65,535 ports.
  const portSpec = formatPortSpec([...request.ports, ...(request.scanPorts ?? [])]);
  return [
    'nmap',
    ...(request.family === 'ipv6' ? ['-6'] : []),
    request.protocol === 'tcp' ? '-sS' : '-sU',
    // No host discovery (a DROP policy would hide the host) and no DNS: only the port scan is evidence.
    '-Pn',
    '-n',
    // The scan leaves from the scanner's own address, never from one the lab added for another shape.
    ...(request.source === undefined ? [] : ['-S', request.source.address, '-e', request.source.device]),
    ...(request.sourcePort === undefined ? [] : ['-g', String(request.sourcePort)]),
    '--reason',
    '-p',
    portSpec,
    ...timingArgs(request),
    '-oX',
    '-',
    request.target,
  ];
}

function timingArgs(request: ScanRequest): readonly string[] {
  if (request.timing === 'conservative') return CONSERVATIVE_TIMING_ARGS;
  if (request.timing === 'confirm') return UDP_CONFIRM_TIMING_ARGS;
  if (request.timing === 'counted') return COUNTED_TIMING_ARGS;
  return request.protocol === 'udp' ? LAB_UDP_TIMING_ARGS : LAB_TIMING_ARGS;
}

/**
 * Runs a scan. From loopback, nmap's source port is pinned and the scan set is split so that no probe is
 * addressed to its own source port or answers another probe (planSourcePorts): one main run, then at most
 * two single-port looks side by side, merged so that every port is reported once. With the tuned timing, UDP
 * ports of interest that read `open|filtered` are scanned once more with patient timing, and that answer
 * replaces the first (see UDP_CONFIRM_TIMING_ARGS). Given `counting`, a tuned TCP scan's main run is a
 * counted scan (counted.ts): each probe once, the target's ledger proving the drops, the rest retried; a
 * UDP scan runs as ever with the UDP ledger around it (counted-udp.ts), which decides every port's admission.
 */
export async function scanPorts(exec: Exec, request: ScanRequest, scope: LabScope, counting?: Counting): Promise<ScanResult> {
  const run: RunOne = (r) => runNmap(exec, r, scope);
  const lab = (request.timing ?? 'lab') === 'lab';
  const counted = counting !== undefined && request.protocol === 'tcp' && lab;
  // A UDP sweep is counted to decide its silent ports (ledger-udp.ts), not to go faster: its runs stay as they are.
  const countedUdp = counting !== undefined && request.protocol === 'udp' && lab;
  if (request.vantage !== 'loopback') {
    // A peer's probes are told from its clients' by the pinned port (and nmap's window): see ledger.ts.
    const pinned = counted || countedUdp ? planSourcePorts(request).sourcePort : undefined;
    if (counting && pinned !== undefined && counted) return countedScan(run, { ...request, sourcePort: pinned }, counting);
    if (counting && pinned !== undefined) {
      const main = { ...request, sourcePort: pinned };
      return countedUdpScan(async () => confirmUdp(exec, main, await runNmap(exec, main, scope), scope), main, [pinned], counting);
    }
    return withBacking(await confirmUdp(exec, request, await runNmap(exec, request, scope), scope));
  }
  const plan = planSourcePorts(request);
  const excluded = new Set(plan.excluded);
  const main: ScanRequest = { ...request, sourcePort: plan.sourcePort };
  if (excluded.size > 0) main.scanPorts = (request.scanPorts ?? request.ports).filter((port) => !excluded.has(port));
  const whole = async () => {
    let started: Promise<ScanResult[]> | undefined;
    const runLooks = () => (started ??= Promise.all(plan.looks.map((look) => runNmap(exec, { ...request, ports: [look.port], scanPorts: [look.port], sourcePort: look.from }, scope))));
    // A counted scan starts the looks once its nmap run is over, while its ledger is read (the ledger notes
    // only the pinned port's probes, never the looks'); otherwise they follow the main run.
    const first = counting && counted && main.sourcePort !== undefined ? await countedScan(run, main, counting, runLooks) : await run(main);
    const looks = await runLooks();
    const merged = looks.reduce((result, single, i) => mergeLook(result, single, plan.looks[i]!.port), first);
    // A look is a run with nmap's own retry: its silent port is backed by that retry.
    const silentLooks = looks.filter((single, i) => single.observations.some((o) => o.port === plan.looks[i]!.port && o.state === 'filtered' && o.reason === 'no-response')).length;
    const backing: ScanBacking | undefined = first.backing && { ...first.backing, silent: first.backing.silent + silentLooks, retried: first.backing.retried + silentLooks };
    return withBacking(await confirmUdp(exec, main, backing ? { ...merged, backing } : merged, scope));
  };
  if (counting && countedUdp && main.sourcePort !== undefined) return countedUdpScan(whole, main, [main.sourcePort, ...plan.looks.map((look) => look.from)], counting);
  return whole();
}

/** A TCP result without a ledger is backed by nmap's own retry of every unanswered probe. */
function withBacking(result: ScanResult): ScanResult {
  if (result.protocol !== 'tcp' || result.backing) return result;
  return { ...result, backing: retryBacking(result) };
}

async function confirmUdp(exec: Exec, request: ScanRequest, first: ScanResult, scope: LabScope): Promise<ScanResult> {
  if (request.protocol !== 'udp' || (request.timing ?? 'lab') !== 'lab') return first;
  const interest = new Set(request.ports);
  const ambiguous = first.observations.filter((o) => o.state === 'open|filtered' && interest.has(o.port));
  if (ambiguous.length === 0 || ambiguous.length > UDP_CONFIRM_MAX_PORTS) return first;
  const ports = ambiguous.map((o) => o.port);
  const second = await runNmap(exec, { ...request, ports, scanPorts: ports, timing: 'confirm' }, scope);
  const confirmed = new Map(second.observations.map((o) => [o.port, o]));
  return {
    ...first,
    observations: first.observations.map((o) => confirmed.get(o.port) ?? o),
    followUpCommands: [...first.followUpCommands, second.command],
    warnings: mergeWarnings(first.warnings, second.warnings),
  };
}

/** Checks the scope, runs nmap through `exec`, and parses its XML from stdout only. */
export async function runNmap(exec: Exec, request: ScanRequest, scope: LabScope): Promise<ScanResult> {
  scope.assertAllowed(request.target, request.vantage, request.family);
  if (request.source && ipVersion(request.source.address) !== (request.family === 'ipv4' ? 4 : 6)) {
    throw new InternalError(`runNmap: source ${JSON.stringify(request.source.address)} is not an ${request.family} address`);
  }
  if (request.ports.length === 0) throw new InternalError('runNmap: no ports of interest');
  const command = nmapCommand(request);
  const { exitCode, stdout, stderr } = await exec(command);
  const parsed = await parseNmapRun(stdout, {
    vantage: request.vantage,
    family: request.family,
    protocol: request.protocol,
    target: request.target,
    ports: request.ports,
    command,
    exitCode,
    stderr,
  });
  return { ...parsed, xml: keepRawXml(stdout) };
}
