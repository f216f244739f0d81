/**
 * The gate commands that need no Docker: `diff` of two results files, `merge-reports` of shard outputs,
 * `check` refusing to run without a readable baseline, and the ruleset flags of `compare`. Bad input must
 * end in exit 2 with the file and the field named, never in 0.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../model/observation.ts';
import { emptyResult, type ScenarioResult } from '../report/result.ts';
import { gapResult } from '../report/fixtures.test-helpers.ts';
import { buildResultsDocument, writeResults } from '../report/results-json.ts';
import { captureOutput } from './capture.test-helpers.ts';
import { runCli } from './main.ts';
import { flagFormsText, parseRulesetFlag } from './ruleset-flag.ts';
import { inputForms } from '../scenario/forms/index.ts';

const output = captureOutput();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fwprobe-gate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const obs = (port: number, state: Observation['state'], vantage = 'peer'): Observation => ({
  vantage: vantage as Observation['vantage'],
  family: 'ipv6',
  protocol: 'tcp',
  port,
  state,
  reason: 'test',
});
const result = (name: string, observations: Observation[], more: Partial<ScenarioResult> = {}): ScenarioResult => ({
  ...emptyResult(name, `scenarios/${name}.scenario.yaml`),
  status: 'passed',
  observations,
  ...more,
});

async function resultsFile(name: string, results: ScenarioResult[], edit: (doc: Record<string, unknown>) => void = () => {}): Promise<string> {
  const doc = buildResultsDocument(results) as unknown as Record<string, unknown>;
  edit(doc);
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(doc));
  return file;
}

async function cli(args: string[]): Promise<number> {
  await runCli(args);
  return Number(process.exitCode);
}

describe('fwprobe diff', () => {
  it('exit 0 and nothing listed when the exposure is the same (filtered ↔ unreachable: blocked either way)', async () => {
    const a = await resultsFile('same-a.json', [result('web', [obs(22, 'open'), obs(80, 'filtered')])]);
    const b = await resultsFile('same-b.json', [result('web', [obs(22, 'open'), obs(80, 'unreachable')])]);
    expect(await cli(['diff', a, b])).toBe(0);
    expect(output.out).toBe('\n0 changed, 1 same, 0 error\n');
  });

  it('exit 1 and exactly the changed port, from any vantage name', async () => {
    const a = await resultsFile('a.json', [result('web', [obs(22, 'open', 'branch-office'), obs(80, 'filtered', 'branch-office')])]);
    const b = await resultsFile('b.json', [result('web', [obs(22, 'open', 'branch-office'), obs(80, 'open', 'branch-office')])]);
    expect(await cli(['diff', a, b])).toBe(1);
    expect(output.out).toBe('changed  scenarios/web.scenario.yaml (web)\n  branch-office ipv6 tcp/80: blocked → open (more access)\n\n1 changed, 0 same, 0 error\n');
  });

  it('files from different fwprobe versions are compared, and the difference said', async () => {
    const a = await resultsFile('v-a.json', [result('web', [obs(22, 'open')])], (d) => {
      d['fwprobe'] = '0.0.9';
    });
    const b = await resultsFile('v-b.json', [result('web', [obs(22, 'open')])], (d) => {
      delete d['fwprobe'];
    });
    expect(await cli(['diff', a, b])).toBe(0);
    expect(output.out).toMatch(/^note: .*v-a\.json was written by fwprobe 0\.0\.9, .*v-b\.json by \(unknown\)\n/);
  });

  it('a scenario that ended in error on one side is exit 2, never 0', async () => {
    const a = await resultsFile('e-a.json', [result('web', [obs(22, 'open')])]);
    const b = await resultsFile('e-b.json', [result('web', [], { status: 'error', errorCode: 'TIMEOUT', error: 'scan took too long' })]);
    expect(await cli(['diff', a, b])).toBe(2);
    expect(output.out).toContain('error    scenarios/web.scenario.yaml (web): ended in error in B, cannot compare\n  TIMEOUT: scan took too long');
  });

  it('a scenario on one side only is a change', async () => {
    const a = await resultsFile('o-a.json', [result('web', [obs(22, 'open')]), result('db', [])]);
    const b = await resultsFile('o-b.json', [result('web', [obs(22, 'open')])]);
    expect(await cli(['diff', a, b])).toBe(1);
    expect(output.out).toContain('changed  scenarios/db.scenario.yaml (db): only in A');
  });

  it.each([
    [
      'another results version',
      (d: Record<string, unknown>) => {
        d['version'] = 2;
      },
      /bad\.json is not a results\.json fwprobe can read:\n {2}version: expected 1/,
    ],
    [
      'a bad port',
      (d: Record<string, unknown>) => {
        (d['scenarios'] as { observations: { port: number }[] }[])[0]!.observations[0]!.port = 70000;
      },
      /scenarios\[0\]\.observations\[0\]\.port: /,
    ],
    [
      'a missing field',
      (d: Record<string, unknown>) => {
        delete (d['scenarios'] as Record<string, unknown>[])[0]!['others'];
      },
      /scenarios\[0\]\.others: /,
    ],
  ])('%s is exit 2 naming the file and the field', async (_what, edit, message) => {
    const good = await resultsFile('good.json', [result('web', [obs(22, 'open')])]);
    const bad = await resultsFile('bad.json', [result('web', [obs(22, 'open')])], edit);
    expect(await cli(['diff', good, bad])).toBe(2);
    expect(output.err).toMatch(message);
  });

  it('not JSON, no such file, or the wrong number of arguments: exit 2', async () => {
    const text = join(dir, 'not.json');
    await writeFile(text, 'version: 1\n');
    expect(await cli(['diff', text, text])).toBe(2);
    expect(output.err).toMatch(/not\.json is not valid JSON/);
    expect(await cli(['diff', text, join(dir, 'none.json')])).toBe(2);
    expect(output.err).toMatch(/No such results file: .*none\.json/);
    expect(await cli(['diff', text])).toBe(2);
    expect(output.err).toContain('takes exactly two results.json files');
  });
});

describe('fwprobe merge-reports', () => {
  it('merges two shard outputs into one results.json, junit.xml and summary.md', async () => {
    await writeResults(join(dir, 'shard-1'), [result('web', [obs(22, 'open')])]);
    await writeResults(join(dir, 'shard-2'), [result('db', [obs(5432, 'filtered')], { status: 'failed' })]);
    expect(await cli(['merge-reports', '--out', join(dir, 'merged'), join(dir, 'shard-1'), join(dir, 'shard-2')])).toBe(0);
    expect(output.out).toContain('merged 2 shard(s): 2 scenario(s), 1 passed, 1 failed, 0 error');
    const merged = JSON.parse(await readFile(join(dir, 'merged', 'results.json'), 'utf8')) as { summary: unknown; scenarios: { name: string }[] };
    expect(merged.summary).toEqual({ passed: 1, failed: 1, error: 0 });
    expect(merged.scenarios.map((s) => s.name)).toEqual(['db', 'web']);
    const junit = await readFile(join(dir, 'merged', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="scenarios\/db\.scenario\.yaml"/);
    expect(junit).toMatch(/<testsuite name="scenarios\/web\.scenario\.yaml"/);
    expect(await readFile(join(dir, 'merged', 'summary.md'), 'utf8')).toMatch(/db[\s\S]*web|web[\s\S]*db/);
  });

  it('a scenario in two shards, a shard without results, or shards of two versions: exit 2', async () => {
    await writeResults(join(dir, 'shard-3'), [result('web', [obs(22, 'open')])]);
    expect(await cli(['merge-reports', '--out', join(dir, 'm2'), join(dir, 'shard-1'), join(dir, 'shard-3')])).toBe(2);
    expect(output.err).toMatch(/Scenario scenarios\/web\.scenario\.yaml \(web\) is in two shards: .*shard-1\/results\.json and .*shard-3\/results\.json/);
    await mkdir(join(dir, 'empty'), { recursive: true });
    expect(await cli(['merge-reports', '--out', join(dir, 'm2'), join(dir, 'empty')])).toBe(2);
    expect(output.err).toMatch(/No results\.json in shard folder .*empty/);
    const old = await resultsFile('old.json', [result('db', [])], (d) => {
      d['fwprobe'] = '0.0.1';
    });
    await mkdir(join(dir, 'shard-old'), { recursive: true });
    await copyFile(old, join(dir, 'shard-old', 'results.json'));
    expect(await cli(['merge-reports', '--out', join(dir, 'm2'), join(dir, 'shard-1'), join(dir, 'shard-old')])).toBe(2);
    expect(output.err).toContain('different fwprobe versions');
  });
});

describe('fwprobe merge-reports renders only what it can trust', () => {
  it('shards that agree with each other but come from another fwprobe: exit 2, nothing half-rendered', async () => {
    for (const n of [1, 2]) {
      const file = await resultsFile(`other-${n}.json`, [result(`s${n}`, [])], (d) => {
        d['fwprobe'] = { version: '0.0.1' };
      });
      await mkdir(join(dir, `shard-other-${n}`), { recursive: true });
      await copyFile(file, join(dir, `shard-other-${n}`, 'results.json'));
    }
    const out = join(dir, 'm-other');
    expect(await cli(['merge-reports', '--out', out, join(dir, 'shard-other-1'), join(dir, 'shard-other-2')])).toBe(2);
    expect(output.err).toMatch(/written by fwprobe 0\.0\.1, this is fwprobe /);
  });

  it('a results.json that passes the reading check but lacks what a report needs: exit 2, no report file written', async () => {
    const file = await resultsFile('thin.json', [result('thin', [])], (d) => {
      // junit.xml and summary.md render without it; index.html needs it. (`mismatches` would not do: the
      // renderers render from `verdict`, never from the texts and copies results.json carries for scripts.)
      for (const s of d['scenarios'] as Record<string, unknown>[]) delete s['staticParity'];
    });
    await mkdir(join(dir, 'shard-thin'), { recursive: true });
    await copyFile(file, join(dir, 'shard-thin', 'results.json'));
    const out = join(dir, 'm-thin');
    expect(await cli(['merge-reports', '--out', out, join(dir, 'shard-thin')])).toBe(2);
    // Rendered first, written after: no junit.xml or summary.md from this merge beside nothing else.
    await expect(readFile(join(out, 'junit.xml'), 'utf8')).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(out, 'summary.md'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it("markup in fields the reading check does not type (lines, a scan's ms) is text in index.html, and SARIF lines stay ≥ 1", async () => {
    const meta = "<meta http-equiv=refresh content='0;url=https://example.invalid/'>";
    const file = await resultsFile('tampered.json', [gapResult()], (d) => {
      for (const s of d['scenarios'] as Record<string, unknown>[]) {
        s['lines'] = { name: meta, ruleset: 0, expect: '3' };
        for (const scan of s['scans'] as Record<string, unknown>[]) scan['ms'] = '<img src=https://example.invalid/x>';
      }
    });
    await mkdir(join(dir, 'shard-tampered'), { recursive: true });
    await copyFile(file, join(dir, 'shard-tampered', 'results.json'));
    const out = join(dir, 'm-tampered');
    expect(await cli(['merge-reports', '--out', out, join(dir, 'shard-tampered')])).toBe(0);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).not.toContain('<meta http-equiv=refresh');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;meta http-equiv=refresh');
    const sarif = JSON.parse(await readFile(join(out, 'fwprobe.sarif'), 'utf8')) as { runs: { results: { locations: { physicalLocation: { region: { startLine: unknown } } }[] }[] }[] };
    const lines = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toBe(1);
  });
});

describe('fwprobe check without a usable baseline (found before any container starts)', () => {
  const scenario = 'name: web\nservices: [22/tcp]\nruleset: { none: true }\nvantages: [loopback]\nexpect: { loopback: { both: { tcp: { open: [22] } } } }\n';

  it('a missing baseline is exit 2 naming the file and saying to run fwprobe baseline (quoted for the shell)', async () => {
    const folder = join(dir, "it's $(x) here");
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'web.scenario.yaml'), scenario);
    expect(await cli(['check', folder])).toBe(2);
    expect(output.err).toMatch(/No baseline for .*web\.scenario\.yaml: expected .*web\.baseline\.json\. Write it with `fwprobe baseline '.*it'\\''s \$\(x\) here\/web\.scenario\.yaml'`/);
  });

  it('a hand-edited baseline with bad content is exit 2 naming the field', async () => {
    const folder = join(dir, 'edited');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'web.scenario.yaml'), scenario);
    await writeFile(
      join(folder, 'web.baseline.json'),
      JSON.stringify({
        format: 2,
        fwprobe: '0.1.0',
        scenario: 'web',
        rulesets: `sha256:${'0'.repeat(64)}`,
        exposure: [{ vantage: 'loopback', host: 'target', family: 'ipv5', protocol: 'tcp', open: '22', admitted: '', blocked: '' }],
      }),
    );
    expect(await cli(['check', folder])).toBe(2);
    expect(output.err).toMatch(/web\.baseline\.json is not a valid fwprobe baseline \(format 2\):\n {2}exposure\[0\]\.family: /);
  });
});

describe('baseline, check and compare check --report-dir before any container starts (as run does)', () => {
  const scenario = 'name: web\nservices: [22/tcp]\nruleset: { none: true }\nvantages: [loopback]\nexpect: { loopback: { both: { tcp: { open: [22] } } } }\n';
  const baseline = JSON.stringify({ format: 1, fwprobe: '0.1.0', scenario: 'web', rulesets: `sha256:${'0'.repeat(64)}`, exposure: [] });
  // No engine answers here: a command that went on to start a lab would fail for that reason instead.
  const dockerHost = process.env['DOCKER_HOST'];
  beforeAll(() => {
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/fwprobe-no-engine.sock';
  });
  afterAll(() => {
    if (dockerHost === undefined) delete process.env['DOCKER_HOST'];
    else process.env['DOCKER_HOST'] = dockerHost;
  });

  it.each([
    ['baseline', (folder: string, reports: string) => ['baseline', folder, '--report-dir', reports]],
    ['check', (folder: string, reports: string) => ['check', folder, '--report-dir', reports]],
    ['compare', (_folder: string, reports: string) => ['compare', '--a', 'none', '--b', 'none', '--report-dir', reports]],
  ])('%s --report-dir FILE: exit 2 naming the option, the engine never asked', async (command, argv) => {
    const folder = join(dir, `report-dir-${command}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'web.scenario.yaml'), scenario);
    await writeFile(join(folder, 'web.baseline.json'), baseline);
    const file = join(folder, 'not-a-folder');
    await writeFile(file, '');
    expect(await cli(argv(folder, file))).toBe(2);
    expect(output.err).toMatch(/--report-dir .*not-a-folder is not a directory/);
    expect(output.err).not.toMatch(/Docker|engine/i);
  });
});

describe('compare: ruleset flags', () => {
  it.each([
    ['v4=a.v4,v6=b.v6', { v4: 'a.v4', v6: 'b.v6' }],
    ['v4=only.v4', { v4: 'only.v4' }],
    ['script=fw.sh', { script: 'fw.sh' }],
    ['policy=p.yaml', { policy: 'p.yaml' }],
    ['preset=book-2009,param.int_net=10.0.0.0/8', { preset: 'book-2009', params: { int_net: '10.0.0.0/8' } }],
    ['none', { none: true }],
    ['nft=rules.nft', { nft: 'rules.nft' }],
    ['ufw=etc-ufw,defaults=default-ufw', { ufw: 'etc-ufw', defaults: 'default-ufw' }],
  ])('%s', (text, expected) => {
    expect(parseRulesetFlag('--a', text)).toEqual(expected);
  });

  it.each([
    ['tolerate=x', /--a "tolerate=x": unknown key "tolerate"/],
    ['defaults=default-ufw', /defaults do not make \{ ufw \}: ufw: /],
    ['v4=a,param.x=1', /v4 with param\.\* do not make one form/],
    ['v4=a,script=b', /v4 and script do not make one form/],
    ['v4=a,v4=b', /v4 is given twice/],
    ['rules.v4', /"rules.v4" is not KEY=VALUE/],
    ['', /"" is not KEY=VALUE/],
  ])('%s is a usage error listing the forms', (text, message) => {
    expect(() => parseRulesetFlag('--a', text)).toThrow(message);
    expect(() => parseRulesetFlag('--a', text)).toThrow(/Expected none \| nft=… \| ufw=…\[,defaults=…\] \| v4=…,v6=… \| preset=…,policy=…\[,param\.KEY=VALUE…\] \| script=…/);
  });

  it('lists every form of the form table, each by the key that names it', () => {
    const alternatives = flagFormsText().split(' | ');
    expect(alternatives).toHaveLength(inputForms.length);
    inputForms.forEach((form, i) => expect(alternatives[i]?.startsWith(form.keys[0] ?? '?')).toBe(true));
  });
});
