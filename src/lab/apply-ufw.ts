/**
 * A ufw rules folder into the target, applied by ufw itself: the files go where a host keeps them
 * (/etc/ufw, /etc/default/ufw) and `ufw --force enable` builds its chains and loads them, so what is
 * tested is what ufw does with the user's files, IPV6=no and all. ufw gets an argv array; file names are
 * ufw's own fixed ones, never the user's.
 */
import { dirname, relative } from 'node:path';
import { UfwApplyError } from '../model/errors.ts';
import type { LoadedFile } from '../model/scenario.ts';
import type { StartedFwprobeContainer } from './container.ts';

export async function applyUfw(host: StartedFwprobeContainer, layer: { dir: string; files: readonly { name: string; file: LoadedFile }[]; defaults: LoadedFile | null }): Promise<void> {
  const copies = layer.files.map(({ name, file }) => ({ content: file.text, target: `/etc/ufw/${name}`, mode: 0o640 }));
  if (layer.defaults) copies.push({ content: layer.defaults.text, target: '/etc/default/ufw', mode: 0o644 });
  await host.copyContentToContainer(copies);
  const result = await host.run(['ufw', '--force', 'enable'], { phase: 'applying the ufw rules' });
  // ufw says "Firewall is active" only when both families loaded; anything else is a failure to apply.
  if (result.exitCode !== 0 || !/Firewall is active/.test(result.stdout)) {
    const source = layer.files[0] ? relative(process.cwd(), dirname(layer.files[0].file.path)) : layer.dir;
    throw new UfwApplyError({ command: ['ufw', '--force', 'enable'], ...result, source });
  }
}
