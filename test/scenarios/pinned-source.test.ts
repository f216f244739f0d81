/**
 * Every scan leaves from an address the scenario owns. Through a routing target, a peer's IPv6 scan of a
 * host behind it once left from the peer's spoof address for the inside network (it shares the host's
 * prefix): every answer was lost on the inside segment, and closed ports the firewall admits read
 * `filtered`. Two rulesets that admit those ports, checked against what they truly do.
 */
import { expect, inject, test } from 'vitest';
import type { Family } from '../../src/model/observation.ts';
import { runScenarioFile } from '../../src/run/files.ts';

const FIXTURES = 'test/fixtures/pinned-source';
const PEER: Record<Family, string> = { ipv4: '198.51.100.2', ipv6: '2001:db8:51::2' };
const LOOPBACK: Record<Family, string> = { ipv4: '127.0.0.1', ipv6: '::1' };

type Result = Awaited<ReturnType<typeof runScenarioFile>>;

function reading(result: Result, host: string, family: Family, protocol: 'tcp' | 'udp', port: number) {
  const o = result.observations.find((x) => x.vantage === 'internet' && x.host === host && x.family === family && x.protocol === protocol && x.port === port);
  return o && { state: o.state, reason: o.reason };
}

/** Each scan's `-S ADDR -e IFACE`, or null when the command has none. */
function pinned(command: readonly string[]): string | null {
  const at = command.indexOf('-S');
  return at < 0 ? null : `${command[at + 1]} ${command[at + 2]} ${command[at + 3]}`;
}

// The two labs side by side.
test.concurrent('a router that forwards everything: closed ports of the host behind read closed on both families', async () => {
  const result = await runScenarioFile(`${FIXTURES}/router.scenario.yaml`, { image: inject('fwprobeImage') });
  // The readings first: a failure names what was read (the spoof-sourced scan read `filtered`, no-response).
  for (const family of ['ipv4', 'ipv6'] as const) {
    expect(reading(result, 'lanhost', family, 'tcp', 81), family).toEqual({ state: 'closed', reason: 'reset' });
    expect(reading(result, 'lanhost', family, 'udp', 54), family).toEqual({ state: 'closed', reason: 'port-unreach' });
  }
  expect(result.status, result.error).toBe('passed');
  // Every scan, the loopback ones too, names its source: the scanner's own address and interface.
  expect(result.scans.length).toBeGreaterThanOrEqual(8);
  for (const scan of result.scans) {
    const own = scan.vantage === 'loopback' ? `${LOOPBACK[scan.family]} -e lo` : `${PEER[scan.family]} -e eth0`;
    expect(pinned(scan.command), scan.command.join(' ')).toBe(own);
  }
});

test.concurrent('a DNAT gateway whose IPv6 FORWARD is ACCEPT: the host behind reads closed over IPv6, filtered over IPv4', async () => {
  const result = await runScenarioFile(`${FIXTURES}/dnat-gateway.scenario.yaml`, { image: inject('fwprobeImage') });
  expect(reading(result, 'web', 'ipv6', 'tcp', 81)).toEqual({ state: 'closed', reason: 'reset' });
  expect(reading(result, 'web', 'ipv4', 'tcp', 81)).toEqual({ state: 'filtered', reason: 'no-response' });
  expect(result.status, result.error).toBe('passed');
  // The gap is reported, not hidden: the two families differ on the host behind.
  expect(result.verdict!.parity.map((p) => `${p.host ?? 'target'} ${p.protocol}/${p.port}`)).toEqual(expect.arrayContaining(['web tcp/81', 'web tcp/80']));
});
