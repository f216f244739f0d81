/**
 * A scenario's ruleset, whatever its form (or several of them as layers), applied to the target through
 * the lab's form table (forms/index.ts).
 */
import type { AppliedRuleset, Tolerated } from '../model/ruleset.ts';
import type { RulesetSpec } from '../model/scenario.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { savedRuleset } from './apply-ruleset.ts';
import { formsOf, labFormOf } from './forms/index.ts';
import type { Leftover } from './script-sidecar.ts';

/**
 * Applies a scenario's ruleset, whatever its form, and returns what the kernel has afterwards. Layers are
 * applied one after the other in the order written, each checked just before it is applied (a later layer
 * may build on an earlier one, as on a host where Docker's rules are in place before nftables.conf loads);
 * a layer that fails ends the scenario in error, whatever the layers before it did.
 */
export async function applyScenarioRuleset(target: StartedFwprobeContainer, spec: RulesetSpec): Promise<{ saved: AppliedRuleset; tolerated: Tolerated[]; leftovers: Leftover[] }> {
  const tolerated: Tolerated[] = [];
  const leftovers: Leftover[] = [];
  let saved: AppliedRuleset | null = null;
  for (const [index, form] of formsOf(spec).entries()) {
    const applied = await labFormOf(form).apply(target, form, index);
    saved = applied.saved;
    tolerated.push(...applied.tolerated);
    leftovers.push(...applied.leftovers);
  }
  // Only the restore forms read the tables back themselves; after any other last form they are read here.
  return { saved: saved ?? (await savedRuleset(target)), tolerated, leftovers };
}
