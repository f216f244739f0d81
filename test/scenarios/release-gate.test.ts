/**
 * The release gate against real containers: a library scenario copied to a folder whose name holds shell
 * metacharacters, baselined, then checked unchanged (exit 0), with one more accepted port (exit 1 and
 * exactly that port), and with a ruleset that does not apply (exit 2, never 0); `compare` on two pairs
 * of rulesets; and DOCKER_HOST honoured by the command itself. The Grafana case: an nft ruleset baselined,
 * its hash stable across runs, a rule that changes no exposure said as such, and a port admitted with no
 * listener in the lab (filtered → closed) failing `check`; `compare` of the two nft files in that lab.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../../src/cli/capture.test-helpers.ts';
import { main } from '../../src/cli/main.ts';

const output = captureOutput();
const LIBRARY = 'scenarios/ipv6-gap';
let dir: string;
let reports: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fwprobe gate $(touch pwned) 'q' `x`;"));
  reports = join(dir, 'reports');
  for (const file of ['v6-blocked.scenario.yaml', 'v4-only.rules.v4', 'block-v6.rules.v6']) await copyFile(join(LIBRARY, file), join(dir, file));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const changedLines = (text: string) => text.split('\n').filter((line) => line.startsWith('  '));

describe('fwprobe baseline and check', () => {
  it('baseline writes the exposure beside the scenario; check with nothing changed exits 0', async () => {
    expect(await main(['baseline', dir, '--report-dir', reports])).toBe(0);
    const baseline = await readFile(join(dir, 'v6-blocked.baseline.json'), 'utf8');
    expect(baseline).toContain('{"vantage":"peer","host":"target","family":"ipv4","protocol":"tcp","open":"22","admitted":"","blocked":"53,80"}');
    expect(baseline).toContain('{"vantage":"loopback","host":"target","family":"ipv6","protocol":"tcp","open":"","admitted":"","blocked":"22,53,80"}');
    output.out = '';
    expect(await main(['check', dir, '--report-dir', reports])).toBe(0);
    expect(output.out).toBe('\n0 changed, 1 same, 0 error\n');
  });

  it('a format 1 baseline is read, its shut compared as blocked, with a note saying so', async () => {
    const file = join(dir, 'v6-blocked.baseline.json');
    const current = await readFile(file, 'utf8');
    // The same exposure as fwprobe wrote it before format 2: admitted and blocked as one `shut`.
    const old = current
      .replace('"format": 2', '"format": 1')
      .replace(/"admitted":"([^"]*)","blocked":"([^"]*)"/g, (_m, admitted: string, blocked: string) => `"shut":"${[admitted, blocked].filter(Boolean).join(',')}"`);
    expect(old).toContain('"open":"22","shut":"53,80"');
    await writeFile(file, old);
    output.out = '';
    expect(await main(['check', dir, '--report-dir', reports])).toBe(0);
    expect(output.out).toMatch(/^note {5}.*v6-blocked\.baseline\.json is format 1: its "shut" cannot say whether the firewall admitted a port/);
    expect(output.out).toContain('0 changed, 1 same, 0 error');
    await writeFile(file, current);
  });

  it('one more accepted port: exit 1 and exactly that port, from each vantage', async () => {
    const rules = join(dir, 'v4-only.rules.v4');
    const text = await readFile(rules, 'utf8');
    await writeFile(rules, text.replace(/^COMMIT$/m, '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT'));
    expect(await main(['check', dir, '--report-dir', reports])).toBe(1);
    expect(changedLines(output.out)).toEqual(['  loopback ipv4 tcp/80: blocked → open (more access)', '  peer ipv4 tcp/80: blocked → open (more access)']);
    expect(output.out).toContain('1 changed, 0 same, 0 error');
  });

  it('honours DOCKER_HOST: the named socket is used, a dead one is exit 2', async () => {
    const run = (dockerHost: string) =>
      promisify(execFile)('node', ['bin/fwprobe.mjs', 'check', dir, '--report-dir', reports], { env: { ...process.env, DOCKER_HOST: dockerHost } }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const live = await run('unix:///var/run/docker.sock');
    expect(live.code, live.stderr).toBe(1);
    expect(changedLines(live.stdout)).toEqual(['  loopback ipv4 tcp/80: blocked → open (more access)', '  peer ipv4 tcp/80: blocked → open (more access)']);
    const dead = await run(`unix://${join(dir, 'no-such.sock')}`);
    expect(dead.code).toBe(2);
    expect(dead.stderr).toContain('No Docker engine answers');
  });

  it('a scenario that cannot run is exit 2, never 0 or 1', async () => {
    await writeFile(join(dir, 'v4-only.rules.v4'), '*filter\n-A INPUT -p tcp --dport 80 -j NOSUCHTARGET\nCOMMIT\n');
    expect(await main(['check', dir, '--report-dir', reports])).toBe(2);
    expect(output.out).toMatch(/error {4}.*v6-blocked\.scenario\.yaml: cannot compare\n {2}RULESET_APPLY_FAILED/);
    expect(output.out).toContain('0 changed, 0 same, 1 error');
  });
});

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
