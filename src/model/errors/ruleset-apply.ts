/**
 * A ruleset that did not apply in the lab, one class per way: restore files, ufw, nft, a script. Each names
 * the user's file and line. The tools' own error text is read where the tools run (lab/tool-errors.ts):
 * these classes take the line and column already read.
 */
import { legacySyntaxHint } from '../command-text.ts';
import type { Family } from '../observation.ts';
import { coded, type ErrorOptions } from './base.ts';
import { CommandFailedError, type CommandOutcome } from './command.ts';

/**
 * A restore file did not apply: names the family, the file, the offending line and the tool's stderr.
 * `toolLine` is the line the tool's stderr named; `line`, when given, overrides it (the rule found behind a
 * COMMIT).
 */
export class RulesetApplyError extends CommandFailedError<'RULESET_APPLY_FAILED'> {
  static override readonly code = 'RULESET_APPLY_FAILED';
  readonly family: Family;
  readonly line: number | null;
  /** The line the tool's stderr named, when `line` differs from it. */
  readonly reportedLine: number | null;

  constructor(details: CommandOutcome & { family: Family; source: string; text: string; toolLine: number | null; line?: number | null }, options?: ErrorOptions) {
    const reported = details.toolLine;
    const line = details.line !== undefined ? details.line : reported;
    const lines = details.text.split('\n');
    const lineText = line === null ? undefined : lines[line - 1];
    const where = line === null ? `${details.source} (the tool did not say which line)` : `${details.source}:${line}: ${lineText ?? '(beyond the end of the file)'}`;
    const found =
      line === null || line === reported
        ? ''
        : `(The tool named ${reported === null ? 'no line' : `line ${reported}: ${lines[reported - 1]?.trim() ?? '?'}`}; applying the rules one at a time found this one.)\n`;
    super(details, `The ${details.family} ruleset did not apply: ${where}\n${found}${legacySyntaxHint(lineText)}`.trimEnd(), {
      ...options,
      footer: 'Nothing of this ruleset was applied (restore files apply atomically). Fix the line and run again.',
    });
    this.family = details.family;
    this.line = line;
    this.reportedLine = line === reported ? null : reported;
  }
}

/** `ufw --force enable` refused the user's rules folder; ufw restores each family in one go, or not at all. */
export class UfwApplyError extends CommandFailedError<'RULESET_APPLY_FAILED'> {
  static override readonly code = 'RULESET_APPLY_FAILED';

  constructor(details: CommandOutcome & { source: string }, options?: ErrorOptions) {
    super(details, `ufw did not apply the rules in ${details.source}`, {
      ...options,
      footer:
        'ufw loads each rules file with iptables-restore; the line numbers in its message count within the file it names ' +
        '(before.rules, user.rules, … in that folder). Fix the file and run again.',
    });
  }
}

/** Where nft's first error points in the user's file, as lab/tool-errors.ts reads it from nft's stderr. */
export interface NftErrorAt {
  line: number;
  column: number;
  message: string;
}

/**
 * An nftables file did not apply (`nft -c -f` refused it, or `nft -f` did): names the user's file, line and
 * column and nft's message. `stderr` is nft's, with the lab's copy of the file already named as the user's.
 */
export class NftApplyError extends CommandFailedError<'RULESET_APPLY_FAILED'> {
  static override readonly code = 'RULESET_APPLY_FAILED';
  readonly line: number | null;
  readonly column: number | null;

  constructor(details: CommandOutcome & { source: string; at: NftErrorAt | null }, options?: ErrorOptions) {
    const { at } = details;
    const where = at ? `${details.source}:${at.line}:${at.column}: Error: ${at.message}` : `${details.source} (nft did not say which line)`;
    super(details, `The nftables file did not apply: ${where}`, {
      ...options,
      footer: 'nft checks the whole file (nft -c -f) before applying it in one transaction: nothing of this file was ' + 'applied. Fix the line and run again.',
    });
    this.line = at?.line ?? null;
    this.column = at?.column ?? null;
  }
}

/** A user's firewall script failed as a whole (its exit code, or processes it left that could not be killed). */
export class ScriptFailedError extends coded('RULESET_SCRIPT_FAILED') {}

/** A script left processes running when it ended; they were killed, and would go on acting on a real host. */
export class ScriptLeftoversError extends coded('RULESET_SCRIPT_LEFTOVERS') {}

/** A line of a user's firewall script failed and no `tolerate` entry covers it. */
export class ScriptLineError extends ScriptFailedError {
  readonly line: number;
  readonly exitCode: number;
  readonly stderr: string;

  constructor(details: { file: string; line: number; command: string; exitCode: number; stderr: string }) {
    super(
      `${details.file}:${details.line}: \`${details.command}\` failed with exit code ${details.exitCode}.\n` +
        `${legacySyntaxHint(details.command)}` +
        (details.stderr.trim() ? `stderr:\n  ${details.stderr.trim().split('\n').join('\n  ')}\n` : '') +
        'The script stopped there (set -e semantics): later lines were not applied. Fix the line, or, if the ' +
        'failure is harmless in a container (modprobe, /proc/sys writes), add it to `ruleset.tolerate` with a `why`.',
    );
    this.line = details.line;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}
