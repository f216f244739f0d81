/**
 * The Grafana case of the release gate, against real containers: an nft ruleset baselined, its hash stable
 * across runs, a rule that changes no exposure said as such, and a port admitted with no listener in the
 * lab (filtered → closed) failing `check`; `compare` of the two nft files in that lab. Its own file, beside
 * release-gate.test.ts, so vitest runs the two side by side.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../../src/cli/capture.test-helpers.ts';
import { main } from '../../src/cli/main.ts';

const output = captureOutput();

const changedLines = (text: string) => text.split('\n').filter((line) => line.startsWith('  '));

// A port the real host serves (Grafana) with no listener in the lab: admitting it is what the gate guards.
const GRAFANA_SCENARIO = `name: grafana
services: [22/tcp, 123/udp]
ruleset: { nft: grafana.nft }
vantages: [peer]
ports: { tcp: [3000] }
expect: { peer: { both: { tcp: { open: [22] } } } }
`;
const grafanaNft = (extra: string) => `table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tiif "lo" accept
\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept
\t\ttcp dport 22 accept
${extra}\t}
}
`;

describe('the Grafana case: the gate guards what the firewall admits, for an nft ruleset', () => {
  let grafana: string;
  beforeAll(async () => {
    grafana = await mkdtemp(join(tmpdir(), 'fwprobe-grafana-'));
    await writeFile(join(grafana, 'grafana.scenario.yaml'), GRAFANA_SCENARIO);
    await writeFile(join(grafana, 'grafana.nft'), grafanaNft(''));
    // B also lets the UDP service in: UDP is compared like TCP (blocked → open, not `open → not seen`).
    await writeFile(join(grafana, 'admitted.nft'), grafanaNft('\t\ttcp dport 3000 accept\n\t\tudp dport 123 accept\n'));
  });
  afterAll(() => rm(grafana, { recursive: true, force: true }));

  // One lab run per test: each would pass the per-test timeout together under load.
  const gate = (command: string) => main([command, grafana, '--report-dir', join(grafana, 'reports')]);

  it('baseline keeps admitted and blocked apart', async () => {
    expect(await gate('baseline')).toBe(0);
    const baseline = await readFile(join(grafana, 'grafana.baseline.json'), 'utf8');
    expect(baseline).toContain('"format": 2,');
    expect(baseline).toContain('{"vantage":"peer","host":"target","family":"ipv4","protocol":"tcp","open":"22","admitted":"","blocked":"3000"}');
  });

  it('nothing changed: a second lab (new handles, counters, Docker DNS ports) has the same exposure and the same rules hash', async () => {
    output.out = '';
    expect(await gate('check')).toBe(0);
    expect(output.out).toBe('\n0 changed, 1 same, 0 error\n');
  });

  it('a rule that admits nothing new: the rules changed, the exposure did not (exit 0)', async () => {
    await writeFile(join(grafana, 'grafana.nft'), grafanaNft('\t\ttcp dport 3001 drop\n'));
    output.out = '';
    expect(await gate('check')).toBe(0);
    expect(output.out).toMatch(/^same {5}.*grafana\.scenario\.yaml: the applied rulesets changed, the exposure did not\n/);
  });

  it('tcp dport 3000 accept with no listener: check exits 1 naming tcp/3000 (blocked → admitted)', async () => {
    await writeFile(join(grafana, 'grafana.nft'), grafanaNft('\t\ttcp dport 3000 accept\n'));
    expect(await gate('check')).toBe(1);
    expect(changedLines(output.out)).toEqual(['ipv4', 'ipv6'].map((f) => `  peer ${f} tcp/3000: blocked → admitted (more access)`));
    expect(output.out).toContain('1 changed, 0 same, 0 error');
  });

  it("compare of the two nft files in the scenario's lab names the changed port", async () => {
    await writeFile(join(grafana, 'grafana.nft'), grafanaNft(''));
    output.out = '';
    const code = await main([
      'compare',
      '--a',
      `nft=${join(grafana, 'grafana.nft')}`,
      '--b',
      `nft=${join(grafana, 'admitted.nft')}`,
      '--scenario',
      join(grafana, 'grafana.scenario.yaml'),
      '--report-dir',
      join(grafana, 'reports'),
    ]);
    expect(changedLines(output.out)).toEqual(['ipv4', 'ipv6'].flatMap((f) => [`  peer ${f} tcp/3000: blocked → admitted (more access)`, `  peer ${f} udp/123: blocked → open (more access)`]));
    expect(code).toBe(1);
  });
});
