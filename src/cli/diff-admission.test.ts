/**
 * `fwprobe diff` reads admission from results.json: a port that goes filtered → closed is one the firewall
 * now admits, unless the attribution recorded with it names a REJECT rule; and a vantage one file had and the
 * other lacks is a change, never a silent pass. Offline, no Docker.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../model/observation.ts';
import { emptyResult, type ScenarioResult } from '../report/result.ts';
import { buildResultsDocument } from '../report/results-json.ts';
import { captureOutput } from './capture.test-helpers.ts';
import { runCli } from './main.ts';

const output = captureOutput();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fwprobe-diff-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const obs = (port: number, state: Observation['state'], vantage = 'peer'): Observation => ({ vantage, family: 'ipv6', protocol: 'tcp', port, state, reason: 'test' });
const result = (name: string, observations: Observation[]): ScenarioResult => ({ ...emptyResult(name, `scenarios/${name}.scenario.yaml`), status: 'passed', observations });

async function resultsFile(name: string, results: ScenarioResult[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(buildResultsDocument(results)));
  return file;
}

async function cli(args: string[]): Promise<number> {
  await runCli(args);
  return Number(process.exitCode);
}

describe('fwprobe diff reads admission', () => {
  it('filtered → closed is exit 1: the firewall now admits the port (blocked → admitted)', async () => {
    const a = await resultsFile('adm-a.json', [result('web', [obs(22, 'open'), obs(3000, 'filtered')])]);
    const b = await resultsFile('adm-b.json', [result('web', [obs(22, 'open'), obs(3000, 'closed')])]);
    expect(await cli(['diff', a, b])).toBe(1);
    expect(output.out).toBe('changed  scenarios/web.scenario.yaml (web)\n  peer ipv6 tcp/3000: blocked → admitted (more access)\n\n1 changed, 0 same, 0 error\n');
  });

  it("a REJECT rule's reset is blocked, read from results.json's attribution: filtered → closed by REJECT is no change", async () => {
    const reject = { path: ['INPUT'], verdict: 'REJECT', packet: 'first' as const, tool: 'iptables', chain: 'INPUT', rule: '-A INPUT -p tcp -j REJECT --reject-with tcp-reset' };
    const a = await resultsFile('rej-a.json', [result('web', [obs(22, 'open'), obs(3000, 'filtered')])]);
    const b = await resultsFile('rej-b.json', [result('web', [obs(22, 'open'), { ...obs(3000, 'closed'), attribution: reject }])]);
    expect(await cli(['diff', a, b])).toBe(0);
    expect(output.out).toBe('\n0 changed, 1 same, 0 error\n');
  });

  it('a vantage the first file had and the second lacks is a change (coverage must not shrink silently)', async () => {
    const a = await resultsFile('cov-a.json', [result('web', [obs(22, 'open'), obs(22, 'filtered', 'dmz-peer'), obs(80, 'filtered', 'dmz-peer')])]);
    const b = await resultsFile('cov-b.json', [result('web', [obs(22, 'open')])]);
    expect(await cli(['diff', a, b])).toBe(1);
    expect(output.out).toBe('changed  scenarios/web.scenario.yaml (web)\n  dmz-peer ipv6 tcp: scanned before (2 port(s) known), not seen now (coverage shrank)\n\n1 changed, 0 same, 0 error\n');
  });
});
