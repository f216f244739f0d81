import { describe, expect, it } from 'vitest';
import { nmapCommand, runNmap, type Exec } from './nmap.ts';
import { LabScope, OutOfScopeTargetError } from './scope.ts';

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
      await expect(
        runNmap(exec, { vantage: 'peer', family: 'ipv4', protocol: 'tcp', target, ports: [22] }, scope),
      ).rejects.toBeInstanceOf(OutOfScopeTargetError);
    }
    await expect(
      runNmap(exec, { vantage: 'loopback', family: 'ipv6', protocol: 'tcp', target: 'fe80::1', ports: [22] }, scope),
    ).rejects.toBeInstanceOf(OutOfScopeTargetError);
    expect(calls).toEqual([]);
  });

  it('builds a bounded-timing scan with XML on stdout and no host discovery', () => {
    const command = nmapCommand({ vantage: 'peer', family: 'ipv6', protocol: 'udp', target: 'fd00::2', ports: [53], scanPorts: [1, 2, 3, 53] });
    expect(command).toEqual(expect.arrayContaining(['-6', '-sU', '-Pn', '-n', '-oX', '-', '--max-retries']));
    expect(command[command.indexOf('-p') + 1]).toBe('1-3,53');
    expect(command.at(-1)).toBe('fd00::2');
    expect(command).not.toContain('--host-timeout');
  });
});
