/**
 * The two form tables agree: every form kind has an input module and a lab module, each under its own key,
 * and every message that lists the forms lists each of them (ufw included).
 */
import { describe, expect, test } from 'vitest';
import { LAB_FORMS } from '../../lab/forms/index.ts';
import { normaliseScenario } from '../normalise.ts';
import { rulesetSchema } from '../schema.ts';
import { INPUT_FORMS, inputForms } from './index.ts';

async function messagesOf(ruleset: unknown): Promise<string[]> {
  const raw = { name: 't', services: ['22/tcp'], ruleset, expect: { exposed: ['22/tcp'] } };
  const error = await normaliseScenario(raw, { file: '/nowhere/t.scenario.yaml' }).then(
    () => null,
    (e: unknown) => e as { issues?: { message: string }[] },
  );
  return error?.issues?.map((i) => i.message) ?? [];
}

describe('the ruleset form tables', () => {
  test('every form kind is registered on both sides, under its own kind', () => {
    expect(Object.keys(LAB_FORMS).sort()).toEqual(Object.keys(INPUT_FORMS).sort());
    expect(Object.keys(INPUT_FORMS)).toEqual(expect.arrayContaining(['none', 'nft', 'ufw', 'restore', 'generate', 'script']));
    for (const [kind, form] of Object.entries(INPUT_FORMS)) expect(form.kind).toBe(kind);
    for (const [kind, form] of Object.entries(LAB_FORMS)) expect(form.kind).toBe(kind);
  });

  test('no two forms share a key', () => {
    const keys = inputForms.flatMap((f) => f.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('the error for a ruleset that names no form lists every form, ufw included', async () => {
    const [empty] = await messagesOf({});
    const [mixed] = await messagesOf({ v4: 'a', script: 'b' });
    const [params] = await messagesOf({ params: { a: 1 } });
    expect(params).toMatch(/found params without a preset or policy$/);
    for (const message of [empty, mixed, params]) {
      for (const form of inputForms) expect(message).toContain(form.label);
    }
    expect(empty).toContain('{ ufw }');
  });

  test('the error for a bad layer lists every form a layer may be, and not none', async () => {
    const [message] = await messagesOf([{ nft: 'a.nft' }, { v4: 'a', script: 'b' }]);
    for (const form of inputForms.filter((f) => f.layer)) expect(message).toContain(form.label);
    expect(message).not.toContain('none');
  });

  test('the schema description names every form', () => {
    for (const form of inputForms) expect(rulesetSchema.description).toContain(form.label);
  });
});
