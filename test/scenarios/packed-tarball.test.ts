/**
 * What a user gets from `npm install fwprobe`: the `npm pack` tarball holds what users need (bin, src,
 * containers/ for the image, the schema, the GitHub workflow example) and nothing of the test tree; installed into a fresh project
 * with a scenario and the two-line test file, its `npm test` is green, sharded runs merge into one
 * report, and a ruleset that opens a port the scenario says is closed makes `npm test` red.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let tmp: string;
let project: string;
let tarball: string;
let packed: string[];

/** The parent vitest's own variables would make the user's vitest think it runs inside a worker. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|FWPROBE_|GITHUB_STEP_SUMMARY$)/.test(k)));
  return { ...env, ...extra };
}

function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

const RULES = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`;

async function addScenario(name: string, scenario: string, files: Record<string, string>): Promise<void> {
  await mkdir(join(project, 'scenarios', name), { recursive: true });
  await writeFile(join(project, 'scenarios', name, `${name}.scenario.yaml`), scenario);
  for (const [file, text] of Object.entries(files)) await writeFile(join(project, 'scenarios', name, file), text);
  // vitest --shard splits by test file: one two-line test file per scenario folder.
  await writeFile(join(project, 'test', `${name}.test.ts`), `import { scenarioTests } from 'fwprobe/vitest';\nawait scenarioTests(['scenarios/${name}']);\n`);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fwprobe-packed-'));
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
  expect(pack.code, pack.out).toBe(0);
  const info = JSON.parse(pack.out.slice(pack.out.indexOf('['), pack.out.lastIndexOf(']') + 1)) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path);
  project = join(tmp, 'user-project');
  await mkdir(join(project, 'test'), { recursive: true });
  expect((await sh('npm', ['init', '-y'], project)).code).toBe(0);
  // `npm init -y` makes a CommonJS package: the README's config and test file must work there as they are.
  expect((await sh('npm', ['pkg', 'set', 'scripts.test=vitest run'], project)).code).toBe(0);
  const vitest = (JSON.parse(await readFile(join(ROOT, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version;
  const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `vitest@${vitest}`], project);
  expect(install.code, install.out).toBe(0);
  // The README's config, as shipped: no timeouts (the entry sets its own), and .mts for CommonJS packages.
  await copyFile(join(project, 'node_modules/fwprobe/examples/vitest.config.mts'), join(project, 'vitest.config.mts'));
  await addScenario(
    'ssh',
    'name: only ssh\nservices: [22/tcp, 80/tcp]\nruleset: { v4: rules.v4, v6: rules.v6 }\nvantages: [loopback]\n' + 'expect:\n  loopback:\n    both:\n      tcp: { open: [22], filtered: [80] }\n',
    { 'rules.v4': RULES, 'rules.v6': RULES },
  );
  await addScenario('open', 'name: nothing filtered\nservices: [8080/tcp]\nruleset: { none: true }\nvantages: [loopback]\n' + 'expect:\n  loopback:\n    both:\n      tcp: { open: [8080] }\n', {});
}, 300_000);

afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('the packed tarball in a fresh project', () => {
  it('holds bin, src, containers and the schema, and nothing of the test tree', () => {
    for (const file of [
      'package.json',
      'README.md',
      'bin/fwprobe.mjs',
      'src/vitest/index.ts',
      'src/report/vitest-reporter.ts',
      'src/cli/main.ts',
      'containers/target/Dockerfile',
      'containers/target/listener.pl',
      'schema/scenario.json',
      'scenarios/ipv6-gap/v4-only.scenario.yaml',
      // The workflow the README shows (test/unit/example-workflow.test.ts: the same text).
      'examples/github-workflow.yml',
      'examples/vitest.config.mts',
    ]) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => /^(test|bench|node_modules|reports)\/|\.test\.ts$|\.test-helpers\.ts$|^vitest\.config/.test(f))).toEqual([]);
    // Test support that lives in src/ is named *.test-helpers.ts; nothing shipped may read the test tree.
    expect(packed.filter((f) => f.startsWith('src/') && /['"`]test\/(fixtures|golden)/.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('npm test is green; sharded runs merge into one report', async () => {
    // The whole run and both shards at once: each in its own labs and its own report folder.
    const [green, ...shards] = await Promise.all([
      sh('npm', ['test'], project),
      ...['1/2', '2/2'].map((shard) => sh('npx', ['vitest', 'run', `--shard=${shard}`], project, { FWPROBE_REPORT_DIR: `reports/shard-${shard[0]}` })),
    ]);
    expect(green!.code, green!.out).toBe(0);
    const results = JSON.parse(await readFile(join(project, 'reports/results.json'), 'utf8')) as { summary: unknown };
    expect(results.summary).toEqual({ passed: 2, failed: 0, error: 0 });
    for (const run of shards) expect(run.code, run.out).toBe(0);
    const merge = await sh('npx', ['fwprobe', 'merge-reports', '--out', 'reports/merged', 'reports/shard-1', 'reports/shard-2'], project);
    expect(merge.code, merge.out).toBe(0);
    const merged = JSON.parse(await readFile(join(project, 'reports/merged/results.json'), 'utf8')) as { scenarios: { name: string }[] };
    expect(merged.scenarios.map((s) => s.name).sort()).toEqual(['nothing filtered', 'only ssh']);
    expect(await readFile(join(project, 'reports/merged/junit.xml'), 'utf8')).toMatch(/ssh\.scenario\.yaml[\s\S]*open\.scenario\.yaml|open\.scenario\.yaml[\s\S]*ssh\.scenario\.yaml/);
  });

  it('a ruleset that opens a port the scenario says is filtered: red, found by name, under 40 lines naming the port and the rule', async () => {
    const broken = RULES.replace('COMMIT', '-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT');
    await writeFile(join(project, 'scenarios/ssh/rules.v4'), broken);
    // One lab: the scenario's test file, and its tests by the scenario's `name`.
    const red = await sh('npx', ['vitest', 'run', 'test/ssh.test.ts', '-t', 'only ssh'], project);
    expect(red.code, red.out).not.toBe(0);
    // As a person reads it: colours (FORCE_COLOR may reach the child) left out.
    const out = red.out.replace(/\x1b\[[0-9;]*m/g, '').trim();
    expect(out.split('\n').length, out).toBeLessThan(40);
    expect(out).toContain('only ssh (scenarios/ssh/ssh.scenario.yaml) > loopback ipv4');
    // The port, the rule that opened it at its file:line (line 7 of rules.v4), and the frame at the scenario's line.
    expect(out).toMatch(/loopback ipv4 tcp\/80: expected filtered, observed open \(syn-ack\) — decided by iptables -A INPUT -p tcp -m tcp --dport 80 -j ACCEPT \[scenarios\/ssh\/rules\.v4:7\]/);
    expect(out).toMatch(/scenarios\/ssh\/ssh\.scenario\.yaml:8:\d+/);
    expect(out).toContain('tcp: { open: [22], filtered: [80] }');
    // IPv6 is still closed on 80: its slice passes, and nothing is said twice.
    expect(out.match(/tcp\/80: expected filtered/g)).toHaveLength(1);
    expect(out).not.toMatch(/node_modules\/fwprobe\/src|Hook timed out|SIGTERM|"mismatches"/);
  });
});
