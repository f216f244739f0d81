/**
 * `fwprobe run` as a CI job runs it, end to end with real containers: stdout a pipe, so progress is plain
 * lines on stderr and no colour anywhere; `--json` leaves stdout one JSON document; every report is written,
 * each pointing at the same scenario (SARIF at its file's lines); and a failing scenario's SARIF result sits
 * at the line of the rule that opened the port, relative to the repository root though fwprobe ran in a subfolder.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import type { ResultsDocument } from '../../src/report/results-json.ts';

const BIN = resolve(import.meta.dirname, '../../bin/fwprobe.mjs');

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('run --json --filter: one JSON document on stdout, progress lines on stderr, all five reports', async () => {
  const reportDir = await mkdtemp(join(tmpdir(), 'fwprobe-cli-reports-'));
  const { code, stdout, stderr } = await run(['run', 'scenarios/ipv6-gap', '--filter', 'v4-only', '--json', '--report-dir', reportDir], { NO_COLOR: '', FORCE_COLOR: '' });
  expect(code, stderr).toBe(0);
  const doc = JSON.parse(stdout) as ResultsDocument;
  expect(doc.scenarios.map((s) => s.file)).toEqual(['scenarios/ipv6-gap/v4-only.scenario.yaml']);
  expect(doc.images[0]).toMatch(/^fwprobe-target:/);
  expect(doc.scenarios[0]!.appliedSha256?.v4).toMatch(/^[0-9a-f]{64}$/);
  expect(doc.scenarios[0]!.scans.every((s) => s.xml?.includes('<nmaprun'))).toBe(true);
  expect(doc.scenarios[0]!.counters?.v4).toMatch(/\[\d+:\d+\] -A INPUT -p tcp -m tcp --dport 22/);
  expect(stderr).toMatch(/^fwprobe: \[\d+\.\d s\] v4-only ruleset leaves IPv6 open: scans$/m);
  expect(stderr).not.toContain('\u001b');
  expect((await readdir(reportDir)).sort()).toEqual(['fwprobe.sarif', 'index.html', 'junit.xml', 'results.json', 'summary.md']);
  const sarif = JSON.parse(await readFile(join(reportDir, 'fwprobe.sarif'), 'utf8')) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
  };
  const gaps = sarif.runs[0]!.results.filter((r) => r.ruleId === 'fwprobe/parity-gap');
  expect(gaps.length).toBe(4);
  // The `parity:` key of scenarios/ipv6-gap/v4-only.scenario.yaml.
  expect(gaps.every((g) => g.locations[0]!.physicalLocation.region.startLine === 23)).toBe(true);
  const html = await readFile(join(reportDir, 'index.html'), 'utf8');
  expect(html).toContain('loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)');
  await rm(reportDir, { recursive: true, force: true });
});

test("a failing scenario's SARIF result is at the rule that opened the port, the scenario's ruleset line related", async () => {
  const t0 = Date.now();
  const repo = await mkdtemp(join(tmpdir(), 'fwprobe-sarif-repo-'));
  // A user's repository (its .git marks the root) with the firewall in infra/fw, and fwprobe run from infra/.
  await mkdir(join(repo, '.git'));
  await mkdir(join(repo, 'infra', 'fw'), { recursive: true });
  const rules = [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
    '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT',
    'COMMIT',
    '',
  ].join('\n');
  await writeFile(join(repo, 'infra', 'fw', 'rules.v4'), rules);
  await writeFile(join(repo, 'infra', 'fw', 'rules.v6'), rules);
  // Both families alike (parity holds); line 4 is `ruleset:`; 80 is expected shut but line 7 of each file opens it.
  const scenario =
    'name: web shut\nservices: [22/tcp, 80/tcp]\nvantages: [loopback]\nruleset: { v4: rules.v4, v6: rules.v6 }\nexpect: { loopback: { both: { tcp: { open: [22], filtered: [80] } } } }\n';
  await writeFile(join(repo, 'infra', 'fw', 'web.scenario.yaml'), scenario);
  const { code, stderr } = await run(['run', 'fw', '--quiet', '--report-dir', 'reports'], { NO_COLOR: '1' }, join(repo, 'infra'));
  expect(code, stderr).toBe(1);
  type Location = { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } };
  const sarif = JSON.parse(await readFile(join(repo, 'infra', 'reports', 'fwprobe.sarif'), 'utf8')) as {
    runs: { results: { ruleId: string; message: { text: string }; locations: Location[]; relatedLocations?: Location[] }[] }[];
  };
  const exposures = sarif.runs[0]!.results.filter((r) => r.ruleId === 'fwprobe/unexpected-exposure');
  const where = (l: Location) => `${l.physicalLocation.artifactLocation.uriBaseId} ${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}`;
  expect(exposures.map((r) => where(r.locations[0]!)).sort()).toEqual(['%SRCROOT% infra/fw/rules.v4:7', '%SRCROOT% infra/fw/rules.v6:7']);
  for (const r of exposures) {
    expect(r.relatedLocations?.map(where)).toEqual(['%SRCROOT% infra/fw/web.scenario.yaml:4']);
    expect(r.message.text).toMatch(/loopback ipv[46] tcp\/80: expected filtered, observed open .*; decided by .*-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT \[fw\/rules\.v[46]:7\]$/);
  }
  await rm(repo, { recursive: true, force: true });
  console.log(`SARIF at the rule's line: one scenario run, ${Date.now() - t0} ms`);
});
