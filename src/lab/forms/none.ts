/** `{ none: true }` in the lab: nothing applied, and no rule the kernel holds came from the user. */
import type { LabForm } from './form.ts';
import { clean } from './form.ts';

export const noneLab: LabForm<'none'> = {
  kind: 'none',
  writes: [],
  apply: async () => clean(),
  origin: () => null,
};
