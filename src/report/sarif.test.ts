/**
 * fwprobe.sarif: SARIF 2.1.0's shape, a result per exposure and parity gap, located at the deciding rule's
 * line when attribution names a file of the repository, else at the scenario's lines; lint findings as notes.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Attribution } from '../model/attribution.ts';
import type { ScenarioResult } from './result.ts';
import { repositoryRoot, type SarifPaths } from './sarif-location.ts';
import { buildResultsDocument } from './results-document.ts';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';
import { renderSarif, SARIF_SCHEMA } from './sarif.ts';

// The parts of SARIF 2.1.0 that code-scanning tools read; strict where fwprobe's output must be exact.
const location = z.object({
  physicalLocation: z.object({ artifactLocation: z.object({ uri: z.string().min(1), uriBaseId: z.literal('%SRCROOT%').optional() }), region: z.object({ startLine: z.number().int().positive() }) }),
});
const sarifShape = z.object({
  $schema: z.literal(SARIF_SCHEMA),
  version: z.literal('2.1.0'),
  runs: z.tuple([
    z.object({
      tool: z.object({
        driver: z.object({
          name: z.literal('fwprobe'),
          version: z.string(),
          rules: z.array(z.object({ id: z.string().regex(/^fwprobe\/[a-z-]+$/), shortDescription: z.object({ text: z.string().min(1) }) })),
        }),
      }),
      results: z.array(
        z.object({
          ruleId: z.string(),
          ruleIndex: z.number().int().nonnegative(),
          level: z.enum(['error', 'warning', 'note', 'none']),
          message: z.object({ text: z.string().min(1) }),
          locations: z.array(location).min(1),
          relatedLocations: z.array(location.extend({ id: z.number().int(), message: z.object({ text: z.string().min(1) }) })).optional(),
          partialFingerprints: z.record(z.string(), z.string()),
        }),
      ),
    }),
  ]),
});

const invocationShape = z.object({
  executionSuccessful: z.boolean(),
  startTimeUtc: z.string(),
  endTimeUtc: z.string(),
  exitSignalName: z.string().optional(),
  toolExecutionNotifications: z.array(z.object({ level: z.literal('error'), descriptor: z.object({ id: z.string() }), message: z.object({ text: z.string().min(1) }) })).optional(),
  properties: z.object({ interrupted: z.object({ signal: z.string() }) }).optional(),
});

// The tests run at the repository's root: the scenarios and rule files they name are real files there.
const ROOT = resolve(import.meta.dirname, '../..');
const HERE: SarifPaths = { cwd: ROOT, root: ROOT };
const sarif = (results = [gapResult(), fixedResult(), errorResult()], paths = HERE) => sarifShape.parse(JSON.parse(renderSarif(buildResultsDocument(results), paths)));

/** The gap result with `why` attributing every observation of one family. */
function attributed(family: 'ipv4' | 'ipv6', why: Attribution, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const r = gapResult();
  return { ...r, ...extra, observations: r.observations.map((o) => (o.family === family ? { ...o, attribution: why } : o)) };
}
const V6_POLICY: Attribution = { tool: 'ip6tables', table: 'filter', chain: 'INPUT', verdict: 'ACCEPT', policy: 'ACCEPT', path: ['INPUT'] };

describe('renderSarif', () => {
  it("has the shape of SARIF 2.1.0, every ruleId one of the driver's rules at its index", () => {
    const run = sarif().runs[0];
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['fwprobe/unexpected-exposure', 'fwprobe/parity-gap', 'fwprobe/mismatch']));
    for (const r of run.results) expect(ids[r.ruleIndex]).toBe(r.ruleId);
  });

  it("gives a result per unexpected exposure and per parity gap, at the scenario's ruleset line", () => {
    const results = sarif().runs[0].results;
    const exposures = results.filter((r) => r.ruleId === 'fwprobe/unexpected-exposure');
    expect(exposures.map((r) => r.message.text)).toEqual([
      'v4-only ruleset leaves IPv6 open: loopback ipv6 tcp/53: expected filtered, observed open (syn-ack)',
      'v4-only ruleset leaves IPv6 open: loopback ipv6 tcp/80: expected filtered, observed open (syn-ack)',
      'v4-only ruleset leaves IPv6 open: peer ipv6 tcp/53: expected filtered, observed open (syn-ack)',
      'v4-only ruleset leaves IPv6 open: peer ipv6 tcp/80: expected filtered, observed open (syn-ack)',
    ]);
    expect(exposures.every((r) => r.level === 'error' && r.locations[0]!.physicalLocation.region.startLine === 8)).toBe(true);
    expect(exposures[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('scenarios/ipv6-gap/v4-only.scenario.yaml');
    const gaps = results.filter((r) => r.ruleId === 'fwprobe/parity-gap');
    expect(gaps).toHaveLength(4);
    expect(gaps.every((r) => r.level === 'warning' && r.locations[0]!.physicalLocation.region.startLine === 20)).toBe(true);
    expect(results.filter((r) => r.ruleId === 'fwprobe/scenario-error').map((r) => r.message.text)).toEqual(['broken ruleset: RULESET_APPLY_FAILED: iptables-restore: line 3 failed']);
  });

  it('reports nothing for a passing scenario, and keeps fingerprints stable between runs', () => {
    expect(sarif([fixedResult()]).runs[0].results).toEqual([]);
    const first = sarif([gapResult()]).runs[0].results.map((r) => r.partialFingerprints);
    expect(sarif([gapResult()]).runs[0].results.map((r) => r.partialFingerprints)).toEqual(first);
    expect(new Set(first.map((f) => f['fwprobe/v1'])).size).toBe(first.length);
  });

  it('marks an interrupted run: executionSuccessful false, the signal, an error notification saying what is missing', () => {
    const invocationOf = (results: ScenarioResult[], interrupted?: string) =>
      invocationShape.parse(JSON.parse(renderSarif(buildResultsDocument(results, interrupted === undefined ? {} : { interrupted }), HERE)).runs[0].invocations[0]);
    // Two passing scenarios: only the mark tells this from a complete, green run.
    expect(invocationOf([fixedResult()])).toEqual({ executionSuccessful: true, startTimeUtc: expect.any(String), endTimeUtc: expect.any(String) });
    const stopped = invocationOf([fixedResult()], 'SIGINT');
    expect(stopped).toMatchObject({ executionSuccessful: false, exitSignalName: 'SIGINT', properties: { interrupted: { signal: 'SIGINT' } } });
    expect(stopped.toolExecutionNotifications).toEqual([
      { level: 'error', descriptor: { id: 'fwprobe/interrupted' }, message: { text: expect.stringMatching(/^Run interrupted \(SIGINT\): only the 1 scenario\(s\) that had finished/) } },
    ]);
    // vitest's own interruption and a merged shard's "SIGTERM in a/" are no signal names: the mark stays, exitSignalName does not.
    for (const signal of ['interrupted', 'SIGTERM in a/']) {
      const merged = invocationOf([fixedResult()], signal);
      expect(merged.executionSuccessful).toBe(false);
      expect(merged.exitSignalName).toBeUndefined();
      expect(merged.toolExecutionNotifications?.[0]?.message.text).toContain(`Run interrupted (${signal})`);
    }
  });

  it('points at line 1 of a scenario without known lines (a .scenario.ts module)', () => {
    const { lines: _, ...gap } = gapResult();
    expect(sarif([gap]).runs[0].results.every((r) => r.locations[0]!.physicalLocation.region.startLine === 1)).toBe(true);
  });

  it("locates an exposure at the deciding rule's file and line, with the scenario's ruleset line related", () => {
    // Line 4 of the real rules file is `:INPUT DROP`; what matters is that the result points where attribution says.
    const why = { ...V6_POLICY, source: { file: 'scenarios/ipv6-gap/v4-only.rules.v4', line: 4 } };
    const exposures = sarif([attributed('ipv6', why)]).runs[0].results.filter((r) => r.ruleId === 'fwprobe/unexpected-exposure');
    expect(exposures).toHaveLength(4);
    for (const r of exposures) {
      expect(r.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'scenarios/ipv6-gap/v4-only.rules.v4', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } });
      expect(r.relatedLocations).toEqual([
        expect.objectContaining({ physicalLocation: { artifactLocation: { uri: 'scenarios/ipv6-gap/v4-only.scenario.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 8 } } }),
      ]);
      expect(r.message.text).toMatch(/; decided by policy ACCEPT, ip6tables INPUT \[scenarios\/ipv6-gap\/v4-only\.rules\.v4:4\]$/);
    }
    // The fingerprint does not move when a result starts pointing at the rule: the alert is the same.
    expect(exposures.map((r) => r.partialFingerprints)).toEqual(
      sarif([gapResult()])
        .runs[0].results.filter((r) => r.ruleId === 'fwprobe/unexpected-exposure')
        .map((r) => r.partialFingerprints),
    );
  });

  it("locates a parity gap at the more open family's rule (IPv6 here), not the IPv4 side", () => {
    const v4 = { ...V6_POLICY, tool: 'iptables', verdict: 'DROP', policy: 'DROP', source: { file: 'scenarios/ipv6-gap/v4-only.rules.v4', line: 4 } };
    const v6 = { ...V6_POLICY, source: { file: 'scenarios/ipv6-gap/block-v6.rules.v6', line: 3 } };
    const r = gapResult();
    const both = { ...r, observations: r.observations.map((o) => ({ ...o, attribution: o.family === 'ipv4' ? v4 : v6 })) };
    const gaps = sarif([both]).runs[0].results.filter((x) => x.ruleId === 'fwprobe/parity-gap');
    expect(gaps).toHaveLength(4);
    expect(gaps.map((g) => `${g.locations[0]!.physicalLocation.artifactLocation.uri}:${g.locations[0]!.physicalLocation.region.startLine}`)).toEqual(
      Array(4).fill('scenarios/ipv6-gap/block-v6.rules.v6:3'),
    );
    expect(gaps.every((g) => g.relatedLocations?.[0]?.physicalLocation.region.startLine === 20)).toBe(true);
  });

  it("falls back to the scenario's line where no file line decided: generated text, a script without lines, undecided, outside the repository", () => {
    for (const source of [
      { file: 'preset book-2009 (generated rules.v6)', line: 3 },
      { file: 'scenarios/script-files/firewall.sh', origin: 'added by this script' },
      { file: '../../etc/passwd', line: 1 },
    ]) {
      const exposures = sarif([attributed('ipv6', { ...V6_POLICY, source })]).runs[0].results.filter((r) => r.ruleId === 'fwprobe/unexpected-exposure');
      expect(exposures.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`)).toEqual(
        Array(4).fill('scenarios/ipv6-gap/v4-only.scenario.yaml:8'),
      );
      expect(exposures.every((r) => r.relatedLocations === undefined && !r.message.text.includes('decided by'))).toBe(true);
    }
    const undecided = sarif([attributed('ipv6', { path: [], undecided: 'nothing was traced', source: { file: 'scenarios/ipv6-gap/v4-only.rules.v4', line: 4 } })]).runs[0].results;
    expect(undecided.filter((r) => r.ruleId === 'fwprobe/unexpected-exposure').every((r) => r.locations[0]!.physicalLocation.region.startLine === 8)).toBe(true);
  });

  it('gives a note per static lint finding and per rate-dependent rule, at the ruleset line', () => {
    const lint = 'IPv4: 2 rule(s) not analysed (user chains, jumps or matches the lint cannot read), e.g. "-A INPUT -j X"; the scans still judge what they do.';
    const r: ScenarioResult = { ...fixedResult(), staticParity: [lint], rateDependent: [{ family: 'ipv4', match: 'limit', rule: '-A INPUT -m limit --limit 5/min -j ACCEPT' }] };
    const results = sarif([r]).runs[0].results;
    expect(results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['fwprobe/ruleset-lint', 'note', 8],
      ['fwprobe/rate-dependent', 'note', 8],
    ]);
    expect(results[0]!.message.text).toBe(`v6 policies DROP close the gap: static parity: ${lint}`);
  });

  it('makes URIs relative to the repository root when fwprobe ran in a subfolder, and file:// outside it', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'fwprobe-sarif-'));
    try {
      await mkdir(join(tmp, 'repo', '.git'), { recursive: true });
      await mkdir(join(tmp, 'repo', 'infra', 'fw'), { recursive: true });
      await writeFile(join(tmp, 'repo', 'infra', 'fw', 'rules.v4'), '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT\nCOMMIT\n');
      const cwd = join(tmp, 'repo', 'infra');
      expect(repositoryRoot(cwd)).toBe(join(tmp, 'repo'));
      const why = { ...V6_POLICY, policy: undefined, rule: '-A INPUT -p tcp --dport 80 -j ACCEPT', source: { file: 'fw/rules.v4', line: 3 } };
      const inRepo = attributed('ipv6', why, { file: 'fw/web.scenario.yaml' });
      const exposure = sarif([inRepo], { cwd, root: repositoryRoot(cwd) }).runs[0].results.find((r) => r.ruleId === 'fwprobe/unexpected-exposure')!;
      expect(exposure.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'infra/fw/rules.v4', uriBaseId: '%SRCROOT%' });
      expect(exposure.relatedLocations![0]!.physicalLocation.artifactLocation).toEqual({ uri: 'infra/fw/web.scenario.yaml', uriBaseId: '%SRCROOT%' });
      const outside = sarif([{ ...gapResult(), file: '../../elsewhere/x.scenario.yaml' }], { cwd, root: repositoryRoot(cwd) }).runs[0].results[0]!;
      expect(outside.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: `file://${join(tmp, 'elsewhere', 'x.scenario.yaml')}` });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
