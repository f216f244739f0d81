/** Regenerates schema/scenario.json: `node --import tsx src/scenario/write-json-schema.ts`. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchemaText } from './json-schema.ts';

const target = fileURLToPath(new URL(`../../${SCENARIO_JSON_SCHEMA_PATH}`, import.meta.url));
await writeFile(target, scenarioJsonSchemaText());
console.log(`wrote ${target}`);
