/**
 * Issue 13 on the library: every port of interest names the rule or policy that decided it, at the user's
 * line, and tracing changes nothing that was observed (the same scenarios with attribution off).
 */
import { describe, expect, inject, test } from 'vitest';
import type { Attribution } from '../../src/model/attribution.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { labLimit } from '../../src/lab/slots.ts';
import { createLimiter } from '../../src/run/limiter.ts';
import { runScenario } from '../../src/run/scenario.ts';
import { sharedRunFile } from './shared-runs.ts';

const image = inject('fwprobeImage');
// Labs are limited machine-wide; a traced library scenario is the run library.test.ts makes of it, shared
// (shared-runs.ts): whichever file asks first runs it.
const limit = createLimiter(labLimit());
const run = (file: string, attribution = true) => limit(() => sharedRunFile(file, runScenario, { image, attribution }));
const FILES = {
  gap: 'scenarios/ipv6-gap/v4-only.scenario.yaml',
  book: 'scenarios/book/book-2009.scenario.yaml',
  export: 'scenarios/iptables-save-export/iptables-save-export.scenario.yaml',
  reject: 'scenarios/drop-vs-reject/drop-vs-reject.scenario.yaml',
  script: 'scenarios/script-files/script-files.scenario.yaml',
  legacy: 'scenarios/backends/legacy.scenario.yaml',
  nft: 'scenarios/nftables/inet-strict.scenario.yaml',
  ufw: 'scenarios/ufw/allow-ssh-dns.scenario.yaml',
  nativeRaw: 'test/fixtures/attribution/native-raw.scenario.yaml',
  familyMarked: 'test/fixtures/attribution/family-marked.scenario.yaml',
};
const traced = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, run(f)])) as Record<keyof typeof FILES, Promise<ScenarioResult>>;
const untraced = (['gap', 'book', 'export', 'reject'] as const).map((k) => [k, run(FILES[k], false)] as const);

function why(result: ScenarioResult, key: string): Attribution | undefined {
  return result.observations.find((o) => `${o.vantage} ${o.family} ${o.protocol}/${o.port}` === key)?.attribution;
}

describe.concurrent('attribution', () => {
  test('v4-only: IPv6 ports are the ACCEPT policy of an ip6tables INPUT with no rules', async () => {
    const r = await traced.gap;
    expect(r.status).toBe('passed');
    for (const key of ['peer ipv6 tcp/53', 'loopback ipv6 tcp/80']) {
      expect(why(r, key)).toMatchObject({ tool: 'ip6tables', chain: 'INPUT', verdict: 'ACCEPT', policy: 'ACCEPT', note: expect.stringContaining('has no rules') });
    }
    expect(why(r, 'peer ipv4 tcp/53')).toMatchObject({ policy: 'DROP', source: { file: 'scenarios/ipv6-gap/v4-only.rules.v4', line: 4 } });
    expect(r.phases.some((p) => p.name === 'attribution')).toBe(true);
  });

  test('book-2009: ::1 is dropped by an ip6tables DROP policy (OUTPUT, before INPUT sees it), at the generated line', async () => {
    const r = await traced.book;
    expect(why(r, 'loopback ipv6 tcp/22')).toMatchObject({ tool: 'ip6tables', policy: 'DROP', chain: 'OUTPUT', source: { file: 'preset book-2009 (generated rules.v6)', line: expect.any(Number) } });
    // From the peer, neighbour discovery fails: no traced packet reaches the target, and it says so.
    expect(why(r, 'peer ipv6 tcp/22')?.undecided).toMatch(/nothing was traced/);
  });

  test('drop-vs-reject: a REJECT rule at its line', async () => {
    const r = await traced.reject;
    expect(why(r, 'peer ipv4 tcp/80')).toMatchObject({
      verdict: 'REJECT',
      rule: '-A INPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset',
      source: { file: 'scenarios/drop-vs-reject/rules.v4', line: 7 },
    });
    expect(why(r, 'peer ipv6 udp/53')).toMatchObject({ verdict: 'REJECT', source: { file: 'scenarios/drop-vs-reject/rules.v6', line: 9 } });
  });

  test('iptables-save export: the SERVICES rule through its jump', async () => {
    const r = await traced.export;
    expect(why(r, 'peer ipv6 tcp/22')).toMatchObject({
      path: ['INPUT', 'SERVICES'],
      chain: 'SERVICES',
      verdict: 'ACCEPT',
      rule: expect.stringContaining('--dport 22'),
      source: { file: 'scenarios/iptables-save-export/host.rules.v6', line: 11 },
    });
  });

  test("a script's rule names its script", async () => {
    const r = await traced.script;
    expect(why(r, 'peer ipv4 tcp/22')).toMatchObject({ rule: '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', source: { file: 'scenarios/script-files/firewall.sh' } });
  });

  test("a native inet table: its rule read back by handle, at the nft file's line (not iptables' empty INPUT)", async () => {
    const r = await traced.nft;
    expect(r.status).toBe('passed');
    const file = 'scenarios/nftables/inet.nft';
    expect(why(r, 'peer ipv4 tcp/22')).toMatchObject({ tool: 'nft', family: 'inet', table: 'filter', chain: 'input', verdict: 'ACCEPT', rule: 'tcp dport 22 accept', source: { file, line: 14 } });
    expect(why(r, 'peer ipv6 udp/53')).toMatchObject({ tool: 'nft', rule: 'udp dport 53 accept', source: { file, line: 15 } });
    expect(why(r, 'loopback ipv6 tcp/80')).toMatchObject({ tool: 'nft', rule: 'iif "lo" accept', source: { file, line: 11 } });
    // nf_tables reports a reject as a drop: the rule's text says which.
    expect(why(r, 'peer ipv6 tcp/80')).toMatchObject({ tool: 'nft', verdict: 'REJECT', rule: 'reject with icmpx admin-prohibited', source: { file, line: 16 } });
  });

  test('ufw: a rule at its line in user.rules / user6.rules, the INPUT policy at its DEFAULT_INPUT_POLICY line', async () => {
    const r = await traced.ufw;
    expect(r.status).toBe('passed');
    expect(why(r, 'peer ipv4 tcp/22')).toMatchObject({
      tool: 'iptables',
      chain: 'ufw-user-input',
      verdict: 'ACCEPT',
      rule: expect.stringContaining('--dport 22'),
      source: { file: 'scenarios/ufw/etc-ufw/user.rules', line: 21 },
    });
    expect(why(r, 'peer ipv6 udp/53')).toMatchObject({ tool: 'ip6tables', chain: 'ufw6-user-input', verdict: 'ACCEPT', source: { file: 'scenarios/ufw/etc-ufw/user6.rules', line: 24 } });
    expect(why(r, 'peer ipv4 tcp/80')).toMatchObject({ chain: 'INPUT', policy: 'DROP', source: { file: 'scenarios/ufw/default-ufw-ipv6-yes', line: 11 } });
    expect(why(r, 'loopback ipv4 tcp/80')).toMatchObject({ chain: 'ufw-before-input', rule: '-A ufw-before-input -i lo -j ACCEPT', source: { file: 'scenarios/ufw/etc-ufw/before.rules', line: 21 } });
  });

  test("a native `table ip raw` is the user's: the trace removal neither deletes it nor leaves a chain in it", async () => {
    const r = await traced.nativeRaw;
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('passed');
    expect(r.applied?.nft).toContain('table ip raw');
    expect(why(r, 'peer ipv4 tcp/22')).toMatchObject({ tool: 'nft', rule: 'tcp dport 22 accept', source: { line: 14 } });
    expect(why(r, 'peer ipv4 tcp/80')).toMatchObject({ tool: 'nft', policy: 'DROP', chain: 'input' });
  });

  test("a -6 rule in an IPv4 restore file: the rule with no line, never the -6 rule's line", async () => {
    const r = await traced.familyMarked;
    const a = why(r, 'peer ipv4 tcp/22');
    expect(a).toMatchObject({ tool: 'iptables', rule: '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT' });
    expect(a?.source?.line).toBeUndefined();
  });

  test('legacy backend: undecided, saying why', async () => {
    const r = await traced.legacy;
    expect(r.status).toBe('passed');
    expect(why(r, 'peer ipv4 tcp/22')?.undecided).toMatch(/^legacy backend/);
  });

  for (const [key, without] of untraced) {
    test(`${key}: the observations are the same with and without tracing`, async () => {
      const [a, b] = await Promise.all([traced[key], without]);
      const view = (r: ScenarioResult) => r.observations.map(({ vantage, host, family, protocol, port, state, reason }) => ({ vantage, host, family, protocol, port, state, reason }));
      expect(b.status).toBe(a.status);
      expect(view(a)).toEqual(view(b));
      // Chain counters in the recorded ruleset move with whatever packet came first; the rules may not.
      const rules = (r: ScenarioResult) => JSON.stringify(r.applied).replace(/ \[\d+:\d+\]/g, '');
      expect(rules(a)).toBe(rules(b));
      expect(b.observations.every((o) => o.attribution === undefined)).toBe(true);
    });
  }
});
