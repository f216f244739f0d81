/**
 * The ruleset generator's entry point: a policy or a preset in, the IR and its three renderings out.
 */
import { generateFromPolicy } from './generate.ts';
import type { RulesetIR } from './ir.ts';
import type { Policy } from './policy.ts';
import { getPreset, listPresets, resolvePresetParams } from './presets/index.ts';
import { PresetError } from '../model/errors.ts';
import { renderRestore } from './render-restore.ts';
import { renderNft } from './render-nft.ts';
import { renderShell } from './render-shell.ts';

export { listPresets };

export interface GenerateInput {
  /** A validated policy (see `parsePolicy` / `loadPolicyFile`). Exactly one of `policy` and `preset`. */
  policy?: Policy;
  /** A preset name from `listPresets()`. */
  preset?: string;
  /** Preset parameters; only with `preset`. Unknown names are errors. */
  params?: Record<string, string>;
  /**
   * Names the input in output headers, e.g. the policy file's name.
   * @default 'policy' or 'preset NAME (params)'
   */
  source?: string;
}

export interface GeneratedRuleset {
  /** iptables-restore text. */
  v4: string;
  /** ip6tables-restore text, or `null` when IPv6 must be left untouched. */
  v6: string | null;
  /** POSIX sh script applying both families. */
  shell: string;
  /** One nftables file (`nft -f`): an inet table for both families, or an ip table with no IPv6 side. */
  nft: string;
  ir: RulesetIR;
}

export function generateRuleset(input: GenerateInput): GeneratedRuleset {
  return renderAll(buildIR(input));
}

export function buildIR(input: GenerateInput): RulesetIR {
  const params = input.params ?? {};
  if (input.policy && input.preset) throw new PresetError('Give either a policy or a preset, not both.');
  if (input.policy) {
    if (Object.keys(params).length > 0) throw new PresetError('Parameters only apply to presets; this input has a policy.', 'params');
    return generateFromPolicy(input.policy, input.source ?? 'policy');
  }
  if (!input.preset) throw new PresetError(`Give a policy or a preset. Valid presets: ${listPresets().join(', ')}.`);
  const preset = getPreset(input.preset);
  const resolved = resolvePresetParams(preset, params);
  const label = Object.entries(resolved)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return { source: input.source ?? `preset ${preset.name} (${label})`, ...preset.build(resolved) };
}

export function renderAll(ir: RulesetIR): GeneratedRuleset {
  return {
    v4: renderRestore(ir.v4, ir.source, 'ipv4'),
    v6: ir.v6 ? renderRestore(ir.v6, ir.source, 'ipv6') : null,
    shell: renderShell(ir),
    nft: renderNft(ir),
    ir,
  };
}
