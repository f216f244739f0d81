/**
 * The release gate against real containers: a library scenario copied to a folder whose name holds shell
 * metacharacters, baselined, then checked unchanged (exit 0), with one more accepted port (exit 1 and
 * exactly that port), and with a ruleset that does not apply (exit 2, never 0); `compare` on two pairs
 * of rulesets; and DOCKER_HOST honoured by the command itself.
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
    expect(baseline).toContain('{"vantage":"peer","host":"target","family":"ipv4","protocol":"tcp","open":"22","shut":"53,80"}');
    expect(baseline).toContain('{"vantage":"loopback","host":"target","family":"ipv6","protocol":"tcp","open":"","shut":"22,53,80"}');
    output.out = '';
    expect(await main(['check', dir, '--report-dir', reports])).toBe(0);
    expect(output.out).toBe('\n0 changed, 1 same, 0 error\n');
  });

  it('one more accepted port: exit 1 and exactly that port, from each vantage', async () => {
    const rules = join(dir, 'v4-only.rules.v4');
    const text = await readFile(rules, 'utf8');
    await writeFile(rules, text.replace(/^COMMIT$/m, '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT'));
    expect(await main(['check', dir, '--report-dir', reports])).toBe(1);
    expect(changedLines(output.out)).toEqual(['  loopback ipv4 tcp/80: shut → open', '  peer ipv4 tcp/80: shut → open']);
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
    expect(changedLines(live.stdout)).toEqual(['  loopback ipv4 tcp/80: shut → open', '  peer ipv4 tcp/80: shut → open']);
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
    expect(changedLines(output.out)).toEqual(['loopback', 'peer'].flatMap((v) => [22, 53, 80].map((p) => `  ${v} ipv6 tcp/${p}: open → shut`)));
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
