/**
 * Loads one scenario file: `*.scenario.yaml` / `*.scenario.yml` (parsed with positions for error messages)
 * or `*.scenario.ts` (imported; its default export is the input).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';
import type { Scenario } from '../model/scenario.ts';
import { MAX_SCENARIO_FILE_BYTES, readTextFile } from '../source/read-file.ts';
import { describeYamlProblem, parseYamlWithPositions } from '../source/yaml.ts';

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
      parsed.problems.map((p) => ({ path: [], message: describeYamlProblem(p), line: p.line, column: p.column })),
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

/** The scenario file's text, at most 1 MiB: a scenario is a short description, and YAML is parsed whole. */
async function readScenarioFile(path: string): Promise<string> {
  const read = await readTextFile(path, MAX_SCENARIO_FILE_BYTES);
  if ('text' in read) return read.text;
  const { problem } = read;
  if (problem.kind === 'too-large') {
    throw new ScenarioError('SCENARIO_TOO_LARGE', path, [], {
      headline:
        `Scenario file ${path} is ${problem.reason} for a scenario file: a scenario describes services and ` +
        'expectations; write long port lists as ranges ("1000-2000"), or split it into several scenarios.',
    });
  }
  const code = problem.kind === 'missing' ? 'SCENARIO_NOT_FOUND' : 'SCENARIO_UNSUPPORTED';
  throw new ScenarioError(code, path, [], { headline: `Cannot read scenario file ${path}: ${problem.reason}.` });
}
