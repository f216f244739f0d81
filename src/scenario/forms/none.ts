/** `ruleset: { none: true }`: nothing applied, both families keep ACCEPT policies. */
import { z } from 'zod';
import type { InputForm } from './form.ts';

export const noneForm = {
  kind: 'none',
  keys: ['none'],
  label: '{ none: true }',
  layer: false,
  schema: z.strictObject({ none: z.literal(true).describe('Apply nothing: both families keep ACCEPT policies.') }),
  plan: () => ({ kind: 'none' }),
  read: async () => ({ kind: 'none' }),
} satisfies InputForm<'none'>;
