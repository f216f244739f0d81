/**
 * The bridge from a scenario's `ruleset: { kind: 'generate' }` to the restore texts the lab applies.
 */
import { relative } from 'node:path';

import type { RulesetText } from '../model/ruleset.ts';
import type { LoadedFile } from '../model/scenario.ts';
import { generateRuleset as generate } from './index.ts';
import { parsePolicyYaml } from './policy-load.ts';

export interface GenerateSpec {
  policy: LoadedFile | null;
  preset: string | null;
  params: Record<string, string>;
}

/**
 * Generates both families from a scenario's policy file or preset.
 * @returns `v6: null` when the policy says `ipv6: ignore` or the preset has no IPv6 side (book-2007).
 * @throws PolicyError / PolicyFileError / PresetError on bad input.
 */
export function generateScenarioRules(spec: GenerateSpec): { v4: RulesetText; v6: RulesetText | null } {
  const policySource = spec.policy ? relative(process.cwd(), spec.policy.path) : undefined;
  // A scenario's policy is quoted nowhere: the scenario may come from anyone, and the file it names with it.
  const policy = spec.policy ? parsePolicyYaml(spec.policy.text, policySource ?? spec.policy.path, { quote: false }) : undefined;
  const out = generate({
    ...(policy ? { policy, source: `policy ${policySource}` } : {}),
    ...(spec.preset !== null ? { preset: spec.preset } : {}),
    params: spec.params,
  });
  const label = policySource ?? `preset ${spec.preset ?? ''}`;
  return {
    v4: { source: `${label} (generated rules.v4)`, text: out.v4 },
    v6: out.v6 === null ? null : { source: `${label} (generated rules.v6)`, text: out.v6 },
  };
}
