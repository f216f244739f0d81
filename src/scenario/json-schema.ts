/**
 * schema/scenario.json, generated from the zod schema so editors and the loader agree.
 */
import { z } from 'zod';
import { scenarioInputSchema } from './schema.ts';

/** Where the generated schema is checked in, relative to the repository root. */
export const SCENARIO_JSON_SCHEMA_PATH = 'schema/scenario.json';

/**
 * The JSON Schema of scenario files, for editors (`# yaml-language-server: $schema=../schema/scenario.json`).
 * Cross-field rules (duplicates, conflicting lists) are only checked by the loader.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioInputSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'fwprobe scenario',
  };
}

/** The file content: stable formatting with a trailing newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
