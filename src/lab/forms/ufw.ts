/** A ufw folder in the lab: applied by ufw itself (see apply-ufw.ts); a rule's line found in ufw's rules files. */
import { applyUfw } from '../apply-ufw.ts';
import { clean, type LabForm } from './form.ts';
import { ufwOrigin } from './ufw-origin.ts';

export const ufwLab: LabForm<'ufw'> = {
  kind: 'ufw',
  writes: ['iptables'],
  async apply(target, form) {
    await applyUfw(target, form);
    return clean();
  },
  origin: ufwOrigin,
};
