/**
 * `ruleset: { preset, policy, params }`: rules fwprobe generates. The generator runs once, at load time, so
 * a bad preset, parameter or policy is a problem of this file with its field and line, and the lab applies
 * the texts generated here.
 */
import { z } from 'zod';
import { policyMistakeField } from '../../model/errors.ts';
import { generateScenarioRules } from '../../ruleset/generate-entry.ts';
import { relativePath } from './fields.ts';
import type { InputForm } from './form.ts';

type GeneratePlan = { kind: 'generate'; policy: string | null; preset: string | null; params: Record<string, string> };

export const generateForm = {
  kind: 'generate',
  keys: ['preset', 'policy', 'params'],
  label: '{ preset, policy, params }',
  layer: true,
  schema: z.strictObject({
    preset: z.string().min(1).optional().describe('A generator preset, e.g. book-2009.'),
    policy: relativePath.optional().describe('A generator policy file.'),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Parameters for the preset or policy, e.g. { int_net: 172.30.0.0/16 }.'),
  }),
  plan(input, at, issues, expected) {
    const { preset, policy, params } = input as { preset?: string; policy?: string; params?: Record<string, unknown> };
    if (preset === undefined && policy === undefined) {
      issues.add(at, expected('params without a preset or policy'));
      return null;
    }
    return {
      kind: 'generate',
      preset: preset ?? null,
      policy: policy ?? null,
      params: Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, String(v)])),
    };
  },
  async read(plan, _at, files) {
    return { kind: 'generate', policy: await files.load('policy', plan.policy), preset: plan.preset, params: plan.params };
  },
  finish(form, at) {
    try {
      return { form: { ...form, generated: generateScenarioRules(form) } };
    } catch (error) {
      // Only the user's own policy or preset mistake is this file's problem; a renderer bug is fwprobe's (INTERNAL).
      const field = policyMistakeField(error);
      if (field === null) throw error;
      const message = (error as Error).message;
      return { issues: [{ path: [...at, field], message }], cause: error };
    }
  },
} satisfies InputForm<'generate', GeneratePlan>;
