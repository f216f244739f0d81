/**
 * `ruleset: { script, tolerate, leftovers }`: a user's shell script, run with `sh -e` semantics in a
 * sidecar; known-harmless failures and processes it may leave running need a reason each.
 */
import { z } from 'zod';
import type { ToleranceSpec } from '../../model/scenario.ts';
import { list } from '../schema-fields.ts';
import { reasonSchema, relativePath } from './fields.ts';
import type { InputForm } from './form.ts';

const toleranceSchema = z.strictObject({
  match: z.string().min(1).describe('A substring or /regex/ matched against the failing command.'),
  why: reasonSchema('this failure is harmless'),
});

type ScriptPlan = { kind: 'script'; script: string; tolerate: ToleranceSpec[]; leftoversAllowed: string | null };

export const scriptForm = {
  kind: 'script',
  keys: ['script', 'tolerate', 'leftovers'],
  label: '{ script, tolerate }',
  layer: true,
  schema: z.strictObject({
    script: relativePath.describe("A shell script run with sh -e semantics in a sidecar sharing the target's network namespace."),
    tolerate: list(toleranceSchema).optional().describe('Known-harmless failures; always reported.'),
    leftovers: z
      .strictObject({ allow: z.literal(true), why: reasonSchema('processes the script leaves running may be killed') })
      .optional()
      .describe('Processes the script leaves running are killed before the scans; without this they make the scenario an error.'),
  }),
  plan(input) {
    const { script, tolerate, leftovers } = input as { script: string; tolerate?: ToleranceSpec[]; leftovers?: { why: string } };
    return { kind: 'script', script, tolerate: (tolerate ?? []).map((t) => ({ ...t })), leftoversAllowed: leftovers?.why ?? null };
  },
  async read(plan, _at, files) {
    const script = await files.load('script', plan.script);
    return script ? { kind: 'script', script, tolerate: plan.tolerate, leftoversAllowed: plan.leftoversAllowed } : null;
  },
} satisfies InputForm<'script', ScriptPlan>;
