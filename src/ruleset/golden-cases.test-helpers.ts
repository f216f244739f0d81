/**
 * Test support: every ruleset the generator's tests exercise (both presets, every fixture policy), so the
 * golden test and the Docker restore test cover the same set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateRuleset, listPresets, type GeneratedRuleset } from './index.ts';
import { parsePolicyYaml } from './policy-load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const POLICY_FIXTURES = join(ROOT, 'test/fixtures/policies');
export const GOLDEN_DIR = join(ROOT, 'test/golden/ruleset');

export interface GoldenCase {
  /** File stem under test/golden/ruleset/. */
  name: string;
  generate: () => GeneratedRuleset;
}

export function goldenCases(): GoldenCase[] {
  const presets = listPresets().map((preset) => ({
    name: `preset-${preset}`,
    generate: () => generateRuleset({ preset }),
  }));
  const policies = readdirSync(POLICY_FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({
      name: `policy-${basename(file, '.yaml')}`,
      generate: () => {
        const policy = parsePolicyYaml(readFileSync(join(POLICY_FIXTURES, file), 'utf8'), file);
        return generateRuleset({ policy, source: `policy ${file}` });
      },
    }));
  return [...presets, ...policies];
}
