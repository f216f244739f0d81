/**
 * A native nftables file into the target's kernel: checked with `nft -c -f` (which asks the kernel too),
 * then applied with `nft -f`, one transaction. The file is copied under a fixed name and nft gets an argv
 * array, so nothing in the user's file name or text reaches a shell.
 */
import { CommandFailedError, NftApplyError } from '../model/errors.ts';
import { readNftError } from './tool-errors.ts';
import type { AppliedRuleset, RulesetText } from '../model/ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { RULES_DIR } from './services.ts';
import { stageOrCopy } from './stage.ts';
import { saveCommands, savedFrom } from './apply-ruleset.ts';

/**
 * Checks and applies one nftables file, and reads the tables back in the same exec. `index` keeps the lab
 * copies of several layers apart.
 * @throws NftApplyError naming the user's file, line and column, and nft's message.
 */
export async function applyNft(host: StartedFwprobeContainer, ruleset: RulesetText, index = 0): Promise<AppliedRuleset> {
  const labPath = `${RULES_DIR}/layer-${index}.nft`;
  const stage = await stageOrCopy(host, [{ content: ruleset.text, target: labPath, mode: 0o600 }]);
  const batch = await host.runNamedBatch(
    { stage, check: ['nft', '-c', '-f', labPath], apply: ['nft', '-f', labPath], ...saveCommands(host) },
    { stopOnFailure: true, phase: 'applying the nftables file' },
  );
  if (!batch.failed) return savedFrom(batch.steps);
  const { name, step } = batch.failed;
  // Only nft's own check and apply speak of the user's file; writing it and reading back are fwprobe's steps.
  if (name !== 'check' && name !== 'apply') throw new CommandFailedError(step);
  throw new NftApplyError({ ...step, ...readNftError(step.stderr, labPath, ruleset.source), source: ruleset.source });
}
