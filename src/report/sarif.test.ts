/** fwprobe.sarif: SARIF 2.1.0's shape, a result per exposure and parity gap, located at the scenario's lines. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildResultsDocument } from './results-document.ts';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';
import { renderSarif, SARIF_SCHEMA } from './sarif.ts';

// The parts of SARIF 2.1.0 that code-scanning tools read; strict where fwprobe's output must be exact.
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
          locations: z.array(z.object({ physicalLocation: z.object({ artifactLocation: z.object({ uri: z.string().min(1) }), region: z.object({ startLine: z.number().int().positive() }) }) })).min(1),
          partialFingerprints: z.record(z.string(), z.string()),
        }),
      ),
    }),
  ]),
});

const sarif = (results = [gapResult(), fixedResult(), errorResult()]) => sarifShape.parse(JSON.parse(renderSarif(buildResultsDocument(results))));

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

  it('points at line 1 of a scenario without known lines (a .scenario.ts module)', () => {
    const { lines: _, ...gap } = gapResult();
    expect(sarif([gap]).runs[0].results.every((r) => r.locations[0]!.physicalLocation.region.startLine === 1)).toBe(true);
  });
});
