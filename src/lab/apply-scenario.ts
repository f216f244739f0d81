/**
 * A scenario's ruleset, whatever its form (none, restore files, generated, script), applied to the target.
 */
import { relative } from 'node:path';
import type { AppliedRuleset, RulesetText } from '../model/ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import type { Tolerated } from '../model/ruleset.ts';
import type { LoadedFile, RulesetSpec } from '../model/scenario.ts';
import { applyRestore, savedRuleset } from './apply-ruleset.ts';
import { applyScript } from './apply-script.ts';
import type { Leftover } from './script-sidecar.ts';
import { generateRuleset } from '../ruleset/generate-entry.ts';

/** Applies a scenario's ruleset, whatever its form, and returns what the kernel has afterwards. */
export async function applyScenarioRuleset(
  target: StartedFwprobeContainer,
  spec: RulesetSpec,
): Promise<{ saved: AppliedRuleset; tolerated: Tolerated[]; leftovers: Leftover[] }> {
  switch (spec.kind) {
    case 'none':
      return { saved: await savedRuleset(target), tolerated: [], leftovers: [] };
    case 'restore':
      return {
        saved: await applyRestore(target, { v4: fromFile(spec.v4), v6: fromFile(spec.v6) }),
        tolerated: [],
        leftovers: [],
      };
    case 'generate': {
      const generated = spec.generated ?? generateRuleset(spec);
      return { saved: await applyRestore(target, generated), tolerated: [], leftovers: [] };
    }
    case 'script': {
      const { tolerated, leftovers } = await applyScript(target, spec.script, spec.tolerate, spec.leftoversAllowed);
      return { saved: await savedRuleset(target), tolerated, leftovers };
    }
  }
}

function fromFile(file: LoadedFile | null): RulesetText | null {
  return file ? { source: relative(process.cwd(), file.path), text: file.text } : null;
}
