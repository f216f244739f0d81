/**
 * fwprobe's public API for `*.scenario.ts` files: `import { defineScenario } from 'fwprobe'`. The module
 * is TypeScript and is loaded through tsx, as fwprobe loads every scenario module.
 */
export { defineScenario } from './scenario/define.ts';
export type { ScenarioInput } from './scenario/schema.ts';
