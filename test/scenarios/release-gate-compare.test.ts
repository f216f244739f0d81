/**
 * `fwprobe compare` against real containers: the library's v4-only ruleset against its fixed one (they
 * differ exactly in IPv6), and a generated policy's restore and shell-script renderings (the same
 * exposure). Its own file, beside release-gate.test.ts, so vitest runs the two side by side.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../../src/cli/capture.test-helpers.ts';
import { main } from '../../src/cli/main.ts';

const output = captureOutput();
const LIBRARY = 'scenarios/ipv6-gap';
let dir: string;
let reports: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fwprobe-compare-'));
  reports = join(dir, 'reports');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const changedLines = (text: string) => text.split('\n').filter((line) => line.startsWith('  '));

describe('fwprobe compare', () => {
  it("the library's v4-only and fixed rulesets differ exactly in IPv6 from every vantage", async () => {
    const code = await main([
      'compare',
      '--a',
      `v4=${LIBRARY}/v4-only.rules.v4`,
      '--b',
      `v4=${LIBRARY}/v4-only.rules.v4,v6=${LIBRARY}/block-v6.rules.v6`,
      '--services',
      '22/tcp,53/tcp,80/tcp',
      '--report-dir',
      reports,
    ]);
    expect(code).toBe(1);
    expect(changedLines(output.out)).toEqual(['loopback', 'peer'].flatMap((v) => [22, 53, 80].map((p) => `  ${v} ipv6 tcp/${p}: open → blocked (less access)`)));
  });

  it("a generated policy's iptables-restore and shell-script renderings expose the same", async () => {
    const out = join(dir, 'generated');
    expect(await main(['generate', 'scenarios/policy-mirror/web.policy.yaml', '--out', out])).toBe(0);
    output.out = '';
    const code = await main([
      'compare',
      '--a',
      `v4=${out}/rules.v4,v6=${out}/rules.v6`,
      '--b',
      `script=${out}/firewall.sh`,
      '--services',
      '22/tcp,80/tcp,443/tcp,3306/tcp,8080/tcp,53/udp',
      '--report-dir',
      reports,
    ]);
    expect(output.out).toMatch(/identical exposure: 24 port state\(s\) known in A, 24 in B/);
    expect(code).toBe(0);
  });
});
