import { describeCommandFailure, FwprobeError } from '../errors.ts';
import type { Family } from '../model.ts';

/**
 * A ruleset did not apply. The message names the family, the file, the offending line (from the tool's
 * "Error occurred at line: N" / "line N failed") and the tool's stderr.
 */
export class RulesetApplyError extends FwprobeError {
  readonly family: Family;
  readonly line: number | null;

  constructor(
    details: {
      family: Family;
      source: string;
      text: string;
      command: string[];
      exitCode: number;
      stderr: string;
      stdout: string;
    },
    options?: { cause?: unknown },
  ) {
    const line = offendingLine(details.stderr);
    const lineText = line === null ? undefined : details.text.split('\n')[line - 1];
    const where =
      line === null
        ? `${details.source} (the tool did not say which line)`
        : `${details.source}:${line}: ${lineText ?? '(beyond the end of the file)'}`;
    super(
      'RULESET_APPLY_FAILED',
      `The ${details.family} ruleset did not apply: ${where}\n` +
        `${legacySyntaxHint(lineText)}` +
        describeCommandFailure(details.command, details.exitCode, details.stderr, details.stdout) +
        '\nNothing of this ruleset was applied (restore files apply atomically). Fix the line and run again.',
      options,
    );
    this.family = details.family;
    this.line = line;
  }
}

/** iptables-restore says "Error occurred at line: 2"; the nft variant also says "line 2 failed". */
export function offendingLine(stderr: string): number | null {
  const match = /Error occurred at line: (\d+)/.exec(stderr) ?? /line (\d+) failed/.exec(stderr);
  return match?.[1] ? Number(match[1]) : null;
}

/** Names the pre-1.6 negation syntax (`-i ! lo`) that modern iptables rejects, and gives the modern form. */
export function legacySyntaxHint(line: string | undefined): string {
  if (!line) return '';
  const match = /(-[a-z]|--[a-z-]+) ! (\S+)/.exec(line);
  if (!match) return '';
  return (
    `This is the legacy negation syntax "${match[0]}", which iptables 1.8 rejects; ` +
    `the modern form is "! ${match[1]} ${match[2]}".\n`
  );
}
