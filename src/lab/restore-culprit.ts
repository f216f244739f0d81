/**
 * Finding the rule behind a restore error that names the COMMIT line, or no line. Some rules are refused
 * only by the kernel, when the table is committed: iptables-nft then reports an unknown target at the
 * COMMIT ("Chain 'X' does not exist … line: 9"), iptables-legacy reports a target or match the table or
 * chain does not allow the same way ("line 9 failed"), and `--test`, which commits nothing, accepts both.
 * Checked with iptables 1.8.9 on both backends. The rule is found by restoring the file with its rules cut
 * after rule 1, 2, …: the first cut that fails ends with the culprit.
 */
import { CommandFailedError } from '../model/errors.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { RULES_DIR } from './services.ts';

/** A line is a rule unless it is blank, a comment, a table (`*filter`), a chain (`:INPUT DROP [0:0]`) or COMMIT. */
function isRule(line: string): boolean {
  const text = line.trim();
  return text !== '' && !text.startsWith('#') && !text.startsWith('*') && !text.startsWith(':') && text !== 'COMMIT';
}

/** Whether the reported line needs a search: none at all, or a COMMIT (which is never the culprit itself). */
export function needsCulpritSearch(text: string, reportedLine: number | null): boolean {
  return reportedLine === null || text.split('\n')[reportedLine - 1]?.trim() === 'COMMIT';
}

/**
 * The cut files: for k = 0 … rules - 1, the file with every rule after the k-th blanked. Blank lines keep
 * the line numbers, so the k-th rule's `line` is its line in the original file. The whole file (k = rules)
 * is the one that failed, so it is not among them.
 */
export function cutFiles(text: string): { cuts: string[]; ruleLines: number[] } {
  const lines = text.split('\n');
  const ruleLines = lines.flatMap((line, i) => (isRule(line) ? [i + 1] : []));
  const cuts = ruleLines.map((_, k) => {
    const kept = new Set(ruleLines.slice(0, k));
    return lines.map((line, i) => (isRule(line) && !kept.has(i + 1) ? '' : line)).join('\n');
  });
  return { cuts, ruleLines };
}

/**
 * Restores the cut files one after another in one exec, stopping at the first that fails, and returns the
 * line of the rule that made it fail; null when even the file without rules fails (the culprit is not a
 * rule) or when there are no rules. `failedCommand` is the restore that failed: with `--test` the cuts are
 * only tested; without, they are applied, so the family's ruleset is saved first and restored after.
 * @throws CommandFailedError when the saved ruleset cannot be restored afterwards.
 */
export async function findCulpritLine(host: StartedFwprobeContainer, failedCommand: readonly string[], saveTool: string, text: string): Promise<number | null> {
  const { cuts, ruleLines } = cutFiles(text);
  if (ruleLines.length === 0) return null;
  const [tool, ...args] = failedCommand;
  if (tool === undefined) return null;
  const testOnly = args.includes('--test');
  const dir = `${RULES_DIR}/culprit`;
  const saved = `${dir}/saved`;
  await host.copyContentToContainer(cuts.map((content, k) => ({ content, target: `${dir}/cut-${k}`, mode: 0o600 })));
  // `"$0" > "$1"`: the save tool and the file travel as arguments, never as shell text.
  const save = testOnly ? [] : [['bash', '-c', '"$0" > "$1"', saveTool, saved]];
  const search = await host.runNamedBatch({ save, cuts: cuts.map((_, k) => [tool, ...(testOnly ? ['--test'] : []), `${dir}/cut-${k}`]) }, { stopOnFailure: true });
  // Without a saved copy nothing was cut (the batch stopped there), and there is nothing to restore.
  const saveFailed = search.failed?.name === 'save';
  const back = await host.runNamedBatch({ restore: testOnly || saveFailed ? [] : [[tool, saved]], remove: ['rm', '-rf', dir] }, { stopOnFailure: true });
  if (back.failed?.name === 'restore') {
    throw new CommandFailedError(back.failed.step, 'Restoring the ruleset saved before the search for the failing rule failed.');
  }
  if (saveFailed) return null;
  // Every cut applied: the last rule, the one only the whole file has, is the culprit.
  if (search.failed?.name !== 'cuts') return ruleLines.at(-1) ?? null;
  // Cut k holds rules 1 … k and failed where cut k - 1 did not: rule k is the culprit. Cut 0 failing
  // means the file fails without any rule.
  const failedAt = search.failed.index;
  return failedAt === 0 ? null : (ruleLines[failedAt - 1] ?? null);
}
