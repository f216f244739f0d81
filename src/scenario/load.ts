/**
 * Loads one scenario file: `*.scenario.yaml` / `*.scenario.yml` (parsed with positions for error messages)
 * or `*.scenario.ts` (imported; its default export is the input).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';
import type { Scenario } from '../model/scenario.ts';
import { parseYamlWithPositions } from '../source/yaml.ts';

/** @throws ScenarioError for any problem with the file or its content. */
export async function loadScenario(file: string): Promise<Scenario> {
  const path = resolve(file);
  if (/\.ya?ml$/.test(path)) return loadYaml(path);
  if (/\.ts$/.test(path)) return loadModule(path);
  throw new ScenarioError('SCENARIO_UNSUPPORTED', path, [], {
    headline: `Not a scenario file: ${path}. Scenario files end in .scenario.yaml, .scenario.yml or .scenario.ts.`,
  });
}

async function loadYaml(path: string): Promise<Scenario> {
  const text = await readScenarioFile(path);
  const parsed = parseYamlWithPositions(text);
  if ('problems' in parsed) {
    throw new ScenarioError(
      'SCENARIO_YAML',
      path,
      parsed.problems.map((p) => ({ path: [], message: `YAML syntax error: ${p.message}`, line: p.line, column: p.column })),
      { headline: `Scenario ${path} is not valid YAML:` },
    );
  }
  return normaliseScenario(parsed.data, { file: path, locate: parsed.locate });
}

async function loadModule(path: string): Promise<Scenario> {
  await readScenarioFile(path);
  let mod: { default?: unknown };
  try {
    // tsImport loads the module as ESM whatever the nearest package.json says: a scenario folder outside a
    // `"type": "module"` package would otherwise be taken for CommonJS and fail to import.
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
  } catch (error) {
    throw new ScenarioError('SCENARIO_IMPORT', path, [], {
      cause: error,
      headline: `Scenario module ${path} failed to import: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const exported = unwrapDefault(mod);
  if (exported === undefined) {
    throw new ScenarioError('SCENARIO_IMPORT', path, [], {
      headline: `Scenario module ${path} has no default export: end it with \`export default defineScenario({ ... })\`.`,
    });
  }
  return normaliseScenario(exported, { file: path });
}

/** Outside a `"type": "module"` package the file is compiled to CommonJS: its ESM default is one level down. */
function unwrapDefault(mod: { default?: unknown }): unknown {
  const value = mod.default;
  if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true) {
    return (value as { default?: unknown }).default;
  }
  return value;
}

async function readScenarioFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ScenarioError('SCENARIO_NOT_FOUND', path, [], {
      cause: error,
      headline: `Cannot read scenario file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    });
  }
}
