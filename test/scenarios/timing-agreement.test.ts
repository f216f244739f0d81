/**
 * fwprobe's tuned nmap timing must not change a verdict. For each ruleset below, the same lab is scanned
 * with the tuned timing and with nmap's conservative -T3, from both vantages, over both families, TCP and
 * UDP; the two must agree port for port (state and reason). The tuned TCP scans are counted (each probe
 * once, the drops proven by the target's ledger, the rest retried: scan/counted.ts), on an idle machine
 * and with two CPU hogs running, and on a 1024-port range where the default settings count by themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { defaultTopology } from '../../src/model/topology.ts';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { ScenarioResult } from '../../src/report/result.ts';
import type { Observation } from '../../src/model/observation.ts';
import { runScenario } from '../../src/run/scenario.ts';
import type { ReleaseSlot } from '../../src/lab/slots.ts';
import { holdEveryLabSlot } from './exclusive-labs.ts';
import { DEFAULT_SOURCES, type Scenario } from '../../src/model/scenario.ts';

const PORTS = [22, 53, 80, 81];
const LISTENING = [22, 53, 80];

/** One ruleset a family: `{v4, v6}` restore texts built from the same rule lines. */
const RULESETS: Record<string, { policies?: string; rules: (family: 'v4' | 'v6') => string[] }> = {
  ACCEPT: { rules: () => [] },
  'DROP on 53 and 80': {
    rules: () => ['-A INPUT -p tcp -m multiport --dports 53,80 -j DROP', '-A INPUT -p udp -m multiport --dports 53,80 -j DROP'],
  },
  'REJECT with tcp-reset': {
    rules: () => ['-A INPUT -p tcp -m multiport --dports 53,80 -j REJECT --reject-with tcp-reset'],
  },
  'REJECT with icmp-port-unreachable': {
    rules: (f) => [
      `-A INPUT -p tcp -m multiport --dports 53,80 -j REJECT --reject-with ${f === 'v4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`,
      `-A INPUT -p udp -m multiport --dports 53,80 -j REJECT --reject-with ${f === 'v4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`,
    ],
  },
  'INPUT-only DROP policy': {
    policies: ':INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]',
    rules: () => ['-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-A INPUT -p tcp --dport 22 -j ACCEPT'],
  },
  'OUTPUT-only DROP policy': {
    policies: ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]',
    rules: () => ['-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'],
  },
};

function restoreText(name: string, family: 'v4' | 'v6'): string {
  const ruleset = RULESETS[name]!;
  const policies = ruleset.policies ?? ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]';
  return ['*filter', policies, ...ruleset.rules(family), 'COMMIT', ''].join('\n');
}

function scenarioFor(name: string, tcpPorts = PORTS): Scenario {
  return {
    name: `timing agreement: ${name}`,
    description: '',
    file: import.meta.filename,
    services: LISTENING.flatMap((port) => [
      { protocol: 'tcp' as const, port, bind: 'any' },
      { protocol: 'udp' as const, port, bind: 'any' },
    ]),
    ruleset: {
      kind: 'restore',
      v4: { path: `${name}.v4`, text: restoreText(name, 'v4') },
      v6: { path: `${name}.v6`, text: restoreText(name, 'v6') },
    },
    backend: 'nft',
    vantages: ['loopback', 'peer'],
    scan: { tcp: { kind: 'list', ports: tcpPorts }, udp: { kind: 'list', ports: PORTS } },
    expectations: [],
    parity: { mode: 'off', exceptions: [] },
    sources: DEFAULT_SOURCES,
    topology: defaultTopology(DEFAULT_SOURCES),
    // The agreement is about nmap's readings: tracing the deciding rule adds nothing to compare.
    attribution: false,
  };
}

/** nmap's own reading of a port: the agreement is about nmap's timing, before client probes weigh in. */
const key = (o: Observation) => {
  const nmap = o.evidence?.scan ?? o;
  return `${o.vantage} ${o.family} ${o.protocol}/${o.port}: ${nmap.state} (${nmap.reason})`;
};

/** Every silent TCP reading of the tuned run is backed: proven dropped by the ledger, or retried. */
function expectBacked(result: ScenarioResult): void {
  for (const scan of result.scans.filter((x) => x.protocol === 'tcp')) {
    expect(scan.backing?.method, `${scan.vantage} ${scan.family}`).toBe('counted');
    expect(scan.backing!.dropped + scan.backing!.retried).toBe(scan.backing!.silent);
  }
}

/** nmap -T3's reading of a ruleset is the reference: taken once per ruleset and port range, shared by every tuned run. */
const references = new Map<string, Promise<ScenarioResult>>();
function reference(name: string, tcpPorts: number[], labs?: number): Promise<ScenarioResult> {
  const key = `${name} ${tcpPorts.length}`;
  if (!references.has(key)) references.set(key, runScenario(scenarioFor(name, tcpPorts), { image: inject('fwprobeImage'), timing: 'conservative', ...(labs ? { labs } : {}) }));
  return references.get(key)!;
}

/** `labs: Infinity` takes no lab slot: for labs run while this file holds every slot itself. */
async function agree(name: string, tcpPorts = PORTS, labs?: number): Promise<void> {
  const image = inject('fwprobeImage');
  const [tuned, conservative] = await Promise.all([runScenario(scenarioFor(name, tcpPorts), { image, timing: 'lab', countFrom: 1, ...(labs ? { labs } : {}) }), reference(name, tcpPorts, labs)]);
  expect(tuned.status, tuned.error).not.toBe('error');
  expect(conservative.status, conservative.error).not.toBe('error');
  // 2 vantages × 2 families × 2 protocols = 8 scans: every port observed by both timings.
  expect(tuned.scans.map((s) => `${s.vantage} ${s.family} ${s.protocol}`)).toHaveLength(8);
  expect(tuned.observations).toHaveLength(4 * (tcpPorts.length + PORTS.length));
  expect(tuned.observations.map(key)).toEqual(conservative.observations.map(key));
  expect(tuned.others).toEqual(conservative.others);
  expectBacked(tuned);
}

describe.concurrent('tuned timing agrees with nmap -T3', () => {
  for (const name of Object.keys(RULESETS)) test(name, () => agree(name));
});

// Not concurrent, on purpose: vitest runs adjacent concurrent describes as one group, so the hogs would
// start beside the idle runs above and every lab of this file would share two starved cores at once.
// Other test files run beside this one (vitest.config.ts): every lab slot on the machine is held while the
// hogs run, and the labs below take none, so the hogs starve this file's scanner alone (one lab at a time,
// as the tests take turns) and no other file's lab runs on two starved cores.
describe('tuned timing agrees with nmap -T3 with two CPU hogs running', () => {
  const hogs: ChildProcess[] = [];
  let held: ReleaseSlot | undefined;
  beforeAll(async () => {
    held = await holdEveryLabSlot();
    for (let i = 0; i < 2; i++) hogs.push(spawn('yes', [], { stdio: 'ignore' }));
  });
  afterAll(async () => {
    for (const hog of hogs) hog.kill('SIGKILL');
    await held?.();
  });
  // The rulesets whose silent ports a starved scanner could misread: drops, resets and a DROP policy.
  for (const name of ['DROP on 53 and 80', 'REJECT with tcp-reset', 'INPUT-only DROP policy']) test(name, () => agree(name, PORTS, Infinity));
});

// Few ports silent here, so -T3 over 1024 ports stays quick; the tuned run counts without being told to.
describe.concurrent('counted 1024-port scans agree with nmap -T3', () => {
  const wide = Array.from({ length: 1024 }, (_, i) => i + 1);
  for (const name of ['ACCEPT', 'DROP on 53 and 80', 'REJECT with tcp-reset']) test(name, () => agree(name, wide));
});
