/**
 * Discovery through symlinks: a linked scenario or folder is found, and a link that cannot be followed is an
 * error naming it, never a silent skip.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejection } from '../model/rejection.test-helpers.ts';
import { ScenarioError } from '../model/errors.ts';
import { discoverScenarioFiles } from './discover.ts';

async function tree(files: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-links-'));
  for (const file of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), '');
  }
  return dir;
}

function discoveryError(paths: string[]): Promise<ScenarioError> {
  return rejection(discoverScenarioFiles(paths), ScenarioError);
}

describe('discoverScenarioFiles: symlinks', () => {
  it('follows a symlinked scenario file and a symlinked folder', async () => {
    const dir = await tree(['scan/own.scenario.yaml', 'shared/one.scenario.yaml', 'shared/deep/two.scenario.yml', 'elsewhere/three.scenario.ts']);
    await symlink(join(dir, 'shared'), join(dir, 'scan/linked-folder'));
    await symlink(join(dir, 'elsewhere/three.scenario.ts'), join(dir, 'scan/linked.scenario.ts'));
    expect(await discoverScenarioFiles([join(dir, 'scan')])).toEqual(
      ['linked-folder/deep/two.scenario.yml', 'linked-folder/one.scenario.yaml', 'linked.scenario.ts', 'own.scenario.yaml'].map((f) => join(dir, 'scan', f)),
    );
  });

  it('lists one real file once, under the name that sorts first', async () => {
    const dir = await tree(['b.scenario.yaml']);
    await symlink(join(dir, 'b.scenario.yaml'), join(dir, 'a.scenario.yaml'));
    expect(await discoverScenarioFiles([dir, join(dir, 'b.scenario.yaml')])).toEqual([join(dir, 'a.scenario.yaml')]);
  });

  it('a broken symlink in a scanned folder is SCENARIO_BROKEN_LINK naming the link and its target', async () => {
    const dir = await tree(['ok.scenario.yaml']);
    await symlink(join(dir, 'gone.scenario.yaml'), join(dir, 'dangling.scenario.yaml'));
    const error = await discoveryError([dir]);
    expect(error.code).toBe('SCENARIO_BROKEN_LINK');
    expect(error.file).toBe(join(dir, 'dangling.scenario.yaml'));
    expect(error.message).toContain(`${join(dir, 'dangling.scenario.yaml')} -> ${join(dir, 'gone.scenario.yaml')} points at nothing`);
  });

  it('a broken symlink given explicitly is SCENARIO_BROKEN_LINK, not "no such file"', async () => {
    const dir = await tree([]);
    await symlink(join(dir, 'gone.scenario.yaml'), join(dir, 'given.scenario.yaml'));
    const error = await discoveryError([join(dir, 'given.scenario.yaml')]);
    expect(error.code).toBe('SCENARIO_BROKEN_LINK');
    expect(error.message).toContain(join(dir, 'given.scenario.yaml'));
  });

  it('a folder link back to an ancestor is SCENARIO_LINK_LOOP naming the link', async () => {
    const dir = await tree(['a/x.scenario.yaml']);
    await symlink(dir, join(dir, 'a/up'));
    const error = await discoveryError([dir]);
    expect(error.code).toBe('SCENARIO_LINK_LOOP');
    expect(error.file).toBe(join(dir, 'a/up'));
    expect(error.message).toContain(`${join(dir, 'a/up')} -> ${dir} leads back into ${dir}`);
  });

  it('a loop through another linked folder is found too', async () => {
    const dir = await tree(['root/r.scenario.yaml', 'other/o.scenario.yaml']);
    await symlink(join(dir, 'other'), join(dir, 'root/to-other'));
    await symlink(join(dir, 'root'), join(dir, 'other/to-root'));
    const error = await discoveryError([join(dir, 'root')]);
    expect(error.code).toBe('SCENARIO_LINK_LOOP');
    expect(error.file).toBe(join(dir, 'root/to-other/to-root'));
  });

  it('a chain of links that never ends (a -> b -> a) is SCENARIO_LINK_LOOP, given or met', async () => {
    const dir = await tree([]);
    await symlink(join(dir, 'b.scenario.yaml'), join(dir, 'a.scenario.yaml'));
    await symlink(join(dir, 'a.scenario.yaml'), join(dir, 'b.scenario.yaml'));
    expect((await discoveryError([dir])).code).toBe('SCENARIO_LINK_LOOP');
    expect((await discoveryError([join(dir, 'a.scenario.yaml')])).code).toBe('SCENARIO_LINK_LOOP');
  });

  it('two links to one folder walk it once (no loop, no duplicates)', async () => {
    const dir = await tree(['shared/s.scenario.yaml', 'scan/keep']);
    await symlink(join(dir, 'shared'), join(dir, 'scan/one'));
    await symlink(join(dir, 'shared'), join(dir, 'scan/two'));
    expect(await discoverScenarioFiles([join(dir, 'scan')])).toEqual([join(dir, 'scan/one/s.scenario.yaml')]);
  });
});
