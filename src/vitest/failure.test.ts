/** A failing scenario test under vitest says only its slice's ports, each with the deciding rule, at the scenario's line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mismatch, Observation } from '../model/observation.ts';
import { emptyResult, verdictFields, type ScenarioResult } from '../report/result.ts';
import { codeFrame, findLine, sliceFailure, sliceLines, verdictLines } from './failure.ts';
import { declaredSlices } from './slices.ts';

const SCENARIO = `name: web01
services: [22/tcp, 80/tcp]
ruleset: { v4: rules.v4, v6: rules.v6 }
expect:
  loopback:
    both:
      tcp: { open: [22], filtered: [80] }
  peer:
    ipv6:
      tcp: { open: [22], filtered: [80] }
`;

const dir = mkdtempSync(join(tmpdir(), 'fwprobe-failure-'));
const file = join(dir, 'web01.scenario.yaml');
writeFileSync(file, SCENARIO);
for (const rules of ['rules.v4', 'rules.v6']) writeFileSync(join(dir, rules), '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n');

const observed: Observation = {
  vantage: 'peer',
  family: 'ipv6',
  protocol: 'tcp',
  port: 80,
  state: 'open',
  reason: 'syn-ack',
  attribution: {
    tool: 'ip6tables',
    table: 'filter',
    chain: 'INPUT',
    verdict: 'ACCEPT',
    rule: '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT',
    path: ['INPUT'],
    source: { file: 'scenarios/web01/rules.v6', line: 7 },
  },
} as Observation;
const mismatch: Mismatch = {
  vantage: 'peer',
  family: 'ipv6',
  protocol: 'tcp',
  port: 80,
  expected: ['filtered'],
  observed: 'open',
  reason: 'syn-ack',
  message: 'peer ipv6 tcp/80: expected filtered, observed open (syn-ack) ← ip6tables -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT [scenarios/web01/rules.v6:7]',
};

function result(patch: Partial<ScenarioResult> = {}): ScenarioResult {
  const verdict = { passed: false, mismatches: [mismatch], missing: [], othersMismatches: [], unchecked: { observations: [], summaries: [] }, parity: [], unverified: [] };
  return { ...emptyResult('web01', file), ...verdictFields(verdict, 'strict'), observations: [observed], lines: { name: 1, expect: 4 }, ...patch };
}

describe('a failing slice under vitest', () => {
  it('is one line per port that differs, with the rule that decided it and its file:line', () => {
    expect(sliceLines(result(), 'peer', 'ipv6')).toEqual([
      'peer ipv6 tcp/80: expected filtered, observed open (syn-ack) — decided by ip6tables -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT [scenarios/web01/rules.v6:7]',
    ]);
    expect(sliceLines(result(), 'peer', 'ipv4')).toEqual([]);
    expect(sliceLines(result(), 'loopback', 'ipv6')).toEqual([]);
  });

  it('points its stack and code frame at the port in the scenario file, not at fwprobe', () => {
    const error = sliceFailure(result(), 'peer', 'ipv6', 'web01') as Error & { codeFrame: string };
    expect(error.name).toBe('AssertionError');
    expect(error.stack!.split('\n')[1]).toBe(`    at web01 (${file}:10:37)`);
    expect(error.stack).not.toMatch(/src\/vitest/);
    expect(error.codeFrame.split('\n')).toEqual(['     9|     ipv6:', '    10|       tcp: { open: [22], filtered: [80] }', '      |                                     ^']);
    expect(sliceFailure(result(), 'loopback', 'ipv4', 'web01')).toBeNull();
  });

  it('finds the vantage block first, then the port; the vantage line when the port is not written', () => {
    const lines = SCENARIO.split('\n');
    expect(findLine(lines, 3, 'loopback', 80)).toEqual({ line: 7, column: 37 });
    expect(findLine(lines, 3, 'peer', 22)).toEqual({ line: 10, column: 21 });
    expect(findLine(lines, 3, 'peer', 443)).toEqual({ line: 8, column: 3 });
    expect(findLine(lines, 3, 'admin', 22)).toBeNull();
    expect(codeFrame(join(dir, 'missing.yaml'), { line: 1, column: 1 })).toBeNull();
  });

  it('leaves slice problems to the slices: the last test fails only for parity, coverage, or problems outside them', () => {
    const slices = [{ vantage: 'peer', family: 'ipv6' }] as const;
    expect(verdictLines(result(), slices)).toEqual([]);
    expect(verdictLines(result(), [])).toEqual([mismatch.message]);
    const unverified = { family: 'ipv4', match: 'ttl', rule: '-A INPUT -m ttl --ttl-lt 5 -j DROP' } as const;
    const withRule = result({ verdict: { ...result().verdict!, unverified: [unverified] } });
    expect(verdictLines(withRule, slices)).toEqual([expect.stringMatching(/^unverified: ipv4 rule matches on ttl/)]);
    // A failed verdict with no reason anywhere is never a pass.
    const bare = result({ verdict: { ...result().verdict!, mismatches: [] } });
    expect(verdictLines(bare, slices)).toHaveLength(1);
  });
});

describe('the describe block a scenario declares', () => {
  it('is titled by its name and path, with a test only for slices it expects something of', async () => {
    const declared = await declaredSlices(file);
    expect(declared.title).toBe(`web01 (${file})`);
    expect(declared.slices).toEqual([
      { vantage: 'loopback', family: 'ipv4' },
      { vantage: 'loopback', family: 'ipv6' },
      { vantage: 'peer', family: 'ipv6' },
    ]);
  });

  it('is titled by the path alone, with no slices, when the file does not load', async () => {
    const broken = join(dir, 'broken.scenario.yaml');
    writeFileSync(broken, 'name: [\n');
    expect(await declaredSlices(broken)).toEqual({ file: broken, title: broken, slices: [] });
  });
});
