/**
 * The scenarios the benchmark runs, built in code (as test/scenarios/timing-agreement.test.ts does) so
 * that the benchmark measures the runner, not a scenario library that changes under it.
 */
import { defaultTopology } from '../src/model/topology.ts';
import { fileURLToPath } from 'node:url';
import { DEFAULT_VANTAGES, FAMILIES } from '../src/model/observation.ts';
import { DEFAULT_SOURCES, type ExpectationSet, type Scenario } from '../src/model/scenario.ts';

export const BENCH_PORTS = [22, 53, 80, 443];
const FILE = fileURLToPath(import.meta.url);

const ACCEPT_POLICIES = ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]';

function restore(policies: string, rules: string[]): string {
  return ['*filter', policies, ...rules, 'COMMIT', ''].join('\n');
}

/** Every port of interest filtered except `open`, from both vantages over both families. */
function expectOpen(open: number[]): ExpectationSet[] {
  return DEFAULT_VANTAGES.flatMap((vantage) =>
    FAMILIES.map((family) => ({
      vantage,
      family,
      protocol: 'tcp' as const,
      open,
      closed: [],
      filtered: BENCH_PORTS.filter((p) => !open.includes(p)),
      unreachable: [],
      others: null,
    })),
  );
}

/**
 * Issue 4's "4-port scenario": 22, 53, 80, 443/tcp listening; INPUT DROP with ssh accepted on both
 * families (ICMPv6 accepted so that the peer's neighbour discovery works and 53/80/443 read `filtered`,
 * the slow case for a scanner). Both vantages, both families; it passes only if every port reads right.
 */
export function fourPortScenario(name = 'bench: 4-port INPUT DROP, ssh open'): Scenario {
  const policies = ':INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]';
  const common = ['-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-A INPUT -p tcp --dport 22 -j ACCEPT'];
  return {
    name,
    description: '',
    file: FILE,
    services: BENCH_PORTS.map((port) => ({ protocol: 'tcp' as const, port, bind: 'any' })),
    ruleset: {
      kind: 'restore',
      v4: { path: 'bench.v4', text: restore(policies, common) },
      v6: { path: 'bench.v6', text: restore(policies, ['-A INPUT -p ipv6-icmp -j ACCEPT', ...common]) },
    },
    backend: 'nft',
    vantages: ['loopback', 'peer'],
    scan: { tcp: { kind: 'list', ports: BENCH_PORTS }, udp: { kind: 'list', ports: [] } },
    expectations: expectOpen([22]),
    parity: { mode: 'strict', exceptions: [] },
    sources: DEFAULT_SOURCES,
    topology: defaultTopology(DEFAULT_SOURCES),
  };
}

/** The same 4 ports under a ruleset given as rule lines shared by both families (no expectations). */
function variant(name: string, policies: string, rules: (f: 'v4' | 'v6') => string[]): Scenario {
  return {
    ...fourPortScenario(`bench: ${name}`),
    ruleset: {
      kind: 'restore',
      v4: { path: `${name}.v4`, text: restore(policies, rules('v4')) },
      v6: { path: `${name}.v6`, text: restore(policies, rules('v6')) },
    },
    expectations: [],
    parity: { mode: 'off', exceptions: [] },
  };
}

/**
 * Eight different scenarios for the concurrency ratio: the 4-port scenario and seven rulesets of the
 * timing-agreement set (accept, drop, two kinds of reject, policies on INPUT or OUTPUT).
 */
export function eightScenarios(): Scenario[] {
  const reject = (f: 'v4' | 'v6') => (f === 'v4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable');
  return [
    fourPortScenario(),
    variant('ACCEPT', ACCEPT_POLICIES, () => []),
    variant('DROP 53,80', ACCEPT_POLICIES, () => ['-A INPUT -p tcp -m multiport --dports 53,80 -j DROP']),
    variant('REJECT tcp-reset', ACCEPT_POLICIES, () => ['-A INPUT -p tcp -m multiport --dports 53,80 -j REJECT --reject-with tcp-reset']),
    variant('REJECT port-unreachable', ACCEPT_POLICIES, (f) => [`-A INPUT -p tcp -m multiport --dports 53,80 -j REJECT --reject-with ${reject(f)}`]),
    variant('INPUT DROP policy', ':INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]', () => [
      '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT -p tcp --dport 443 -j ACCEPT',
    ]),
    variant('OUTPUT DROP policy', ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]', () => ['-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT']),
    variant('no services reachable (DROP both ways)', ':INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]', () => []),
  ];
}

/** INPUT and OUTPUT policies DROP, nothing accepted: the sweep's target, and the slowest case for nmap. */
export const DROP_ALL = restore(':INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]', []);
