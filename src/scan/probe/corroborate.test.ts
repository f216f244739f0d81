/** Client probes overrule nmap's "not open" wherever one reached the listener, and evidence is kept. */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { corroborate } from './corroborate.ts';
import { parseProbeOutput, parseReceivedLog } from './outcome.ts';
import { planProbes, probeCommand, type ProbeSource } from './plan.ts';

const LAB: ProbeSource = { kind: 'lab', network: 'lab', shape: { kind: 'direct' }, family: 'ipv4', address: '10.213.7.3', target: '10.213.7.2' };
const PUBLIC: ProbeSource = { kind: 'public', network: 'outside', shape: { kind: 'direct' }, family: 'ipv4', address: '198.51.100.5', target: '198.51.100.6' };

function obs(protocol: 'tcp' | 'udp', port: number, state: Observation['state'], reason = 'no-response'): Observation {
  return { vantage: 'peer', family: 'ipv4', protocol, port, state, reason };
}

function output(lines: string[]): string {
  return ['#fields\tid\tproto\tresult\tms\tladdr\tlport\traddr\trport\terrno\tstage\ttoken\treply', ...lines, `#end\tprobes=${lines.length}\tms=5\taborted=0`].join('\n');
}

const line = (id: string, result: string, token = '-') => `${id}\t-\t${result}\t1\t10.213.7.3\t40000\t10.213.7.2\t1\t-\t-\t${token}\t-`;

describe('corroborate', () => {
  const probes = planProbes('peer', [LAB, PUBLIC], { tcp: [3306], udp: [53] }, { sourcePorts: [0, 53] });

  it('plans one probe per source × source port × port, with ids the tool echoes', () => {
    expect(probes.map((p) => p.id)).toEqual([
      'peer.target.4.lab.tcp.3306.0',
      'peer.target.4.lab.tcp.3306.53',
      'peer.target.4.lab.udp.53.0',
      'peer.target.4.lab.udp.53.53',
      'peer.target.4.outside.tcp.3306.0',
      'peer.target.4.outside.tcp.3306.53',
      'peer.target.4.outside.udp.53.0',
      'peer.target.4.outside.udp.53.53',
    ]);
    expect(probeCommand(probes.slice(1, 2), 1000, 64)).toEqual(['fwprobe-probe', '--timeout', '1000', '--parallel', '64', 'peer.target.4.lab.tcp.3306.53,tcp,10.213.7.2,3306,10.213.7.3,53']);
  });

  it("a connect() from source port 53 makes a filtered port open, and keeps nmap's reading", () => {
    const outcomes = parseProbeOutput({
      command: [],
      exitCode: 0,
      stderr: '',
      stdout: output(probes.map((p) => line(p.id, p.id === 'peer.target.4.lab.tcp.3306.53' ? 'connected' : p.protocol === 'tcp' ? 'timeout' : 'silent'))),
    });
    const [tcp, udp] = corroborate([obs('tcp', 3306, 'filtered'), obs('udp', 53, 'open|filtered')], probes, outcomes, []);
    expect(tcp).toMatchObject({ state: 'open', reason: 'connect() from 10.213.7.3:53', evidence: { probes: 4, reached: 1, scan: { state: 'filtered', reason: 'no-response' } } });
    expect(udp).toMatchObject({ state: 'open|filtered', evidence: { probes: 4, reached: 0 } });
    expect(udp?.evidence?.sources).toEqual(['10.213.7.3:random', '10.213.7.3:53', '198.51.100.5:random', '198.51.100.5:53']);
  });

  // Attack (real run): `ip saddr 198.51.100.0/28 tcp dport 3000 accept`, no listener on 3000: nmap from the lab
  // address read filtered (no-response), the public source's connect() got the kernel's reset, and nothing
  // said so: the gate read 3000 blocked and passed the widening. The refusals are now part of the evidence.
  it('clients refused (a reset or port unreachable) are counted, with the first source, and the state is left to nmap', () => {
    const outcomes = parseProbeOutput({
      command: [],
      exitCode: 0,
      stderr: '',
      stdout: output(probes.map((p) => line(p.id, p.protocol === 'tcp' ? (p.source === PUBLIC ? 'refused' : 'timeout') : 'silent'))),
    });
    const [tcp, udp] = corroborate([obs('tcp', 3306, 'filtered'), obs('udp', 53, 'open|filtered')], probes, outcomes, []);
    expect(tcp).toMatchObject({ state: 'filtered', reason: 'no-response', evidence: { probes: 4, reached: 0, refused: 2, refusedFrom: '198.51.100.5:random' } });
    expect(udp?.evidence?.refused).toBeUndefined();
  });

  it('a datagram the listener logged without an answer is delivered, never filtered', () => {
    const token = 'fwprobe-probe n1.peer.target.4.outside.udp.53.0';
    const outcomes = parseProbeOutput({
      command: [],
      exitCode: 0,
      stderr: '',
      stdout: output(probes.map((p) => line(p.id, p.protocol === 'tcp' ? 'timeout' : 'silent', p.id === 'peer.target.4.outside.udp.53.0' ? token : '-'))),
    });
    const received = parseReceivedLog(`1795729258.196\tudp\t198.51.100.5\t41000\t198.51.100.6\t53\t31\t${token}\n`);
    const [, udp] = corroborate([obs('tcp', 3306, 'filtered'), obs('udp', 53, 'open|filtered')], probes, outcomes, received);
    expect(udp).toMatchObject({ state: 'delivered', evidence: { reached: 1, scan: { state: 'open|filtered' } } });
  });

  it('output cut before #end is an error, and a port no probe reached the wire for has no evidence: an error', () => {
    expect(() => parseProbeOutput({ command: [], exitCode: 0, stderr: '', stdout: line('x', 'timeout') })).toThrow(/no #end line/);
    const outcomes = parseProbeOutput({ command: [], exitCode: 1, stderr: '', stdout: output(probes.map((p) => line(p.id, 'aborted'))) });
    expect(() => corroborate([obs('tcp', 3306, 'filtered')], probes, outcomes, [])).toThrow(/No client probe reached the wire for peer ipv4 tcp\/3306/);
  });
});

describe('probe ids', () => {
  it('stay readable where the probe tool allows, and unique hashes where names are long', () => {
    const long = {
      kind: 'public' as const,
      network: 'a-very-long-network-name-of-31c@another-iface',
      shape: { kind: 'via-interface' as const, iface: 'another-iface' },
      family: 'ipv4' as const,
      address: '203.0.113.2',
      target: '192.168.10.1',
    };
    const ids = planProbes('an-even-longer-peer-name-here-x', [long, { ...long, target: '192.168.10.2', network: `${long.network}2` }], { tcp: [22], udp: [] }, { sourcePorts: [0] }).map((p) => p.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._:@/+=][A-Za-z0-9._:@/+=-]{0,47}$/);
    expect(new Set(ids).size).toBe(2);
    expect(planProbes('peer', [LAB], { tcp: [22], udp: [] }, { sourcePorts: [0] })[0]!.id).toBe('peer.target.4.lab.tcp.22.0');
  });
});
