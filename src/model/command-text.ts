/**
 * How a failed command reads in an error message (command, exit code, stderr, stdout, the way execa
 * prints it), and the hint fwprobe adds for iptables' legacy negation syntax. Kept apart from the error
 * classes so that model/errors/ stays a list of classes; reading a tool's own error text lives with the
 * tool (lab/tool-errors.ts).
 */
import { shellWord } from './shell-word.ts';

/** Formats a failed command the way execa does: command, exit code, then stderr and stdout. */
export function describeCommandFailure(command: readonly string[] | string, exitCode: number | null, stderr: string, stdout: string): string {
  const parts = [`Command failed with exit code ${exitCode ?? 'unknown'}: ${commandText(command)}`];
  if (stderr.trim()) parts.push(`stderr:\n${indent(stderr.trimEnd())}`);
  if (stdout.trim()) parts.push(`stdout:\n${indent(truncate(stdout.trimEnd(), 4000))}`);
  return parts.join('\n');
}

/** A command as one shell-readable line. */
export function commandText(command: readonly string[] | string): string {
  return typeof command === 'string' ? command : command.map(shellWord).join(' ');
}

/** Names the pre-1.6 negation syntax (`-i ! lo`) that modern iptables rejects, and gives the modern form. */
export function legacySyntaxHint(line: string | undefined): string {
  if (!line) return '';
  const match = /(-[a-z]|--[a-z-]+) ! (\S+)/.exec(line);
  if (!match) return '';
  return `This is the legacy negation syntax "${match[0]}", which iptables 1.8 rejects; ` + `the modern form is "! ${match[1]} ${match[2]}".\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}
