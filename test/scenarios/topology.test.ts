/**
 * The lab as the user's network, run for real: interfaces named and addressed as declared, results that
 * name peers and hosts behind the target, and a subnet the engine already has refused before anything starts.
 */
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { getDocker } from '../../src/lab/docker.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { runScenario } from '../../src/run/scenario.ts';
import { sharedRunFile } from './shared-runs.ts';

const FIXTURES = 'test/fixtures/topology';

// Three labs side by side: each test has its own.
describe.concurrent('topology', () => {
  test('the target has the declared interfaces, in order, with the declared addresses, and nothing of Docker', async () => {
    const result = await runScenarioFile(join(FIXTURES, 'names.scenario.yaml'), { image: inject('fwprobeImage') });
    expect(result.status, result.error).toBe('passed');
    expect(new Set(result.scans.map((s) => s.vantage))).toEqual(new Set(['loopback', 'laptop', 'remote']));
    // Each peer scans the target across its own network.
    expect(result.scans.filter((s) => s.vantage === 'laptop').map((s) => s.target)).toContain('192.168.10.1');
    expect(result.scans.filter((s) => s.vantage === 'remote').map((s) => s.target)).toContain('2001:db8:113::7');
    // The remote peer's sources: its own address, and the attacker shapes of its segment.
    expect([...new Set(result.sources.filter((s) => s.kind === 'public').map((s) => s.network))]).toEqual([
      'wan',
      'wan@inside0',
      'wan@link-local',
      'wan@broadcast',
      'wan@multicast',
      'wan@multicast-ff02::1:ff00:7',
      'wan@multicast-ff02::1:ff01:2',
      'wan@spoof-int_net',
      'wan@spoof-own-inside0',
      'wan@spoof-own-wan0',
    ]);
    // The typed shape beside the old label: the target's solicited-node groups (its global and link-local
    // addresses) and its own addresses as spoofed sources, on a host target (no all-routers, no anycast).
    const kinds = new Set(result.sources.filter((s) => s.kind === 'public').map((s) => s.shape?.kind));
    expect(kinds).toEqual(new Set(['direct', 'via-interface', 'link-local', 'broadcast', 'multicast', 'spoof', 'spoof-own']));
  });

  test('a DNAT forward behind the target: observations, scans and sources name the peer and the host', async () => {
    // The library's own run of it, when library.test.ts runs in the same vitest run (shared-runs.ts).
    const result = await sharedRunFile('scenarios/topology/dnat-v4-only.scenario.yaml', runScenario, { image: inject('fwprobeImage') });
    expect(result.status, result.error).toBe('passed');
    const at = (host: string | undefined, family: string, port: number) => result.observations.find((o) => o.vantage === 'attacker' && o.host === host && o.family === family && o.port === port);
    // The forwarded port is open because a real client got through to the listener behind the target.
    expect(at(undefined, 'ipv4', 8080)).toMatchObject({ state: 'open', evidence: { reached: expect.any(Number) } });
    expect(at(undefined, 'ipv4', 8080)!.evidence!.reached).toBeGreaterThan(0);
    expect(at(undefined, 'ipv6', 8080)).toMatchObject({ state: 'filtered', evidence: { reached: 0 } });
    expect(at('web', 'ipv4', 80)).toMatchObject({ state: 'filtered' });
    expect(result.scans.some((s) => s.host === 'web' && s.target === '172.20.0.80')).toBe(true);
    expect(result.verdict!.parity).toEqual([expect.objectContaining({ vantage: 'attacker', protocol: 'tcp', port: 8080, excusedBy: null })]);
  });

  test('a subnet another engine network has runs all the same: lab networks are wired inside containers on no engine network', async () => {
    const docker = getDocker();
    const network = await docker.createNetwork({ Name: `topology-test-${process.pid}`, Internal: true, IPAM: { Config: [{ Subnet: '10.99.77.0/24' }] } });
    try {
      const result = await runScenarioFile(join(FIXTURES, 'collision.scenario.yaml'), { image: inject('fwprobeImage') });
      expect(result.status, result.error).toBe('passed');
      // The peer reached ssh on the lab's own 10.99.77.0/25, beside the engine's 10.99.77.0/24.
      expect(result.observations.find((o) => o.vantage !== 'loopback' && o.family === 'ipv4' && o.port === 22)).toMatchObject({ state: 'open' });
      expect(result.scans.some((s) => s.vantage !== 'loopback' && s.target.startsWith('10.99.77.'))).toBe(true);
    } finally {
      await network.remove();
    }
  });
});
