/** Loopback scans pin nmap's source port and look at the pinned port separately: every port once, none answering itself. */
import { describe, expect, it } from 'vitest';
import { formatPortSpec, parsePortSpec } from '../model/ports.ts';
import { scanPorts } from './nmap.ts';
import { LabScope } from './scope.ts';
import { mergeLook, planSourcePorts, SOURCE_PORT_BASE } from './source-port.ts';
import type { Exec, ScanRequest, ScanResult } from './types.ts';

const P = SOURCE_PORT_BASE;
const ALL = Array.from({ length: 65535 }, (_, i) => i + 1);

describe('planSourcePorts', () => {
  it('pins P and needs no look when P is not scanned', () => {
    expect(planSourcePorts({ ports: [22, 53] })).toEqual({ sourcePort: P, excluded: [], looks: [] });
  });

  it('looks at P from Q when P is scanned and Q is not', () => {
    expect(planSourcePorts({ ports: [22], scanPorts: [22, P] })).toEqual({ sourcePort: P, excluded: [P], looks: [{ port: P, from: P + 1 }] });
  });

  it("in a full sweep leaves out P and Q: Q → P would answer the main scan's P → Q, so Q is looked at from R", () => {
    expect(planSourcePorts({ ports: [22], scanPorts: ALL })).toEqual({
      sourcePort: P,
      excluded: [P, P + 1],
      looks: [
        { port: P, from: P + 1 },
        { port: P + 1, from: P + 2 },
      ],
    });
  });

  it('never takes a port of interest as a source port', () => {
    expect(planSourcePorts({ ports: [P, P + 2], scanPorts: ALL })).toMatchObject({ sourcePort: P + 1, excluded: [P + 1, P + 3] });
  });
});

/** nmap's XML for one loopback TCP run: `listed` ports individually, the rest filtered/no-response. */
function nmapXml(scanned: number[], listed: Map<number, [string, string]>): string {
  const rest = scanned.filter((port) => !listed.has(port));
  const extra =
    rest.length === 0
      ? ''
      : `<extraports state="filtered" count="${rest.length}">` + `<extrareasons reason="no-response" count="${rest.length}" proto="tcp" ports="${formatPortSpec(rest)}"/></extraports>`;
  const ports = [...listed].map(([port, [state, reason]]) => `<port protocol="tcp" portid="${port}"><state state="${state}" reason="${reason}" reason_ttl="64"/></port>`);
  return (
    `<?xml version="1.0"?><nmaprun scanner="nmap" version="7.93"><scaninfo type="syn" protocol="tcp" numservices="${scanned.length}" services="${formatPortSpec(scanned)}"/>` +
    `<host><status state="up" reason="user-set"/><address addr="127.0.0.1" addrtype="ipv4"/><ports>${extra}${ports.join('')}</ports></host>` +
    '<runstats><finished elapsed="6.60" exit="success"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>'
  );
}

/**
 * nmap against INPUT DROP with ESTABLISHED accepted, as measured: every probe goes unanswered except the
 * one addressed to nmap's own source port, which conntrack lets in and the kernel resets. Without `-g`
 * nmap picks its own source port (here 50000).
 */
const selfResettingNmap =
  (calls: string[][]): Exec =>
  async (command) => {
    calls.push(command);
    const scanned = parsePortSpec(command[command.indexOf('-p') + 1]!);
    const g = command.indexOf('-g');
    const sourcePort = g === -1 ? 50000 : Number(command[g + 1]);
    const listed = new Map<number, [string, string]>(scanned.includes(sourcePort) ? [[sourcePort, ['closed', 'reset']]] : []);
    return { exitCode: 0, stdout: nmapXml(scanned, listed), stderr: '' };
  };

describe('planSourcePorts when nearly every port is a port of interest', () => {
  it('pins nothing rather than failing (an expectation naming 2-65535 left no free port)', () => {
    const ports = Array.from({ length: 65534 }, (_, i) => i + 2);
    expect(planSourcePorts({ ports, scanPorts: ports })).toEqual({ sourcePort: undefined, excluded: [], looks: [] });
  });
});

describe('scanPorts from loopback', () => {
  it('never probes a port from itself, and reports every port of a full sweep exactly once', async () => {
    const calls: string[][] = [];
    const request: ScanRequest = { vantage: 'loopback', family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', ports: [22, 80], scanPorts: ALL };
    const result = await scanPorts(selfResettingNmap(calls), request, new LabScope());
    const argOf = (command: string[], flag: string) => command[command.indexOf(flag) + 1];
    expect(calls.map((c) => [argOf(c, '-g'), argOf(c, '-p')])).toEqual([
      [`${P}`, `1-${P - 1},${P + 2}-65535`],
      [`${P + 1}`, `${P}`],
      [`${P + 2}`, `${P + 1}`],
    ]);
    expect(result.sourcePort).toBe(P);
    expect(result.followUpCommands).toEqual([calls[1], calls[2]]);
    expect(result.command).toEqual(calls[0]);
    expect(result.observations.map((o) => `${o.port} ${o.state}`)).toEqual(['22 filtered', '80 filtered']);
    expect(result.others).toEqual([{ state: 'filtered', reason: 'no-response', count: 65533, ports: '1-21,23-79,81-65535' }]);
  });

  it('pins the source port of a small scan too, in one run', async () => {
    const calls: string[][] = [];
    const result = await scanPorts(selfResettingNmap(calls), { vantage: 'loopback', family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', ports: [22] }, new LabScope());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(expect.arrayContaining(['-g', `${P}`]));
    expect(result).toMatchObject({ sourcePort: P, followUpCommands: [] });
  });
});

describe('mergeLook', () => {
  const base: ScanResult = {
    vantage: 'loopback',
    family: 'ipv4',
    protocol: 'tcp',
    target: '127.0.0.1',
    command: ['nmap', 'main'],
    hostState: 'up',
    observations: [{ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', port: 22, state: 'open', reason: 'syn-ack' }],
    others: [{ state: 'filtered', reason: 'no-response', count: 3, ports: '1-3' }],
    elapsedSeconds: 1,
    nmapVersion: '7.93',
    sourcePort: 5,
    followUpCommands: [],
    warnings: ['from main'],
  };
  const look = (state: 'filtered' | 'closed', reason: string): ScanResult => ({
    ...base,
    command: ['nmap', 'look'],
    sourcePort: 6,
    others: [],
    warnings: ['from main', 'from look'],
    observations: [{ ...base.observations[0]!, port: 5, state, reason }],
  });

  it('counts the port into the summary of its state and reason', () => {
    const merged = mergeLook(base, look('filtered', 'no-response'), 5);
    expect(merged.others).toEqual([{ state: 'filtered', reason: 'no-response', count: 4, ports: '1-3,5' }]);
    expect(merged.observations).toEqual(base.observations);
    expect(merged).toMatchObject({ sourcePort: 5, command: ['nmap', 'main'], followUpCommands: [['nmap', 'look']] });
    expect(merged.warnings).toEqual(['from main', 'from look']);
  });

  it('lists a port whose state no summary has, as nmap lists a port that differs from the majority', () => {
    const merged = mergeLook(base, look('closed', 'reset'), 5);
    expect(merged.others).toEqual(base.others);
    expect(merged.observations.map((o) => `${o.port} ${o.state}`)).toEqual(['5 closed', '22 open']);
  });
});
