/**
 * `defineScenario` for `.scenario.ts` files: typed input, checked like YAML when loaded.
 */
import type { ScenarioInput } from './schema.ts';

/**
 * Typed authoring for `*.scenario.ts` files: `export default defineScenario({ ... })`. It returns its
 * argument unchanged; the loader validates it with the same schema as YAML scenarios, and relative paths
 * in `ruleset` resolve against the module's own directory.
 */
export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input;
}
