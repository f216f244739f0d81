/**
 * `fwprobe run` without Docker: the engine and the runner are stand-ins, so these tests see what the command
 * does with options and results (what reaches stdout and stderr, which reports are written, what is refused
 * before anything starts).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixedResult, gapResult } from '../report/fixtures.test-helpers.ts';
import type { ScenarioResult } from '../report/result.ts';
import { main } from './main.ts';
import { runCommand } from './run.ts';
import { useColour, type Stream } from './terminal.ts';

const engine = vi.hoisted(() => ({ prepared: 0, ran: [] as string[], removalFails: false }));
vi.mock('../run/engine.ts', () => ({
  prepareEngine: async () => (engine.prepared++, 'fwprobe-target:test'),
  removeEverything: async () => {},
}));
vi.mock('../run/files.ts', () => ({
  runScenarioFiles: async (files: string[], options: { onPhase?: (s: string, p: string) => void; onResult?: (r: ScenarioResult, i: number) => void }) => {
    engine.ran.push(...files);
    const results: ScenarioResult[] = files.map((file, i) => ({ ...(i % 2 === 0 ? gapResult(`evil\u001b[2J name ${i}`) : fixedResult()), file }));
    // The runner hands out final results: a lab that could not be removed is already the result's error.
    if (engine.removalFails) Object.assign(results[1]!, { status: 'error', errorCode: 'LAB_CLEANUP_FAILED', error: 'Removing the lab failed: gone wrong' });
    // Finished out of order, as concurrent scenarios do.
    for (const i of [...results.keys()].reverse()) {
      options.onPhase?.(results[i]!.name, 'scans');
      options.onResult?.(results[i]!, i);
    }
    return results;
  },
}));

const capture = (isTTY = false): Stream & { text: string } => {
  const s = { text: '', isTTY, columns: 80, write: (t: string) => ((s.text += t), true) };
  return s;
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fwprobe-cli-'));
  engine.prepared = 0;
  engine.ran = [];
  engine.removalFails = false;
  vi.stubEnv('NO_COLOR', '');
  vi.stubEnv('FORCE_COLOR', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('fwprobe run', () => {
  it('prints each result once, as final: a lab that could not be removed is printed as the error, never as a pass', async () => {
    engine.removalFails = true;
    const out = capture();
    const code = await runCommand(['scenarios/ipv6-gap', '--report-dir', dir, '--quiet'], { demo: false }, { out, err: capture() });
    expect(code).toBe(2);
    expect(out.text).toMatch(/\[ERROR\] v6 policies DROP close the gap .*\n {2}ERROR LAB_CLEANUP_FAILED: Removing the lab failed: gone wrong/);
    expect(out.text).not.toContain('PASSED');
    expect(out.text.match(/v6 policies DROP close the gap/g)).toHaveLength(1);
    expect(out.text).toContain('1 failed, 1 error');
  });

  it('prints results in file order with their port tables on stdout, progress on stderr, no escape anywhere', async () => {
    const out = capture();
    const err = capture();
    const code = await runCommand(['scenarios/ipv6-gap', '--report-dir', dir], { demo: false }, { out, err });
    expect(code).toBe(1);
    expect(out.text.indexOf('[FAILED] evil\\x1b[2J name 0')).toBeLessThan(out.text.indexOf('[PASSED] v6 policies DROP'));
    expect(out.text).toMatch(/^ {2}port +loopback ipv4 +loopback ipv6 +peer ipv4 +peer ipv6$/m);
    expect(out.text).toMatch(/53\/tcp +filtered +OPEN ✗/);
    expect(err.text).toMatch(/^fwprobe: \[\d+\.\d s\] evil\\x1b\[2J name 0: scans$/m);
    expect(err.text).toMatch(/^fwprobe: \[\d+\.\d s\] v6 policies DROP close the gap: passed in 4\.2 s$/m);
    expect(out.text + err.text).not.toContain('\u001b');
    expect((await readdir(dir)).sort()).toEqual(['fwprobe.sarif', 'index.html', 'junit.xml', 'results.json', 'summary.md']);
  });

  it('--quiet drops the tables; --json puts one JSON document on stdout and nothing else', async () => {
    const quiet = capture();
    await runCommand(['scenarios/ipv6-gap', '--report-dir', dir, '--quiet'], { demo: false }, { out: quiet, err: capture() });
    expect(quiet.text).toContain('[FAILED]');
    expect(quiet.text).not.toContain('loopback ipv4');

    const out = capture();
    const err = capture();
    await runCommand(['scenarios/ipv6-gap', '--report-dir', dir, '--json'], { demo: false }, { out, err });
    const doc = JSON.parse(out.text) as { version: number; scenarios: { name: string }[]; fwprobe: { version: string } };
    expect(doc.version).toBe(1);
    expect(doc.scenarios).toHaveLength(2);
    expect(out.text).toBe(await readFile(join(dir, 'results.json'), 'utf8'));
    expect(err.text).toContain('scans');
    expect(err.text).toContain('1 passed, 1 failed, 0 error');
  });

  it('--filter keeps the scenarios whose name or path holds the pattern', async () => {
    await runCommand(['scenarios/ipv6-gap', '--report-dir', dir, '--filter', 'close the gap'], { demo: false }, { out: capture(), err: capture() });
    expect(engine.ran.map((f) => f.split('/').at(-1))).toEqual(['v6-blocked.scenario.yaml']);
    engine.ran = [];
    await runCommand(['scenarios', '--report-dir', dir, '--filter', 'ipv6-gap/v4'], { demo: false }, { out: capture(), err: capture() });
    expect(engine.ran.map((f) => f.split('/').at(-1))).toEqual(['v4-only.scenario.yaml']);
  });

  it('refuses bad options before the engine starts: a report dir that is a file, a filter matching nothing, an unknown option', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const streams = { out: capture(), err: capture() };
    await expect(runCommand(['scenarios', '--report-dir', file], { demo: false }, streams)).rejects.toThrow(/--report-dir .*a-file is not a directory/);
    await expect(runCommand(['scenarios', '--report-dir', dir, '--filter', 'no such scenario'], { demo: false }, streams)).rejects.toThrow(/No scenario under scenarios has "no such scenario"/);
    await expect(runCommand(['scenarios', '--reprot-dir', dir], { demo: false }, streams)).rejects.toThrow(/Unknown option '--reprot-dir'/);
    expect(engine.prepared).toBe(0);
  });

  it("tells the demo's story from the results, and says where the HTML report is", async () => {
    const out = capture();
    await runCommand(['--report-dir', dir], { demo: true }, { out, err: capture() });
    const story = out.text.slice(out.text.indexOf('What this shows:'));
    expect(story).toContain('1. The v4-only host, from inside the host (loopback): tcp/53 and tcp/80 are open over IPv6 while IPv4 keeps them shut: the gap.');
    expect(story).toContain('3. The fix (ip6tables policies DROP) closes the gap');
    expect(story).toContain(`The full report (matrix, rulesets, nmap's XML): ${join(dir, 'index.html')}`);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('<!DOCTYPE html>');
  });
});

describe('colour', () => {
  it('only on a terminal; NO_COLOR turns it off, FORCE_COLOR decides when set', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('colours the status and the table on a terminal, and the live status line stays on stderr', async () => {
    const out = capture(true);
    const err = capture(true);
    await runCommand(['scenarios/ipv6-gap', '--report-dir', dir], { demo: false }, { out, err });
    expect(out.text).toContain('\u001b[31m[FAILED]\u001b[0m');
    expect(out.text).toContain('\u001b[1;31mOPEN ✗');
    expect(err.text).toMatch(/\r\u001b\[2Kfwprobe \d+\.\d s: 2\/2 done/);
    expect(err.text).not.toMatch(/\n/);
  });
});

describe('help', () => {
  it('every command answers --help with its own usage, exit 0, nothing run', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    for (const [command, text] of [
      ['run', 'fwprobe run [FILES|DIRS…] [options]'],
      ['demo', 'fwprobe demo [options]'],
      ['validate', 'fwprobe validate [FILES|DIRS…]'],
      ['generate', 'fwprobe generate [POLICY]'],
    ] as const) {
      write.mockClear();
      expect(await main([command, '--help'])).toBe(0);
      expect(write.mock.calls.map((c) => String(c[0])).join('')).toContain(text);
    }
    write.mockRestore();
    expect(engine.prepared).toBe(0);
  });
});
