/** The ufw form: the folder's ufw files are read at load time, through the same path and size rules. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.ts';

async function scenarioWith(ruleset: string, files: Record<string, string>): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'fwprobe-ufw-')), 'scenario');
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const file = join(dir, 't.scenario.yaml');
  await writeFile(file, `name: t\nservices: [22/tcp]\nruleset: ${ruleset}\nexpect: { exposed: [22/tcp] }\n`);
  return file;
}

describe('ruleset { ufw }', () => {
  it('reads the ufw files of the folder (and only those) and the defaults file', async () => {
    const s = await loadScenario('scenarios/ufw/allow-ssh-dns.scenario.yaml');
    expect(s.ruleset.kind).toBe('ufw');
    if (s.ruleset.kind !== 'ufw') return;
    expect(s.ruleset.files.map((f) => f.name)).toEqual(['after.rules', 'after6.rules', 'before.rules', 'before6.rules', 'user.rules', 'user6.rules']);
    expect(s.ruleset.defaults?.text).toMatch(/^IPV6=yes$/m);
  });

  it('a folder without any rules file is a load error naming the field', async () => {
    const file = await scenarioWith('{ ufw: etc-ufw }', { 'etc-ufw/notes.txt': 'x' });
    await expect(loadScenario(file)).rejects.toThrow(/ruleset\.ufw: expected a folder of ufw rules files at etc-ufw/);
  });

  it('a folder outside the scenario folder is refused like any other path', async () => {
    const file = await scenarioWith('{ ufw: ../elsewhere }', {});
    const elsewhere = join(file, '..', '..', 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(join(elsewhere, 'user.rules'), '*filter\nCOMMIT\n');
    await expect(loadScenario(file)).rejects.toMatchObject({ code: 'SCENARIO_PATH_OUTSIDE' });
  });
});
