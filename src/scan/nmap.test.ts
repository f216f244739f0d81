import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nmapCommand, runNmap, scanPorts } from './nmap.ts';
import { LEDGER_LIST } from './ledger-dump.ts';
import type { Exec, ScanRequest } from './types.ts';
import { InternalError, OutOfScopeTargetError } from '../model/errors.ts';
import { parsePortSpec } from '../model/ports.ts';
import { LabScope } from './scope.ts';
import { ledgerJson } from './ledger-listing.test-helpers.ts';

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

  it('a counted UDP scan runs as ever inside the ledger, the second look included, and every port carries its word', async () => {
    const order: string[] = [];
    const exec: Exec = async (command) => {
      order.push(`nmap ${command.includes('-g') ? `-g ${command[command.indexOf('-g') + 1]}` : ''} -p ${command[command.indexOf('-p') + 1]}`);
      return { exitCode: 0, stdout: UDP_XML.replaceAll('127.0.0.1', '10.77.0.1'), stderr: '' };
    };
    const listing = ledgerJson('fwprobe_ledger_t', { out_flight: [], in_flight: [55], delivered: [53, 54] });
    const counting = {
      table: 'fwprobe_ledger_t',
      source: { ipv4: '10.77.0.20', ipv6: 'fd77::20' },
      inTarget: async (commands: string[][]) =>
        commands.map((c) => {
          order.push(c.includes(LEDGER_LIST) ? 'ledger list' : c[0] === 'nft' ? (c.length === 2 ? 'ledger in' : `ledger ${c[1]}`) : 'stat');
          return { exitCode: 0, stdout: c.includes(LEDGER_LIST) ? listing : '', stderr: '' };
        }),
    };
    const scope = new LabScope();
    scope.allowLabAddress('10.77.0.1', 'ipv4');
    const peer: ScanRequest = { ...request, vantage: 'peer', target: '10.77.0.1' };
    const result = await scanPorts(exec, peer, scope, counting);
    // Pinned, so that the ledger knows the scan's probes; the confirmation of 55 leaves from the same port.
    expect(order).toEqual(['ledger in', 'stat', 'nmap -g 47311 -p 53-55', 'nmap -g 47311 -p 55', 'ledger list', 'stat', 'ledger delete']);
    expect(result.observations.map((o) => `${o.port} ${o.state} ${o.ledger}`)).toEqual(['53 open admitted', '54 closed admitted', '55 open|filtered dropped']);
    expect(result.backing).toMatchObject({ method: 'counted', admitted: 2, dropped: 1, unverified: 0 });
  });

  it('a counted TCP sweep from loopback runs its looks while the ledger is read, not after, and backs every silent port', async () => {
    // Every probe dropped in OUTPUT: nmap reads every port it scanned filtered, no-response.
    const silentXml = (spec: string) => {
      const n = parsePortSpec(spec).length;
      return `<?xml version="1.0"?><nmaprun scanner="nmap" version="7.93"><scaninfo type="syn" protocol="tcp" numservices="${n}" services="${spec}"/><host><status state="up" reason="user-set"/><address addr="127.0.0.1" addrtype="ipv4"/><ports><extraports state="filtered" count="${n}"><extrareasons reason="no-response" count="${n}" proto="tcp" ports="${spec}"/></extraports></ports></host><runstats><finished elapsed="0.10" exit="success"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>`;
    };
    const order: string[] = [];
    const exec: Exec = async (command) => {
      const spec = command[command.indexOf('-p') + 1]!;
      order.push(`nmap -g ${command[command.indexOf('-g') + 1]} -p ${spec}`);
      return { exitCode: 0, stdout: silentXml(spec), stderr: '' };
    };
    const held = Array.from({ length: 65535 }, (_, i) => i + 1).filter((p) => p !== 47311 && p !== 47312);
    const listing = ledgerJson('fwprobe_ledger_t', { out_flight: held, in_flight: [], reply_flight: [], rejected: [] });
    const counting = {
      table: 'fwprobe_ledger_t',
      source: { ipv4: '127.0.0.1', ipv6: '::1' },
      inTarget: async (commands: string[][]) => {
        const read = commands.some((c) => c.includes(LEDGER_LIST));
        order.push(read ? 'ledger read' : 'ledger in');
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (read) order.push('ledger read done');
        return commands.map((c) => ({ exitCode: 0, stdout: c.includes(LEDGER_LIST) ? listing : '', stderr: '' }));
      },
    };
    const tcp: ScanRequest = { vantage: 'loopback', family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', ports: [22], scanPorts: Array.from({ length: 65535 }, (_, i) => i + 1), timing: 'lab' };
    const result = await scanPorts(exec, tcp, new LabScope(), counting);
    // The looks (47311 from 47312, 47312 from 47313) never run beside the main sweep, only beside the read.
    expect(order).toEqual(['ledger in', 'nmap -g 47311 -p 1-47310,47313-65535', 'nmap -g 47312 -p 47311', 'nmap -g 47313 -p 47312', 'ledger read', 'ledger read done']);
    expect(result.backing).toMatchObject({ method: 'counted', silent: 65535, dropped: 65533, countedBy: { output: 65533 }, retried: 2 });
    // The looks' two ports join the one summary: every port is reported once.
    expect(result.others).toEqual([{ state: 'filtered', reason: 'no-response', count: 65534, ports: '1-21,23-65535' }]);
    expect(result.observations.map((o) => `${o.port} ${o.state}`)).toEqual(['22 filtered']);
  });
});
