/**
 * Results as a real run gives them, for report tests: verdicts taken by the real judge from hand-made
 * observations (the IPv6 gap failing, its fix passing, a scenario that could not run).
 */
import type { Family, Observation, PortState, Vantage } from '../model/observation.ts';
import type { ScanRecord } from '../scan/types.ts';
import { judge } from '../verdict/judge.ts';
import { covered, expectation, scenario } from '../verdict/fixtures.test-helpers.ts';
import { emptyResult, verdictFields, type ScenarioResult } from './result.ts';

const VANTAGES: Vantage[] = ['loopback', 'peer'];
const FAMILIES: Family[] = ['ipv4', 'ipv6'];
const PORTS = [22, 53, 80];

export function scanRecord(vantage: Vantage, family: Family, xml = '<nmaprun/>'): ScanRecord {
  const target = vantage === 'loopback' ? (family === 'ipv4' ? '127.0.0.1' : '::1') : family === 'ipv4' ? '10.0.0.2' : 'fd00::2';
  return { vantage, family, protocol: 'tcp', target, command: ['nmap', '-sS', '-p', '22,53,80', target], hostState: 'up', sourcePort: null, followUpCommands: [], warnings: [], ms: 1200, xml };
}

/** Expects only 22/tcp open everywhere; `states(vantage, family, port)` says what was seen. */
function result(name: string, file: string, states: (v: Vantage, f: Family, port: number) => PortState): ScenarioResult {
  const observations: Observation[] = VANTAGES.flatMap((vantage) =>
    FAMILIES.flatMap((family) =>
      PORTS.map((port) => {
        const state = states(vantage, family, port);
        return { vantage, family, protocol: 'tcp' as const, port, state, reason: state === 'open' ? 'syn-ack' : 'no-response' };
      }),
    ),
  );
  const expectations = VANTAGES.flatMap((vantage) => FAMILIES.map((family) => expectation({ vantage, family, protocol: 'tcp', open: [22], filtered: [53, 80] })));
  const verdict = judge(scenario(expectations), observations, [], covered);
  return {
    ...emptyResult(name, file),
    ...verdictFields(verdict, 'report'),
    observations,
    scans: VANTAGES.flatMap((v) => FAMILIES.map((f) => scanRecord(v, f, `<nmaprun scanner="nmap" args="nmap ${v} ${f}"><host/></nmaprun>`))),
    applied: { v4: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT', v6: '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT' },
    counters: { v4: '*filter\n:INPUT DROP [12:720]\n[3:180] -A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT', v6: '*filter\n:INPUT ACCEPT [40:2400]\nCOMMIT' },
    image: 'fwprobe-target:test',
    lines: { name: 3, ruleset: 8, expect: 11, parity: 20 },
    durationMs: 4200,
  };
}

/** The v4-only host: IPv6 serves 53 and 80 where IPv4 filters them (4 exposures, 4 parity findings). */
export function gapResult(name = 'v4-only ruleset leaves IPv6 open'): ScenarioResult {
  return result(name, 'scenarios/ipv6-gap/v4-only.scenario.yaml', (_v, f, port) => (port === 22 || f === 'ipv6' ? 'open' : 'filtered'));
}

/** The fix: both families alike, as expected. */
export function fixedResult(): ScenarioResult {
  return result('v6 policies DROP close the gap', 'scenarios/ipv6-gap/v6-blocked.scenario.yaml', (_v, _f, port) => (port === 22 ? 'open' : 'filtered'));
}

export function errorResult(): ScenarioResult {
  return { ...emptyResult('broken ruleset', 'scenarios/broken.scenario.yaml'), error: 'iptables-restore: line 3 failed', errorCode: 'RULESET_APPLY_FAILED', lines: { name: 2 } };
}
