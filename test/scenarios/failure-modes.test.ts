/**
 * The ways a run must NOT pass: a wrong expectation fails with a readable diff, a ruleset line that does
 * not apply is an error naming the line, and Ctrl-C leaves no container or network behind.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { getDocker } from '../../src/lab/docker.ts';
import type { ResultsDocument } from '../../src/report/results-json.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';

const FIXTURES = 'test/fixtures/runtime';

// Side by side: each test has its own lab (the Ctrl-C one finds its containers by its run's pid).
describe.concurrent('failure modes', () => {
  test('a wrong expectation fails with a readable diff', async () => {
    const result = await runScenarioFile(join(FIXTURES, 'wrong-expectation.scenario.yaml'), {
      image: inject('fwprobeImage'),
    });
    expect(result.status, result.error).toBe('failed');
    expect(result.verdict?.mismatches).toEqual([
      expect.objectContaining({
        vantage: 'loopback',
        family: 'ipv6',
        protocol: 'tcp',
        port: 53,
        expected: ['open'],
        observed: 'filtered',
        reason: 'no-response',
      }),
    ]);
    // The readable diff is rendered from that structure.
    expect(verdictTextOf(result)).toContain('✗ loopback ipv6 tcp/53: expected open, observed filtered (no-response)');
  });

  test('a ruleset line in legacy syntax ends in error, naming the line and the tool output', async () => {
    const result = await runScenarioFile(join(FIXTURES, 'legacy-negation.scenario.yaml'), {
      image: inject('fwprobeImage'),
    });
    expect(result.status).toBe('error');
    expect(result.errorCode).toBe('RULESET_APPLY_FAILED');
    expect(result.error).toContain('legacy-negation.rules.v4:4: -A INPUT -i ! lo -j ACCEPT');
    expect(result.error).toContain("Bad argument `lo'");
    expect(result.error).toContain('the modern form is "! -i lo"');
    expect(result.scans).toEqual([]);
  });

  test('one bad scenario file ends in error and the others still run; the CLI exits 2', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'fwprobe-bad-file-'));
    const files = ['test/fixtures/scenarios/bad-port-range.yaml', 'scenarios/ipv6-gap/v4-only.scenario.yaml'];
    const child = spawn(process.execPath, ['bin/fwprobe.mjs', 'run', ...files, '--report-dir', reportDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(exitCode).toBe(2);
    const report = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as ResultsDocument;
    const byFile = Object.fromEntries(report.scenarios.map((s) => [s.file, s]));
    expect(byFile[files[0]!]?.status).toBe('error');
    expect(byFile[files[0]!]?.errorCode).toBe('SCENARIO_INVALID');
    expect(byFile[files[0]!]?.error).toContain('70000');
    expect(byFile[files[1]!]?.status).toBe('passed');
    expect(byFile[files[1]!]?.observations.some((o) => o.family === 'ipv6' && o.port === 53)).toBe(true);
  });

  test('Ctrl-C in the middle of a run removes its containers (target, peer, lab switch)', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'fwprobe-sigint-'));
    const child = spawn(process.execPath, ['bin/fwprobe.mjs', 'run', join(FIXTURES, 'slow-drop.scenario.yaml'), '--report-dir', reportDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const pidLabel = { label: [`fwprobe.pid=${child.pid}`] };

    // Wait until the run has its lab up (target, peer and the switch that wires them), then interrupt it.
    const docker = getDocker();
    const deadline = Date.now() + 60_000;
    while ((await docker.listContainers({ all: true, filters: pidLabel })).length < 3) {
      if (Date.now() > deadline) throw new Error(`the run never started its lab:\n${stderr}`);
      if (child.exitCode !== null) throw new Error(`the run ended before it could be interrupted:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The lab's networks are bridges inside the switch container, never Docker networks.
    expect(await docker.listNetworks({ filters: pidLabel })).toEqual([]);
    child.kill('SIGINT');

    expect(await exited).toBe(130);
    expect(stderr).toContain('SIGINT');
    expect(await docker.listContainers({ all: true, filters: pidLabel })).toEqual([]);
    expect(await docker.listNetworks({ filters: pidLabel })).toEqual([]);
  });
});
