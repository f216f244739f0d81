/**
 * A scenario's ruleset, whatever its form (none, nftables file, ufw folder, restore files, generated, script, or several
 * of them as layers), applied to the target.
 */
import { relative } from 'node:path';
import type { AppliedRuleset, RulesetText } from '../model/ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import type { Tolerated } from '../model/ruleset.ts';
import type { LoadedFile, RulesetLayer, RulesetSpec } from '../model/scenario.ts';
import { applyNft } from './apply-nft.ts';
import { applyUfw } from './apply-ufw.ts';
import { applyRestore, savedRuleset } from './apply-ruleset.ts';
import { applyScript } from './apply-script.ts';
import type { Leftover } from './script-sidecar.ts';
import { generateScenarioRules } from '../ruleset/generate-entry.ts';

/**
 * Applies a scenario's ruleset, whatever its form, and returns what the kernel has afterwards. Layers are
 * applied one after the other in the order written, each checked just before it is applied (a later layer
 * may build on an earlier one, as on a host where Docker's rules are in place before nftables.conf loads);
 * a layer that fails ends the scenario in error, whatever the layers before it did.
 */
export async function applyScenarioRuleset(
  target: StartedFwprobeContainer,
  spec: RulesetSpec,
): Promise<{ saved: AppliedRuleset; tolerated: Tolerated[]; leftovers: Leftover[] }> {
  if (spec.kind === 'none') return { saved: await savedRuleset(target), tolerated: [], leftovers: [] };
  const layers = spec.kind === 'layers' ? spec.layers : [spec];
  const tolerated: Tolerated[] = [];
  const leftovers: Leftover[] = [];
  let saved: AppliedRuleset | null = null;
  for (const [index, layer] of layers.entries()) {
    const applied = await applyLayer(target, layer, index);
    saved = applied.saved;
    tolerated.push(...applied.tolerated);
    leftovers.push(...applied.leftovers);
  }
  // Only the restore forms read the tables back themselves; after any other last layer they are read here.
  return { saved: saved ?? (await savedRuleset(target)), tolerated, leftovers };
}

async function applyLayer(
  target: StartedFwprobeContainer,
  layer: RulesetLayer,
  index: number,
): Promise<{ saved: AppliedRuleset | null; tolerated: Tolerated[]; leftovers: Leftover[] }> {
  switch (layer.kind) {
    case 'nft':
      await applyNft(target, fromFile(layer.nft)!, index);
      return { saved: null, tolerated: [], leftovers: [] };
    case 'ufw':
      await applyUfw(target, layer);
      return { saved: null, tolerated: [], leftovers: [] };
    case 'restore':
      return { saved: await applyRestore(target, { v4: fromFile(layer.v4), v6: fromFile(layer.v6) }), tolerated: [], leftovers: [] };
    case 'generate':
      return { saved: await applyRestore(target, layer.generated ?? generateScenarioRules(layer)), tolerated: [], leftovers: [] };
    case 'script':
      return { saved: null, ...(await applyScript(target, layer.script, layer.tolerate, layer.leftoversAllowed)) };
  }
}

function fromFile(file: LoadedFile | null): RulesetText | null {
  return file ? { source: relative(process.cwd(), file.path), text: file.text } : null;
}
