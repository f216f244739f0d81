/**
 * `fwprobe run` as a CI job runs it, end to end with real containers: stdout a pipe, so progress is plain
 * lines on stderr and no colour anywhere; `--json` leaves stdout one JSON document; every report is written,
 * each pointing at the same scenario (SARIF at its file's lines).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { ResultsDocument } from '../../src/report/results-json.ts';

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/fwprobe.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
