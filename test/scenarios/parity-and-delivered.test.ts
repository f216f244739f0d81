/**
 * Two defaults of a release gate, on real labs (one run each): a newcomer's `table ip` scenario with IPv4
 * expectations and nothing about parity fails on the IPv6 gap (strict parity is the default) and passes once
 * it says `parity: report`; and a syslog receiver behind egress filtering passes with `delivered: [514]`,
 * attributed to the rule that let the datagram in and the policy that dropped the answer, while `open` or
 * `closed` fail on the same scans. The variants are judged on the run's own observations, so each case
 * costs one lab.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, inject, test } from 'vitest';
import { attributionText } from '../../src/model/attribution.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { STRICT_HINT, verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { normaliseScenario } from '../../src/scenario/normalise.ts';
import { judge } from '../../src/verdict/judge.ts';

const DIR = 'test/fixtures/expectations';
const image = inject('fwprobeImage');

/** The fixture with some top-level fields replaced, judged on the observations of `result`'s run. */
async function judgedAs(name: string, result: ScenarioResult, change: Record<string, unknown>) {
  const file = resolve(DIR, name);
  const raw = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const scenario = await normaliseScenario({ ...raw, ...change }, { file });
  return judge(scenario, result.observations, result.others, { unverified: result.verdict?.unverified ?? [] });
}

describe.concurrent('defaults a release gate relies on', () => {
  test("a newcomer's table ip scenario fails on the IPv6 gap by default, and passes with parity: report", async () => {
    const result = await runScenarioFile(`${DIR}/newcomer-ip-only.scenario.yaml`, { image, attribution: false });
    const text = verdictTextOf(result);
    expect(result.status, result.error ?? text).toBe('failed');
    expect(result.verdict?.parityMode).toBe('strict');
    // Its IPv4 expectations hold: the gap alone fails it, and says how to accept it on purpose.
    expect(result.verdict?.mismatches).toEqual([]);
    const gaps = (result.verdict?.parity ?? []).filter((f) => f.excusedBy === null);
    expect(gaps.map((f) => `${f.vantage} ${f.protocol}/${f.port} ${f.ipv4.state}→${f.ipv6.state}`)).toEqual(['peer tcp/80 filtered→open']);
    expect(text).toContain('FAILED: 1 parity gap (strict)');
    expect(text).toContain(STRICT_HINT);

    const report = await judgedAs('newcomer-ip-only.scenario.yaml', result, { parity: 'report' });
    expect(report.passed).toBe(true);
    expect(report.parity).toHaveLength(1);
    expect((await judgedAs('newcomer-ip-only.scenario.yaml', result, { parity: { mode: 'report' } })).passed).toBe(true);
  });

  test('a syslog receiver behind egress filtering passes with delivered: [514], attributed both ways; open and closed fail', async () => {
    const result = await runScenarioFile(`${DIR}/syslog-egress.scenario.yaml`, { image });
    const text = verdictTextOf(result);
    expect(result.status, result.error ?? text).toBe('passed');
    const seen = result.observations.filter((o) => o.protocol === 'udp' && o.port === 514);
    expect(seen.map((o) => `${o.family} ${o.state}`).sort()).toEqual(['ipv4 delivered', 'ipv6 delivered']);
    for (const o of seen) {
      const file = `${DIR}/syslog-egress.rules.${o.family === 'ipv4' ? 'v4' : 'v6'}`;
      // The answer dropped going out (OUTPUT's policy), after the rule that let the datagram in: never undecided.
      expect(o.attribution, `${o.family}: ${o.attribution ? attributionText(o.attribution) : 'none'}`).toMatchObject({
        chain: 'OUTPUT',
        policy: 'DROP',
        packet: 'reply',
        source: { file, line: 5 },
        admittedBy: { chain: 'INPUT', verdict: 'ACCEPT', rule: '-A INPUT -p udp -m udp --dport 514 -j ACCEPT', source: { file, line: 7 } },
      });
      expect(attributionText(o.attribution!)).toContain('; admitted by ');
    }

    for (const category of ['open', 'closed'] as const) {
      const verdict = await judgedAs('syslog-egress.scenario.yaml', result, { expect: { peer: { both: { udp: { [category]: [514] } } } } });
      expect(verdict.passed, category).toBe(false);
      expect(verdict.mismatches.map((m) => `${m.family} ${m.expected.join('|')} ${m.observed}`)).toEqual([`ipv4 ${category} delivered`, `ipv6 ${category} delivered`]);
    }
  });
});
