/**
 * nftables end to end: a broken file is an error naming file:line:col and nft's message; a file that loads
 * but leaves IPv6 open fails the scenario that expects it closed, with the readable diff; and the
 * generator's nft rendering exposes exactly what its iptables rendering does, on the library's generated
 * policies, from both vantages, both families, TCP and UDP.
 */
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import type { Scenario } from '../../src/model/scenario.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { createLimiter } from '../../src/run/limiter.ts';
import { runScenario } from '../../src/run/scenario.ts';
import { buildIR } from '../../src/ruleset/index.ts';
import { renderNft } from '../../src/ruleset/render-nft.ts';
import { parsePolicyYaml } from '../../src/ruleset/policy-load.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { sharedRuns } from './shared-runs.ts';

const FIXTURES = 'test/fixtures/runtime';
const image = inject('fwprobeImage');

describe('nftables files', () => {
  test("a broken nftables file ends in error with file:line:col and nft's message, whatever its name", async () => {
    const result = await runScenarioFile(join(FIXTURES, 'nft-broken.scenario.yaml'), { image });
    expect(result.status).toBe('error');
    expect(result.errorCode).toBe('RULESET_APPLY_FAILED');
    expect(result.error).toContain('The nftables file did not apply: test/fixtures/runtime/broken;$(id).nft:5:');
    expect(result.error).toMatch(/broken;\$\(id\)\.nft:5:\d+: Error: syntax error/);
    expect(result.error).toContain('tcp dport 22 acept');
    // The lab's copy has a name fwprobe chose (the user's never reaches a command); nft's own lines are
    // given with the user's name, so that file:line:col can be followed.
    expect(result.error).toContain('nft -c -f /run/fwprobe/layer-0.nft');
    expect(result.error).not.toMatch(/\/run\/fwprobe\/layer-0\.nft:\d/);
    expect(result.scans).toEqual([]);
  });

  test('a file that loads but leaves IPv6 open fails the scenario that expects it closed', async () => {
    const result = await runScenarioFile(join(FIXTURES, 'nft-v6-open.scenario.yaml'), { image });
    expect(result.status, result.error).toBe('failed');
    expect(result.verdict?.mismatches).toEqual([
      expect.objectContaining({
        vantage: 'peer',
        family: 'ipv6',
        protocol: 'tcp',
        port: 80,
        expected: ['filtered'],
        observed: 'open',
      }),
    ]);
    expect(verdictTextOf(result)).toContain('✗ peer ipv6 tcp/80: expected filtered, observed open (syn-ack)');
    expect(result.applied?.nft).toContain('table ip filter');
    expect(result.staticParity.join('\n')).toContain('filters IPv4 only');
  });
});

// The library's scenarios that generate their ruleset, each run as generated (restore files) and as the
// nft rendering of the same IR. Two at a time: the machine is shared. The restore run is the library's own
// run of the scenario when library.test.ts runs in the same vitest run (shared-runs.ts).
const GENERATED = ['scenarios/policy-mirror/policy-mirror.scenario.yaml', 'scenarios/book/book-2009.scenario.yaml', 'scenarios/book/book-2007.scenario.yaml'];
const limit = createLimiter(2);

describe.concurrent("the generator's nft rendering exposes what its iptables rendering does", () => {
  for (const file of GENERATED) {
    test(file, async () => {
      const scenario = await loadScenario(file);
      const asNft = { ...scenario, ruleset: { kind: 'nft', nft: { path: `${file} (generated rules.nft)`, text: renderNft(irOf(scenario)) } } } satisfies Scenario;
      const [restore, nft] = await Promise.all([limit(() => sharedRuns(runScenario)(scenario, { image })), limit(() => runScenario(asNft, { image }))]);
      expect(restore.status, restore.error).not.toBe('error');
      expect(nft.status, nft.error).not.toBe('error');
      expect(observed(nft)).toEqual(observed(restore));
      expect(observed(restore).length).toBeGreaterThan(4);
      expect(new Set(restore.observations.map((o) => `${o.vantage} ${o.family} ${o.protocol}`)).size).toBeGreaterThanOrEqual(4);
    });
  }
});

function irOf(scenario: Scenario) {
  if (scenario.ruleset.kind !== 'generate') throw new Error(`${scenario.file} does not generate its ruleset`);
  const { policy, preset, params } = scenario.ruleset;
  if (policy) return buildIR({ policy: parsePolicyYaml(policy.text, policy.path, { quote: false }) });
  return buildIR({ preset: preset!, params });
}

function observed(result: ScenarioResult): string[] {
  return result.observations.map((o) => `${o.vantage} ${o.family} ${o.protocol}/${o.port} ${o.state}`).sort();
}
