/**
 * What `fwprobe` prints is escaped: a path, a scenario name or a script line holding terminal controls
 * reaches the terminal as visible text, never as an instruction to it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureOutput } from './capture.test-helpers.ts';
import { emptyResult, type ScenarioResult } from '../report/result.ts';
import { runGenerate } from './generate.ts';
import { formatResult, inFileOrder, main, runCli } from './main.ts';

const output = captureOutput();

const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminal controls are printed escaped', () => {
  it('in an error naming a path given on the command line', async () => {
    await runCli(['run', '/nonexistent/\u001b[2J\u001b[32mall passed']);
    expect(process.exitCode).toBe(2);
    expect(output.err).toContain('No such scenario file or directory: /nonexistent/\\x1b[2J\\x1b[32mall passed');
    expect(output.err).not.toMatch(CONTROLS);
  });

  it('in `fwprobe generate` errors', async () => {
    expect(await runGenerate(['/nonexistent/\u009b2Jpolicy.yaml', '--out', '/tmp/fwprobe-never'])).toBe(2);
    expect(output.err).toContain('/nonexistent/\\x9b2Jpolicy.yaml');
    expect(output.err).not.toMatch(CONTROLS);
  });

  it('in a result: name, file, error and tolerated lines', () => {
    const result: ScenarioResult = {
      ...emptyResult('evil\u001b[1A\u001b[2K[PASSED] name', 'dir/\u001b[31mx.scenario.yaml'),
      status: 'error',
      error: 'line one\nline two \u001b[0m\r',
      errorCode: 'SCENARIO_INVALID',
      tolerated: [{ line: 3, command: 'modprobe \u001b[8mhidden', exitCode: 1, why: 'no\u0007modules' }],
    };
    const text = formatResult(result, { table: false });
    expect(text).not.toMatch(CONTROLS);
    expect(text).toContain('[ERROR] evil\\x1b[1A\\x1b[2K[PASSED] name (dir/\\x1b[31mx.scenario.yaml, 0.0 s)');
    expect(text).toContain('line one\n  line two \\x1b[0m\\r');
    expect(text).toContain('tolerated: line 3: `modprobe \\x1b[8mhidden` exited 1 (no\\x07modules)');
  });
});

describe('help and version', () => {
  it('`run --help` and `demo --help` print the usage and exit 0 without running anything', async () => {
    for (const command of ['run', 'demo']) {
      output.out = '';
      expect(await main([command, '--help'])).toBe(0);
      expect(output.out).toContain(`Usage: fwprobe ${command} `);
    }
  });

  it('`--version` prints the package version', async () => {
    expect(await main(['--version'])).toBe(0);
    expect(output.out).toMatch(/^fwprobe \d+\.\d+\.\d+\n$/);
  });
});

describe('inFileOrder', () => {
  it('prints results in the order of their files, whatever order they end in', () => {
    const printed: string[] = [];
    const onResult = inFileOrder((r) => printed.push(r.name));
    for (const i of [2, 0, 3, 1]) onResult({ ...emptyResult(`s${i}`, `f${i}`) }, i);
    expect(printed).toEqual(['s0', 's1', 's2', 's3']);
  });
});

describe('validate', () => {
  // No engine answers here (a unit test never touches Docker): the syntax check says it is skipped.
  beforeAll(() => vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/fwprobe-unit/docker.sock'));
  afterAll(() => vi.unstubAllEnvs());

  it('loads the library without Docker: every file valid, the syntax check named as skipped, exit 0', async () => {
    expect(await main(['validate', 'scenarios'])).toBe(0);
    expect(output.out).toMatch(/\nskipped: ruleset syntax \(nft -c -f, iptables-restore --test, bash -n\): No Docker engine answers/);
    expect(output.out).toMatch(/\n\d+ valid, 0 invalid\n$/);
  });

  it('names each invalid file with its line and field, exit 2', async () => {
    expect(await main(['validate', 'test/fixtures/attacks/yaml-bomb', 'test/fixtures/attacks/path-escape/deep.scenario.yaml'])).toBe(2);
    expect(output.out).toContain('invalid  test/fixtures/attacks/yaml-bomb/bomb.scenario.yaml');
    expect(output.out).toMatch(/deep\.scenario\.yaml:\d+:\d+: ruleset\.v4: /);
    expect(output.out).toContain('0 valid, 2 invalid');
  });
});
