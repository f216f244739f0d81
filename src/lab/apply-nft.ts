/**
 * A native nftables file into the target's kernel: checked with `nft -c -f` (which asks the kernel too),
 * then applied with `nft -f`, one transaction. The file is copied under a fixed name and nft gets an argv
 * array, so nothing in the user's file name or text reaches a shell.
 */
import { NftApplyError } from '../model/errors.ts';
import { readNftError } from './tool-errors.ts';
import type { RulesetText } from '../model/ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { RULES_DIR } from './services.ts';

/** `nft -s list ruleset`: every table, stateless (no counters or quota use, which move with traffic). */
export const NFT_LIST = ['nft', '-s', 'list', 'ruleset'] as const;

/** `nft -j -s list ruleset`: the same, as JSON, which the applied-ruleset model reads structurally. */
export const NFT_JSON_LIST = ['nft', '-j', '-s', 'list', 'ruleset'] as const;

/**
 * Checks and applies one nftables file. `index` keeps the lab copies of several layers apart.
 * @throws NftApplyError naming the user's file, line and column, and nft's message.
 */
export async function applyNft(host: StartedFwprobeContainer, ruleset: RulesetText, index = 0): Promise<void> {
  const labPath = `${RULES_DIR}/layer-${index}.nft`;
  await host.copyContentToContainer([{ content: ruleset.text, target: labPath, mode: 0o600 }]);
  const results = await host.runBatch(
    [
      ['nft', '-c', '-f', labPath],
      ['nft', '-f', labPath],
    ],
    {
      stopOnFailure: true,
      phase: 'applying the nftables file',
    },
  );
  const failed = results.find((step) => step.exitCode !== 0);
  if (failed) throw new NftApplyError({ ...failed, ...readNftError(failed.stderr, labPath, ruleset.source), source: ruleset.source });
}
