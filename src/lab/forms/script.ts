/**
 * A user's script in the lab: run in a sidecar (see apply-script.ts). Which line added a rule is not
 * recorded, so its origin names the script, for both rule engines (a script may call iptables or nft).
 */
import { relative } from 'node:path';
import { applyScript } from '../apply-script.ts';
import type { LabForm } from './form.ts';

export const scriptLab: LabForm<'script'> = {
  kind: 'script',
  writes: ['iptables', 'nft'],
  async apply(target, form) {
    const { tolerated, leftovers } = await applyScript(target, form.script, form.tolerate, form.leftoversAllowed);
    return { saved: null, tolerated, leftovers };
  },
  origin: (form, asked) => ({
    file: relative(process.cwd(), form.script.path),
    origin: `${asked.rule ? 'added' : 'set'} by this script (which line is not recorded)`,
  }),
};
