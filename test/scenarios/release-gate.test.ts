/**
 * The release gate against real containers: a library scenario copied to a folder whose name holds shell
 * metacharacters, baselined, then checked unchanged (exit 0, from a format 1 baseline too), with one more
 * accepted port (exit 1 and exactly that port, through the command with DOCKER_HOST naming the socket),
 * and with a ruleset that does not apply (exit 2, never 0). `compare` is in release-gate-compare.test.ts,
 * the nft (Grafana) case in release-gate-nft.test.ts: separate files, so vitest runs them side by side.
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
  it('baseline writes the exposure beside the scenario', async () => {
    expect(await main(['baseline', dir, '--report-dir', reports])).toBe(0);
    const baseline = await readFile(join(dir, 'v6-blocked.baseline.json'), 'utf8');
    expect(baseline).toContain('{"vantage":"peer","host":"target","family":"ipv4","protocol":"tcp","open":"22","admitted":"","blocked":"53,80"}');
    expect(baseline).toContain('{"vantage":"loopback","host":"target","family":"ipv6","protocol":"tcp","open":"","admitted":"","blocked":"22,53,80"}');
  });

  // The check of an unchanged scenario against its format 2 baseline: the +80 test below (exactly one
  // changed port), and release-gate-nft.test.ts's unchanged check (0 changed, 1 same).
  it('nothing changed, from a format 1 baseline: exit 0, its shut compared as blocked, with a note saying so', async () => {
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

  // Through the command itself (bin/fwprobe.mjs), with DOCKER_HOST naming the engine's socket: the socket
  // is used, and the change is found; a dead socket is exit 2.
  it('one more accepted port, DOCKER_HOST naming the socket: exit 1 and exactly that port, from each vantage; a dead socket is exit 2', async () => {
    const rules = join(dir, 'v4-only.rules.v4');
    const text = await readFile(rules, 'utf8');
    await writeFile(rules, text.replace(/^COMMIT$/m, '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT'));
    const run = (dockerHost: string) =>
      promisify(execFile)('node', ['bin/fwprobe.mjs', 'check', dir, '--report-dir', reports], { env: { ...process.env, DOCKER_HOST: dockerHost } }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const live = await run('unix:///var/run/docker.sock');
    expect(live.code, live.stderr).toBe(1);
    expect(changedLines(live.stdout)).toEqual(['  loopback ipv4 tcp/80: blocked → open (more access)', '  peer ipv4 tcp/80: blocked → open (more access)']);
    expect(live.stdout).toContain('1 changed, 0 same, 0 error');
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
