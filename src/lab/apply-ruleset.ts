/**
 * Restore files into the target's kernel, both families checked with `--test` before either is applied,
 * and the live ruleset read back as the backend's `*-save` prints it.
 */
import { CommandFailedError, RulesetApplyError } from '../model/errors.ts';
import { offendingLine } from './tool-errors.ts';
import type { Family } from '../model/observation.ts';
import type { AppliedRuleset, Backend, RulesetText } from '../model/ruleset.ts';
import type { StepResult } from './batch.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { NFT_JSON_LIST, NFT_LIST } from './nft-list.ts';
import { stageOrCopy } from './stage.ts';
import { findCulpritLine, needsCulpritSearch } from './restore-culprit.ts';
import { RULES_DIR } from './services.ts';

export const TOOLS: Record<Backend, Record<Family, { restore: string; save: string; cli: string }>> = {
  nft: {
    ipv4: { restore: 'iptables-restore', save: 'iptables-save', cli: 'iptables' },
    ipv6: { restore: 'ip6tables-restore', save: 'ip6tables-save', cli: 'ip6tables' },
  },
  legacy: {
    ipv4: { restore: 'iptables-legacy-restore', save: 'iptables-legacy-save', cli: 'iptables-legacy' },
    ipv6: { restore: 'ip6tables-legacy-restore', save: 'ip6tables-legacy-save', cli: 'ip6tables-legacy' },
  },
};

/**
 * Applies a v4 and a v6 ruleset in restore format. Both are checked with `--test` before either is
 * applied, so a bad line leaves the firewall as it was. `null` for a family leaves it untouched (all
 * ACCEPT), which is how a v4-only firewall looks. A failure that names the COMMIT line, or no line, is
 * traced to the rule that caused it (restore-culprit.ts) before the RulesetApplyError is thrown.
 */
export async function applyRestore(host: StartedFwprobeContainer, rules: { v4: RulesetText | null; v6: RulesetText | null }): Promise<AppliedRuleset> {
  const staged = (['ipv4', 'ipv6'] as const).flatMap((family) => {
    const ruleset = family === 'ipv4' ? rules.v4 : rules.v6;
    return ruleset ? [{ family, ruleset, file: `${RULES_DIR}/rules.${family === 'ipv4' ? 'v4' : 'v6'}` }] : [];
  });
  const stage = await stageOrCopy(
    host,
    staged.map(({ ruleset, file }) => ({ content: ruleset.text, target: file, mode: 0o600 })),
  );
  const tools = TOOLS[host.backend];
  const batch = await host.runNamedBatch(
    {
      stage,
      test: staged.map(({ family, file }) => [tools[family].restore, '--test', file]),
      apply: staged.map(({ family, file }) => [tools[family].restore, file]),
      ...saveCommands(host),
    },
    { stopOnFailure: true },
  );
  if (batch.failed) {
    const { name, index, step: failed } = batch.failed;
    const entry = name === 'test' || name === 'apply' ? staged[index] : undefined;
    if (!entry) throw new CommandFailedError(failed);
    const { text, source } = entry.ruleset;
    const reported = offendingLine(failed.stderr);
    const line = needsCulpritSearch(text, reported) ? ((await findCulpritLine(host, failed.command, tools[entry.family].save, text)) ?? reported) : reported;
    throw new RulesetApplyError({ family: entry.family, source, text, line, toolLine: reported, ...failed });
  }
  return savedFrom(batch.steps);
}

/** The live ruleset of both families, as the backend's `*-save` prints it, and every table as nft lists it. */
export async function savedRuleset(host: StartedFwprobeContainer): Promise<AppliedRuleset> {
  return savedFrom(await host.runNamedBatch(saveCommands(host), { stopOnFailure: false }));
}

/** The steps `savedRuleset` runs, by name, for a caller that adds them to a batch of its own. */
export function saveCommands(host: StartedFwprobeContainer): { save4: string[]; save6: string[]; nftList: string[]; nftJson: string[] } {
  const tools = TOOLS[host.backend];
  return { save4: [tools.ipv4.save], save6: [tools.ipv6.save], nftList: [...NFT_LIST], nftJson: [...NFT_JSON_LIST] };
}

/** The ruleset from the steps of a batch that included `saveCommands`. */
export function savedFrom(steps: { save4: StepResult; save6: StepResult; nftList: StepResult; nftJson: StepResult }): AppliedRuleset {
  const { save4, save6, nftList, nftJson } = steps;
  for (const step of [save4, save6, nftList, nftJson]) {
    if (step.exitCode !== 0) throw new CommandFailedError(step);
  }
  return { v4: stripSaveComments(save4.stdout), v6: stripSaveComments(save6.stdout), nft: nftList.stdout, nftJson: nftJson.stdout };
}

/**
 * `*-save` prints dates and counters in comments; they would make saved rulesets differ run to run. Its
 * "Table `filter' is incompatible" notes stay: they say that a native nft table of that name is not shown.
 */
function stripSaveComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#') || line.startsWith('# Table `'))
    .join('\n');
}
