/**
 * `ruleset: { ufw, defaults }`: a ufw rules folder as /etc/ufw holds it, and optionally /etc/default/ufw.
 * Only ufw's own file names are read from the folder, each through the same path and size rules as any
 * other file the scenario names.
 */
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { relativePath } from './fields.ts';
import type { InputForm } from './form.ts';

/** What fwprobe copies from a ufw folder into the target's /etc/ufw; anything else there is not ufw's. */
export const UFW_FILES = ['before.rules', 'before6.rules', 'user.rules', 'user6.rules', 'after.rules', 'after6.rules', 'ufw.conf', 'sysctl.conf'] as const;

export const ufwForm = {
  kind: 'ufw',
  keys: ['ufw', 'defaults'],
  label: '{ ufw }',
  layer: true,
  schema: z.strictObject({
    ufw: relativePath.describe('A ufw rules folder, as /etc/ufw holds it (before.rules, user.rules, after.rules, their 6 twins, ufw.conf, sysctl.conf), applied by ufw itself.'),
    defaults: relativePath.optional().describe("The host's /etc/default/ufw (IPV6=, DEFAULT_*_POLICY=). Default: ufw's own."),
  }),
  plan: (input) => ({ kind: 'ufw', dir: input['ufw'] as string, defaults: (input['defaults'] as string | undefined) ?? null }),
  async read(plan, at, files) {
    const present = await ufwFilesIn(files.folder, plan.dir);
    if (present === null) {
      files.problem({ code: 'SCENARIO_FILE_MISSING', path: [...at, 'ufw'], message: `expected a folder of ufw rules files at ${plan.dir}, found none: ${UFW_FILES.join(', ')}` });
      return null;
    }
    const read = await Promise.all(present.map(async (name) => ({ name, file: await files.load('ufw', `${plan.dir}/${name}`) })));
    const defaults = await files.load('defaults', plan.defaults);
    const loaded = read.flatMap(({ name, file }) => (file ? [{ name, file }] : []));
    if (loaded.length < read.length || (plan.defaults !== null && defaults === null)) return null;
    return { kind: 'ufw', dir: plan.dir, files: loaded, defaults };
  },
} satisfies InputForm<'ufw', { kind: 'ufw'; dir: string; defaults: string | null }>;

/** The ufw files the folder has (the rest keep ufw's own), or null when it has none or is no folder. */
async function ufwFilesIn(folder: string, dir: string): Promise<string[] | null> {
  const names = await readdir(resolve(folder, dir)).catch(() => null);
  const present = (names ?? []).filter((n) => (UFW_FILES as readonly string[]).includes(n));
  return present.some((n) => n.endsWith('.rules')) ? present.sort() : null;
}
