import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nmapCommand, runNmap, scanPorts } from './nmap.ts';
import type { Exec, ScanRequest } from './types.ts';
import { InternalError, OutOfScopeTargetError } from '../model/errors.ts';
import { LabScope } from './scope.ts';

describe('runNmap', () => {
  it('refuses a target outside the lab before nmap runs', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (command) => {
      calls.push(command);
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const scope = new LabScope();
    scope.allowLabAddress('10.213.7.2', 'ipv4');
    for (const target of ['10.213.7.3', '192.168.1.10', '1.1.1.1']) {
      await expect(runNmap(exec, { vantage: 'peer', family: 'ipv4', protocol: 'tcp', target, ports: [22] }, scope)).rejects.toBeInstanceOf(OutOfScopeTargetError);
    }
    await expect(runNmap(exec, { vantage: 'loopback', family: 'ipv6', protocol: 'tcp', target: 'fe80::1', ports: [22] }, scope)).rejects.toBeInstanceOf(OutOfScopeTargetError);
    expect(calls).toEqual([]);
  });

  it('builds a bounded-timing scan with XML on stdout and no host discovery', () => {
    const command = nmapCommand({ vantage: 'peer', family: 'ipv6', protocol: 'udp', target: 'fd00::2', ports: [53], scanPorts: [1, 2, 3, 53] });
    expect(command).toEqual(expect.arrayContaining(['-6', '-sU', '-Pn', '-n', '-oX', '-', '--max-retries']));
    expect(command[command.indexOf('-p') + 1]).toBe('1-3,53');
    expect(command.at(-1)).toBe('fd00::2');
    expect(command).not.toContain('--host-timeout');
  });

  it('pins the source address and interface a request names, and leaves them to nmap otherwise', () => {
    const request: ScanRequest = { vantage: 'internet', family: 'ipv6', protocol: 'tcp', target: 'fd40::2', ports: [81] };
    const pinned = nmapCommand({ ...request, source: { address: '2001:db8:51::2', device: 'eth0' } });
    expect(pinned.slice(pinned.indexOf('-S'), pinned.indexOf('-S') + 4)).toEqual(['-S', '2001:db8:51::2', '-e', 'eth0']);
    const free = nmapCommand(request);
    expect(free).not.toContain('-S');
    expect(free).not.toContain('-e');
  });

  it('refuses a source of the other family before nmap runs', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (command) => {
      calls.push(command);
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const scope = new LabScope();
    scope.allowLabAddress('fd40::2', 'ipv6');
    const request: ScanRequest = { vantage: 'internet', family: 'ipv6', protocol: 'tcp', target: 'fd40::2', ports: [81], source: { address: '198.51.100.2', device: 'eth0' } };
    await expect(runNmap(exec, request, scope)).rejects.toBeInstanceOf(InternalError);
    expect(calls).toEqual([]);
  });
});

// Real nmap output: 53 open (udp-response), 54 closed (port-unreach), 55 open|filtered (no-response).
const UDP_XML = readFileSync(new URL('../../test/fixtures/nmap/udp-v4-loopback.xml', import.meta.url), 'utf8');

describe('scanPorts', () => {
  const request: ScanRequest = { vantage: 'loopback', family: 'ipv4', protocol: 'udp', target: '127.0.0.1', ports: [53, 54, 55] };

  it('looks again, patiently, at UDP ports of interest that read open|filtered, and believes the second look', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (command) => {
      calls.push(command);
      // The confirmation scan sees the listener's late answer on 55.
      const stdout = calls.length === 1 ? UDP_XML : UDP_XML.replace(/portid="55"><state state="open\|filtered" reason="no-response"/, 'portid="55"><state state="open" reason="udp-response"');
      return { exitCode: 0, stdout, stderr: '' };
    };
    const result = await scanPorts(exec, request, new LabScope());
    expect(calls).toHaveLength(2);
    expect(calls[1]![calls[1]!.indexOf('-p') + 1]).toBe('55');
    expect(calls[1]).toEqual(expect.arrayContaining(['--max-rtt-timeout', '1000ms']));
    expect(result.observations.map((o) => `${o.port} ${o.state} ${o.reason}`)).toEqual(['53 open udp-response', '54 closed port-unreach', '55 open udp-response']);
  });

  it('keeps open|filtered when the patient look agrees, and never confirms TCP or conservative scans', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (command) => {
      calls.push(command);
      return { exitCode: 0, stdout: UDP_XML, stderr: '' };
    };
    const result = await scanPorts(exec, request, new LabScope());
    expect(result.observations.find((o) => o.port === 55)?.state).toBe('open|filtered');
    expect(calls).toHaveLength(2);
    await scanPorts(exec, { ...request, timing: 'conservative' }, new LabScope());
    expect(calls).toHaveLength(3);
  });
});
