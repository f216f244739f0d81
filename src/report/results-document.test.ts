/** results.json says where it comes from (version, image, times, ruleset hashes) and keeps one order. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildResultsDocument } from './results-document.ts';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';

describe('buildResultsDocument', () => {
  it("carries fwprobe's version, the images, both timestamps and a sha256 of each applied ruleset", async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const doc = buildResultsDocument([gapResult(), errorResult()], { startedAt: new Date('2025-01-02T03:00:00Z'), now: new Date('2025-01-02T03:04:05Z') });
    expect(doc.fwprobe.version).toBe(pkg.version);
    expect(doc.images).toEqual(['fwprobe-target:test']);
    expect([doc.startedAt, doc.generatedAt]).toEqual(['2025-01-02T03:00:00.000Z', '2025-01-02T03:04:05.000Z']);
    const gap = doc.scenarios.find((s) => s.status === 'failed')!;
    expect(gap.appliedSha256?.v4).toBe(createHash('sha256').update(gap.applied!.v4).digest('hex'));
    expect(gap.appliedSha256?.v4).not.toBe(gap.appliedSha256?.v6);
    expect(doc.scenarios.find((s) => s.status === 'error')!.appliedSha256).toBeNull();
  });

  it('orders scenarios by file then name, whatever order they ended in, the same on every machine', () => {
    const names = (rs: ReturnType<typeof gapResult>[]) => buildResultsDocument(rs).scenarios.map((s) => s.file);
    const all = [fixedResult(), errorResult(), gapResult(), { ...gapResult(), file: 'Z.scenario.yaml' }];
    expect(names(all)).toEqual(['Z.scenario.yaml', 'scenarios/broken.scenario.yaml', 'scenarios/ipv6-gap/v4-only.scenario.yaml', 'scenarios/ipv6-gap/v6-blocked.scenario.yaml']);
    expect(names([...all].reverse())).toEqual(names(all));
  });

  it("keeps results.json v1's verdict fields, rendered from the structured verdict when the document is built", () => {
    const result = gapResult();
    expect(Object.keys(result)).not.toContain('verdictText');
    const [gap] = buildResultsDocument([result]).scenarios;
    expect(gap!.mismatches).toEqual(result.verdict!.mismatches);
    expect(gap!.mismatches.length).toBeGreaterThan(0);
    expect(gap!.parity).toEqual(result.verdict!.parity);
    expect(gap!.problems).toEqual(result.verdict!.mismatches.map((m) => m.message));
    expect(gap!.verdictText).toMatch(/^FAILED: \d+ mismatch/);
    expect(gap!.verdictText).toContain(`  ✗ ${result.verdict!.mismatches[0]!.message}`);
    const [broken] = buildResultsDocument([errorResult()]).scenarios;
    expect([broken!.mismatches, broken!.parity, broken!.problems, broken!.verdictText]).toEqual([[], [], [], '']);
  });
});
