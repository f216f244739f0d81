/** `ruleset: { v4, v6 }`: iptables-save / ip6tables-save files; a missing side applies nothing for that family. */
import { z } from 'zod';
import { relativePath } from './fields.ts';
import type { InputForm } from './form.ts';

export const restoreForm = {
  kind: 'restore',
  keys: ['v4', 'v6'],
  label: '{ v4, v6 }',
  layer: true,
  schema: z.strictObject({
    v4: relativePath.optional().describe('iptables-save format file for IPv4.'),
    v6: relativePath.optional().describe('ip6tables-save format file for IPv6.'),
  }),
  plan: (input) => ({ kind: 'restore', v4: (input['v4'] as string | undefined) ?? null, v6: (input['v6'] as string | undefined) ?? null }),
  async read(plan, _at, files) {
    const [v4, v6] = await Promise.all([files.load('v4', plan.v4), files.load('v6', plan.v6)]);
    return { kind: 'restore', v4, v6 };
  },
} satisfies InputForm<'restore', { kind: 'restore'; v4: string | null; v6: string | null }>;
