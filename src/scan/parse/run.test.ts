/**
 * Every fixture here is real nmap 7.93 output captured by test/fixtures/nmap/capture.sh. Where a test
 * needs a shape nmap 7.93 does not produce on its own (no `ports` attribute, a corrupt document), it
 * derives it from a real fixture in the test itself, so the edit is visible next to the assertion.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { NmapScanError } from '../../model/errors.ts';
import { parseNmapRun } from './run.ts';
import type { ScanContext, ScanResult } from '../types.ts';

const FIXTURES = new URL('../../../test/fixtures/nmap/', import.meta.url);

interface Fixture {
  stdout: string;
  command: string[];
  exitCode: number;
  stderr: string;
}

async function loadFixture(name: string): Promise<Fixture> {
  const stdout = await readFile(new URL(`${name}.xml`, FIXTURES), 'utf8');
  const meta: unknown = JSON.parse(await readFile(new URL(`${name}.meta.json`, FIXTURES), 'utf8'));
  if (
    typeof meta !== 'object' ||
    meta === null ||
    !('command' in meta && Array.isArray(meta.command)) ||
    !('exitCode' in meta && typeof meta.exitCode === 'number') ||
    !('stderr' in meta && typeof meta.stderr === 'string')
  ) {
    throw new Error(`${name}.meta.json lacks command, exitCode or stderr`);
  }
  return { stdout, command: meta.command.map(String), exitCode: meta.exitCode, stderr: meta.stderr };
}

type Scan = Pick<ScanContext, 'family' | 'protocol' | 'target' | 'ports'> & Partial<ScanContext>;

function contextFor(fixture: Fixture, scan: Scan): ScanContext {
  return {
    vantage: 'loopback',
    command: fixture.command,
    exitCode: fixture.exitCode,
    stderr: fixture.stderr,
    ...scan,
  };
}

/** Parses fixture `name` (optionally transformed) with the context its meta.json and `scan` describe. */
async function parse(name: string, scan: Scan, edit?: (xml: string) => string): Promise<ScanResult> {
  const fixture = await loadFixture(name);
  const stdout = edit ? edit(fixture.stdout) : fixture.stdout;
  return parseNmapRun(stdout, contextFor(fixture, scan));
}

async function parseFailure(name: string, scan: Scan, edit?: (xml: string) => string): Promise<NmapScanError> {
  try {
    await parse(name, scan, edit);
  } catch (error) {
    if (error instanceof NmapScanError) return error;
    throw error;
  }
  throw new Error(`parsing ${name} succeeded, an NmapScanError was expected`);
}

/** Same as the edit, but fails the test if the edit changed nothing (a fixture drifted). */
function replaceOrFail(pattern: RegExp | string, replacement: string): (xml: string) => string {
  return (xml) => {
    const edited = xml.replace(pattern, replacement);
    if (edited === xml) throw new Error(`edit ${String(pattern)} did not apply to the fixture`);
    return edited;
  };
}

function states(result: ScanResult): Array<[number, string, string]> {
  return result.observations.map((o) => [o.port, o.state, o.reason]);
}

const V4_TCP = { family: 'ipv4', protocol: 'tcp', target: '127.0.0.1' } as const;
const V6_TCP = { family: 'ipv6', protocol: 'tcp', target: '::1' } as const;

describe('parseNmapRun: listed ports', () => {
  it.each([
    ['tcp-v4-loopback', V4_TCP],
    ['tcp-v6-loopback', V6_TCP],
  ] as const)('%s: ACCEPT, DROP, REJECT tcp-reset and no rule', async (name, scan) => {
    const result = await parse(name, { ...scan, ports: [81, 22, 80, 53, 22] });
    expect(states(result)).toEqual([
      [22, 'open', 'syn-ack'],
      [53, 'filtered', 'no-response'],
      [80, 'closed', 'reset'],
      [81, 'closed', 'reset'],
    ]);
    expect(result.observations[0]).toEqual<Observation>({
      vantage: 'loopback',
      family: scan.family,
      protocol: 'tcp',
      port: 22,
      state: 'open',
      reason: 'syn-ack',
    });
    expect(result).toMatchObject({ hostState: 'up', others: [], nmapVersion: '7.93', target: scan.target });
    expect(result.elapsedSeconds).toBeGreaterThan(0);
  });

  it('adds ports nmap listed that were not asked about', async () => {
    const result = await parse('tcp-v4-loopback', { ...V4_TCP, ports: [80] });
    expect(result.observations.map((o) => o.port)).toEqual([22, 53, 80, 81]);
  });

  it('matches a non-canonical IPv6 target to nmap’s canonical address', async () => {
    const result = await parse('tcp-v6-loopback', { ...V6_TCP, target: '0:0:0:0:0:0:0:1', ports: [22] });
    expect(states(result)[0]).toEqual([22, 'open', 'syn-ack']);
  });

  it.each([
    ['udp-v4-loopback', 'ipv4', '127.0.0.1'],
    ['udp-v6-loopback', 'ipv6', '::1'],
  ] as const)('%s: reply, port-unreach and dropped', async (name, family, target) => {
    const result = await parse(name, { family, protocol: 'udp', target, ports: [53, 54, 55] });
    expect(states(result)).toEqual([
      [53, 'open', 'udp-response'],
      [54, 'closed', 'port-unreach'],
      [55, 'open|filtered', 'no-response'],
    ]);
    expect(result.observations.every((o) => o.protocol === 'udp' && o.family === family)).toBe(true);
  });

  it('peer IPv4 scan of a DROP-policy target: ARP works, ports filtered', async () => {
    const result = await parse('peer-v4-dropped', {
      vantage: 'peer',
      family: 'ipv4',
      protocol: 'tcp',
      target: '172.30.99.2',
      ports: [22, 53, 80],
    });
    expect(result.hostState).toBe('up');
    expect(states(result)).toEqual([
      [22, 'filtered', 'no-response'],
      [53, 'filtered', 'no-response'],
      [80, 'filtered', 'no-response'],
    ]);
  });
});

describe('parseNmapRun: <extraports>', () => {
  it('places ports of interest using <extrareasons ports>', async () => {
    const result = await parse('tcp-v4-range', { ...V4_TCP, ports: [22, 53, 80, 81, 199] });
    expect(states(result)).toEqual([
      [22, 'open', 'syn-ack'],
      [53, 'filtered', 'no-response'],
      [80, 'closed', 'reset'],
      [81, 'closed', 'reset'],
      [199, 'closed', 'reset'],
    ]);
    // 198 collapsed closed ports, minus the three now observed, with exactly which ports they are.
    expect(result.others).toEqual([{ state: 'closed', reason: 'reset', count: 195, ports: '1-21,23-52,54-79,82-198,200' }]);
  });

  it('summarises every collapsed port when no port of interest is among them', async () => {
    const result = await parse('tcp-v4-range', { ...V4_TCP, ports: [] });
    expect(states(result)).toEqual([
      [22, 'open', 'syn-ack'],
      [53, 'filtered', 'no-response'],
    ]);
    expect(result.others).toEqual([{ state: 'closed', reason: 'reset', count: 198, ports: '1-21,23-52,54-200' }]);
  });

  it.each([
    ['tcp-v4-two-extraports', V4_TCP],
    ['tcp-v6-two-extraports', V6_TCP],
  ] as const)('%s: two extraports states (1-100 closed, 101-200 dropped)', async (name, scan) => {
    const result = await parse(name, { ...scan, ports: [200, 1, 100, 101, 150, 22] });
    expect(states(result)).toEqual([
      [1, 'closed', 'reset'],
      [22, 'open', 'syn-ack'],
      [100, 'closed', 'reset'],
      [101, 'filtered', 'no-response'],
      [150, 'filtered', 'no-response'],
      [200, 'filtered', 'no-response'],
    ]);
    expect(result.others).toEqual([
      { state: 'closed', reason: 'reset', count: 97, ports: '2-21,23-99' },
      { state: 'filtered', reason: 'no-response', count: 97, ports: '102-149,151-199' },
    ]);
  });

  // nmap before 7.92 wrote no proto/ports on <extrareasons>: derived from the real 1-200 scan.
  const stripPortLists = replaceOrFail(/ proto="tcp" ports="[^"]*"/g, '');

  it('gives unlisted ports the state of a single <extraports> without port lists', async () => {
    const result = await parse('tcp-v4-range', { ...V4_TCP, ports: [80, 81, 200] }, stripPortLists);
    expect(states(result)).toEqual([
      [22, 'open', 'syn-ack'],
      [53, 'filtered', 'no-response'],
      [80, 'closed', 'reset'],
      [81, 'closed', 'reset'],
      [200, 'closed', 'reset'],
    ]);
    expect(result.others).toEqual([{ state: 'closed', reason: 'reset', count: 195, ports: null }]);
  });

  it('refuses to guess when several <extraports> lack port lists', async () => {
    const error = await parseFailure('tcp-v4-two-extraports', { ...V4_TCP, ports: [150] }, stripPortLists);
    expect(error.code).toBe('PORT_NOT_SCANNED');
    expect(error).toMatchObject({ port: 150 });
    expect(error.message).toContain('port tcp/150 has no state');
    expect(error.message).toContain('2 <extraports> groups (filtered ×100, closed ×99)');
    expect(error.message).toContain('ambiguous');
  });

  it('rejects a port of interest nmap did not scan', async () => {
    const error = await parseFailure('tcp-v4-range', { ...V4_TCP, ports: [22, 300] });
    expect(error.code).toBe('PORT_NOT_SCANNED');
    expect(error).toMatchObject({ port: 300 });
    expect(error.message).toContain('port tcp/300 has no state');
    expect(error.message).toContain('not in <scaninfo services>');
  });

  it('rejects a port of interest that is nowhere, even without <scaninfo services>', async () => {
    const noServices = replaceOrFail(/ services="[^"]*"/, '');
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [443] }, noServices);
    expect(error).toMatchObject({ code: 'PORT_NOT_SCANNED', port: 443 });
    expect(error.message).toContain('neither a <port> element nor in any <extrareasons ports');
  });

  it('rejects <extrareasons> whose ports disagree with its count', async () => {
    const error = await parseFailure('tcp-v4-range', { ...V4_TCP, ports: [80] }, replaceOrFail('ports="1-21,23-52,54-200"', 'ports="1-21,23-52,54-199"'));
    expect(error.code).toBe('NMAP_XML_INVALID');
    expect(error.message).toContain('lists 197 ports');
  });
});

describe('parseNmapRun: failed runs', () => {
  it('non-zero exit code → NMAP_EXIT_NONZERO, even with complete XML', async () => {
    const error = await parseFailure('tcp-v4-loopback', {
      ...V4_TCP,
      ports: [22],
      exitCode: 1,
      stderr: 'socket troubles in send: Operation not permitted',
    });
    const fixture = await loadFixture('tcp-v4-loopback');
    expect(error.code).toBe('NMAP_EXIT_NONZERO');
    expect(error.message).toContain('nmap exited with code 1');
    expect(error.message).toContain(`Command failed with exit code 1: ${fixture.command.join(' ')}`);
    expect(error.message).toContain('socket troubles in send: Operation not permitted');
    expect(error.message).toContain('<port protocol="tcp" portid="22">');
  });

  it('<finished exit="error"> → NMAP_RUN_ERROR with errormsg, command and stderr', async () => {
    const fixture = await loadFixture('error-bad-port');
    expect(fixture.exitCode).toBe(1);
    const error = await parseFailure('error-bad-port', { ...V4_TCP, ports: [22] });
    expect(error.code).toBe('NMAP_RUN_ERROR');
    expect(error).toMatchObject({ errormsg: 'Ports specified must be between 0 and 65535 inclusive', exitCode: 1 });
    expect(error.message).toContain('nmap stopped with an error: "Ports specified must be between 0 and 65535');
    expect(error.message).toContain(fixture.command.join(' '));
    expect(error.message).toContain('-p 70000');
    expect(error.message).toContain('QUITTING!');
  });

  it('SIGINT mid-scan (exit 130) → NMAP_OUTPUT_TRUNCATED', async () => {
    const fixture = await loadFixture('truncated-sigint');
    expect(fixture.exitCode).toBe(130);
    const error = await parseFailure('truncated-sigint', { ...V4_TCP, ports: [22] });
    expect(error.code).toBe('NMAP_OUTPUT_TRUNCATED');
    expect(error.message).toContain('no closing </nmaprun>');
    expect(error.message).toContain(`Command failed with exit code 130: ${fixture.command.join(' ')}`);
  });

  it('truncated XML is an error even when the exit code says success', async () => {
    const scan = { ...V4_TCP, ports: [22], exitCode: 0, stderr: 'pipe closed' };
    const error = await parseFailure('truncated-sigint', scan);
    expect(error.code).toBe('NMAP_OUTPUT_TRUNCATED');
    expect(error.message).toContain('pipe closed');
  });

  it('a real output cut after </ports> → NMAP_OUTPUT_TRUNCATED', async () => {
    const cut = (xml: string): string => xml.slice(0, xml.indexOf('</ports>') + '</ports>'.length);
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, cut);
    expect(error.code).toBe('NMAP_OUTPUT_TRUNCATED');
  });

  it('a closed document without <runstats> → NMAP_OUTPUT_TRUNCATED', async () => {
    const noRunstats = replaceOrFail(/<runstats>[\s\S]*<\/runstats>\n/, '');
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, noRunstats);
    expect(error.code).toBe('NMAP_OUTPUT_TRUNCATED');
    expect(error.message).toContain('no <runstats><finished> element');
  });

  it('empty stdout → NMAP_OUTPUT_TRUNCATED', async () => {
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, () => '');
    expect(error.code).toBe('NMAP_OUTPUT_TRUNCATED');
    expect(error.message).toContain('stdout is empty');
  });

  it('malformed XML → NMAP_XML_INVALID', async () => {
    const mismatched = replaceOrFail('</ports>', '</port>');
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, mismatched);
    expect(error.code).toBe('NMAP_XML_INVALID');
    expect(error.message).toContain('not well-formed XML');
  });

  it('XML that is not an nmap run → NMAP_XML_INVALID', async () => {
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, () => '<html></html>');
    expect(error.code).toBe('NMAP_XML_INVALID');
    expect(error.message).toContain('the root element is not <nmaprun>');
  });

  it.each([
    ['an unknown port state', 'state="open" reason="syn-ack"', 'state="opened" reason="syn-ack"', 'state="opened"'],
    ['a port without portid', 'portid="22"', 'id="22"', '<port> has no portid'],
    ['a non-numeric portid', 'portid="22"', 'portid="ssh"', '<port portid="ssh"> is not a whole number'],
  ])('%s → NMAP_XML_INVALID', async (_label, from, to, message) => {
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, replaceOrFail(from, to));
    expect(error.code).toBe('NMAP_XML_INVALID');
    expect(error.message).toContain(message);
  });

  it('protocol mismatch in <scaninfo> → NMAP_PROTOCOL_MISMATCH', async () => {
    const error = await parseFailure('udp-v4-loopback', { ...V4_TCP, ports: [53] });
    expect(error.code).toBe('NMAP_PROTOCOL_MISMATCH');
    expect(error.message).toContain('expected a tcp scan, but <scaninfo> says protocol="udp"');
  });

  it('protocol mismatch on a <port> → NMAP_PROTOCOL_MISMATCH', async () => {
    const tcpInfo = replaceOrFail('protocol="udp" numservices', 'protocol="tcp" numservices');
    const error = await parseFailure('udp-v4-loopback', { ...V4_TCP, ports: [53] }, tcpInfo);
    expect(error.code).toBe('NMAP_PROTOCOL_MISMATCH');
    expect(error.message).toContain('<port portid="53"> says protocol="udp"');
  });
});

describe('parseNmapRun: missing hosts and ports', () => {
  it('--host-timeout (<host timedout="true">) → NMAP_NO_PORTS, never "all filtered"', async () => {
    const error = await parseFailure('host-timeout', { ...V4_TCP, ports: [22] });
    expect(error.code).toBe('NMAP_NO_PORTS');
    expect(error.message).toContain('<host timedout="true">: --host-timeout fired before the scan ended');
    expect(error.message).toContain('--host-timeout 200ms');
  });

  it('a host without <ports> → NMAP_NO_PORTS', async () => {
    const noPorts = replaceOrFail(/<ports>[\s\S]*<\/ports>\n/, '');
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, ports: [22] }, noPorts);
    expect(error.code).toBe('NMAP_NO_PORTS');
    expect(error.message).toContain('no <ports> element; host status is "up"');
  });

  it('-6 with an IPv4 target (hosts total=0) → NMAP_HOST_MISSING with nmap’s stderr', async () => {
    const fixture = await loadFixture('family-mismatch');
    expect(fixture.exitCode).toBe(0);
    const error = await parseFailure('family-mismatch', { ...V6_TCP, target: '127.0.0.1', ports: [22] });
    expect(error.code).toBe('NMAP_HOST_MISSING');
    expect(error.message).toContain('<hosts up="0" down="0" total="0">');
    expect(error.message).toContain('-6 with an IPv4 target');
    expect(error.message).toContain('Failed to resolve "127.0.0.1"');
    expect(error.message).toContain(fixture.command.join(' '));
  });

  it('a host with another address than the target → NMAP_HOST_MISSING', async () => {
    const error = await parseFailure('tcp-v4-loopback', { ...V4_TCP, target: '127.0.0.2', ports: [22] });
    expect(error.code).toBe('NMAP_HOST_MISSING');
    expect(error.message).toContain('no results for 127.0.0.2: the output only has host address(es) 127.0.0.1');
  });

  const PEER_V6 = { family: 'ipv6', protocol: 'tcp', target: 'fd00:fb::2', ports: [80, 22, 53] } satisfies Scan;

  it('peer IPv6 with neighbour discovery dropped → unreachable / host-down', async () => {
    const result = await parse('peer-v6-nd-dropped', { ...PEER_V6, vantage: 'peer' });
    expect(result.hostState).toBe('unreachable');
    expect(result.observations).toEqual(
      [22, 53, 80].map((port) => ({
        vantage: 'peer',
        family: 'ipv6',
        protocol: 'tcp',
        port,
        state: 'unreachable',
        reason: 'host-down',
      })),
    );
    expect(result.others).toEqual([]);
  });

  it('an unreachable host summarises its other scanned ports as unreachable too, so `others` judges them', async () => {
    const result = await parse('peer-v6-nd-dropped', { ...PEER_V6, ports: [22], vantage: 'peer' });
    expect(result.observations.map((o) => [o.port, o.state])).toEqual([[22, 'unreachable']]);
    expect(result.others).toEqual([{ state: 'unreachable', reason: 'host-down', count: 2, ports: '53,80' }]);
  });

  it('no host from the peer over IPv4 → NMAP_HOST_MISSING: iptables cannot drop ARP, so the lab is broken', async () => {
    const error = await parseFailure('peer-v6-nd-dropped', { ...PEER_V6, family: 'ipv4', target: '10.213.1.2', vantage: 'peer' });
    expect(error.code).toBe('NMAP_HOST_MISSING');
    expect(error.message).toContain('did not answer ARP');
  });

  it('the same output on loopback → NMAP_HOST_MISSING', async () => {
    const error = await parseFailure('peer-v6-nd-dropped', { ...PEER_V6, vantage: 'loopback' });
    expect(error.code).toBe('NMAP_HOST_MISSING');
    expect(error.message).toContain('<hosts up="0" down="1" total="1">');
    expect(error.message).toContain('-Pn -n -6 -sS -p 22,53,80 fd00:fb::2');
  });

  it('no host with a non-zero exit code is an exit error, not unreachable', async () => {
    const error = await parseFailure('peer-v6-nd-dropped', { ...PEER_V6, vantage: 'peer', exitCode: 1 });
    expect(error.code).toBe('NMAP_EXIT_NONZERO');
  });
});
