/**
 * The files a scenario names stay inside its folder (symlinks resolved) unless it opts in, are read within a
 * size limit, and never have their content quoted in a load error.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejection } from '../model/rejection.test-helpers.ts';
import { ScenarioError } from '../model/errors.ts';
import { loadScenario } from './load.ts';

const TAIL = 'parity: strict\nports: { tcp: [22] }\n';
const SECRET = 'root:$6$SECRETHASH:19000:0:99999:7:::';

/** A temporary tree: `files` maps relative paths to contents. Returns its root. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-refs-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

function loadError(file: string): Promise<ScenarioError> {
  return rejection(loadScenario(file), ScenarioError);
}

describe('ruleset, policy and script paths stay inside the scenario folder', () => {
  it('a path outside is SCENARIO_PATH_OUTSIDE naming the field, the resolved path and the option', async () => {
    const dir = await tree({
      'shared/rules.v4': '*filter\nCOMMIT\n',
      'a/s.scenario.yaml': `name: x\nruleset: { v4: ../shared/rules.v4 }\n${TAIL}`,
    });
    const error = await loadError(join(dir, 'a/s.scenario.yaml'));
    expect(error.code).toBe('SCENARIO_PATH_OUTSIDE');
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['ruleset.v4']);
    expect(error.message).toContain(`s.scenario.yaml:2:12: ruleset.v4: expected a path inside the scenario's folder ${join(dir, 'a')}`);
    expect(error.message).toContain(`which resolves to ${join(dir, 'shared/rules.v4')}`);
    expect(error.message).toContain('paths: { allowOutside: true }');
  });

  it('policy and script paths too, each named; a file outside is not even looked at', async () => {
    const dir = await tree({
      'a/p.scenario.yaml': `name: x\nruleset: { policy: ../../nowhere/policy.yaml }\n${TAIL}`,
      'a/s.scenario.yaml': `name: x\nruleset: { script: /etc/passwd }\n${TAIL}`,
    });
    const policy = await loadError(join(dir, 'a/p.scenario.yaml'));
    expect(policy.code).toBe('SCENARIO_PATH_OUTSIDE');
    expect(policy.message).toContain('ruleset.policy: expected a path inside');
    const script = await loadError(join(dir, 'a/s.scenario.yaml'));
    expect(script.code).toBe('SCENARIO_PATH_OUTSIDE');
    expect(script.message).toContain('ruleset.script: expected a path inside');
    expect(script.message).toContain('which resolves to /etc/passwd');
  });

  it('a symlink inside the folder that leads outside counts where it leads', async () => {
    const dir = await tree({ 'secret.txt': SECRET, 'a/s.scenario.yaml': `name: x\nruleset: { v4: rules.v4 }\n${TAIL}` });
    await symlink(join(dir, 'secret.txt'), join(dir, 'a/rules.v4'));
    const error = await loadError(join(dir, 'a/s.scenario.yaml'));
    expect(error.code).toBe('SCENARIO_PATH_OUTSIDE');
    expect(error.message).toContain(`which resolves to ${join(dir, 'secret.txt')} (through the symlink ${join(dir, 'a/rules.v4')})`);
  });

  it('`paths: { allowOutside: true }` lets a scenario share files with its neighbours', async () => {
    const dir = await tree({
      'shared/rules.v4': '*filter\nCOMMIT\n',
      'a/s.scenario.yaml': `name: x\npaths: { allowOutside: true }\nruleset: { v4: ../shared/rules.v4 }\n${TAIL}`,
    });
    const scenario = await loadScenario(join(dir, 'a/s.scenario.yaml'));
    expect(scenario.ruleset).toMatchObject({ kind: 'restore', v4: { path: join(dir, 'shared/rules.v4'), text: '*filter\nCOMMIT\n' } });
  });

  it('a symlinked scenario file finds its files beside its target (the real folder)', async () => {
    const dir = await tree({ 'real/rules.v4': '*filter\nCOMMIT\n', 'real/s.scenario.yaml': `name: x\nruleset: { v4: rules.v4 }\n${TAIL}` });
    await mkdir(join(dir, 'links'));
    await symlink(join(dir, 'real/s.scenario.yaml'), join(dir, 'links/s.scenario.yaml'));
    const scenario = await loadScenario(join(dir, 'links/s.scenario.yaml'));
    expect(scenario.ruleset).toMatchObject({ kind: 'restore', v4: { path: join(dir, 'real/rules.v4') } });
  });
});

describe('load errors never quote the content of a file the scenario names', () => {
  it.each([
    ['a shadow-like line', `${SECRET}\n`],
    ['two shadow-like lines (not YAML)', `${SECRET}\ndaemon:*:SECRET2:0\n`],
    ['YAML with secret values', 'api_key: SECRETVALUE\ninbound: SECRET2\nipv6: SECRET3\n'],
    ['a secret in a bad escape', 'x: "SECRET\\q"\n'],
  ])('a policy that is %s: field and line, no content', async (_, content) => {
    // Inside the folder, as a symlink to /etc/shadow with the opt-in would be: the rule is the same wherever it is.
    const dir = await tree({ shadow: content, 's.scenario.yaml': `name: x\nruleset: { policy: shadow }\n${TAIL}` });
    const error = await loadError(join(dir, 's.scenario.yaml'));
    expect(error.message).toContain('ruleset.policy');
    expect(error.message).not.toMatch(/SECRET|root:|daemon|api_key/);
  });
});

describe('size limits', () => {
  it('a ruleset file above 4 MiB is SCENARIO_TOO_LARGE naming the field, the file and the limit', async () => {
    const dir = await tree({
      'big.v4': '#'.repeat(4 * 1024 * 1024 + 1),
      's.scenario.yaml': `name: x\nruleset: { v4: big.v4 }\n${TAIL}`,
    });
    const error = await loadError(join(dir, 's.scenario.yaml'));
    expect(error.code).toBe('SCENARIO_TOO_LARGE');
    expect(error.message).toContain(`ruleset.v4: expected a file within the size limit, found ${join(dir, 'big.v4')}, which is 4194305 bytes, above the 4194304-byte limit`);
  });

  it('a FIFO named as a script is an error, not a load that waits forever', async () => {
    const dir = await tree({ 's.scenario.yaml': `name: x\nruleset: { script: fw.sh }\n${TAIL}` });
    execFileSync('mkfifo', [join(dir, 'fw.sh')]);
    const error = await loadError(join(dir, 's.scenario.yaml'));
    expect(error.code).toBe('SCENARIO_FILE_MISSING');
    expect(error.message).toContain('ruleset.script: expected a readable ruleset file, found not a regular file');
  }, 2000);

  it('a scenario file above 1 MiB is SCENARIO_TOO_LARGE naming the file', async () => {
    const padding = `# ${'x'.repeat(100)}\n`.repeat(11_000);
    const dir = await tree({ 's.scenario.yaml': `name: x\nruleset: { none: true }\n${TAIL}${padding}` });
    const error = await loadError(join(dir, 's.scenario.yaml'));
    expect(error.code).toBe('SCENARIO_TOO_LARGE');
    expect(error.message).toContain(`Scenario file ${join(dir, 's.scenario.yaml')} is 1.1 MiB, above the 1 MiB limit`);
  });
});
