/**
 * Shard outputs merged into one report: CI machines each run a slice of a suite (vitest `--shard`) and
 * write their own results.json; the merged results are rendered once, so junit.xml and summary.md are
 * rendered from the whole suite rather than stitched together.
 */
import { ResultsFileError } from '../model/errors.ts';
import type { ScenarioResult } from './result.ts';
import { scenarioKey, type ResultsInput } from './results-input.ts';
import { FWPROBE_VERSION } from '../model/version.ts';

/**
 * Every scenario of every shard.
 * @throws ResultsFileError when shards come from different fwprobe versions, or from another fwprobe than
 * this one (their results differ in shape) or one scenario is in two shards (which one would be the truth?).
 */
export function mergeShards(shards: readonly ResultsInput[]): ScenarioResult[] {
  const versions = [...new Set(shards.map((s) => s.fwprobe ?? '(unknown)'))];
  if (versions.length > 1) {
    const list = shards.map((s) => `${s.file}: ${s.fwprobe ?? '(unknown)'}`).join(', ');
    throw new ResultsFileError(`Shards written by different fwprobe versions cannot be merged (${list}). Run every shard with the same fwprobe.`);
  }
  // Only `diff`'s fields are checked on reading; the reports are rendered from the whole result, whose
  // shape is this fwprobe's. Shards from another fwprobe would be rendered half, or crash the renderers.
  const self = FWPROBE_VERSION;
  if (shards.length > 0 && versions[0] !== self) {
    throw new ResultsFileError(`The shards were written by fwprobe ${versions[0]}, this is fwprobe ${self}: merge them with the fwprobe that ran them.`);
  }
  const seen = new Map<string, string>();
  const merged: ScenarioResult[] = [];
  for (const shard of shards) {
    for (const result of shard.scenarios) {
      const key = scenarioKey(result);
      const first = seen.get(key);
      if (first !== undefined) {
        throw new ResultsFileError(
          `Scenario ${result.file} (${result.name}) is in two shards: ${first} and ${shard.file}. ` + 'Each shard must run a different slice (vitest --shard=i/n with the same n).',
        );
      }
      seen.set(key, shard.file);
      merged.push(result);
    }
  }
  return merged;
}
