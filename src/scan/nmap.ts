/**
 * nmap as fwprobe runs it: the command line from a request, the scope check, the XML parsed, ambiguous UDP
 * confirmed.
 */
import type { Family, Protocol, Vantage } from '../model/observation.ts';
import { parseNmapRun } from './parse/run.ts';
import type { Exec, ScanRequest, ScanResult } from './types.ts';
import { formatPortSpec } from '../model/ports.ts';
import type { LabScope } from './scope.ts';
import {
  CONSERVATIVE_TIMING_ARGS,
  LAB_TIMING_ARGS,
  LAB_UDP_TIMING_ARGS,
  UDP_CONFIRM_MAX_PORTS,
  UDP_CONFIRM_TIMING_ARGS,
} from './timing.ts';

export function nmapCommand(request: ScanRequest): string[] {
  const portSpec = formatPortSpec([...new Set([...request.ports, ...(request.scanPorts ?? [])])]);
  return [
    'nmap',
    ...(request.family === 'ipv6' ? ['-6'] : []),
    request.protocol === 'tcp' ? '-sS' : '-sU',
    // No host discovery (a DROP policy would hide the host) and no DNS: only the port scan is evidence.
    '-Pn',
    '-n',
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
  return request.protocol === 'udp' ? LAB_UDP_TIMING_ARGS : LAB_TIMING_ARGS;
}

/**
 * Runs a scan; with the tuned timing, UDP ports of interest that read `open|filtered` are scanned once
 * more with patient timing, and that answer replaces the first (see UDP_CONFIRM_TIMING_ARGS).
 */
export async function scanPorts(exec: Exec, request: ScanRequest, scope: LabScope): Promise<ScanResult> {
  const first = await runNmap(exec, request, scope);
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
    command: first.command,
  };
}

/** Checks the scope, runs nmap through `exec`, and parses its XML from stdout only. */
export async function runNmap(exec: Exec, request: ScanRequest, scope: LabScope): Promise<ScanResult> {
  scope.assertAllowed(request.target, request.vantage, request.family);
  if (request.ports.length === 0) throw new RangeError('runNmap: no ports of interest');
  const command = nmapCommand(request);
  const { exitCode, stdout, stderr } = await exec(command);
  return parseNmapRun(stdout, {
    vantage: request.vantage,
    family: request.family,
    protocol: request.protocol,
    target: request.target,
    ports: request.ports,
    command,
    exitCode,
    stderr,
  });
}
