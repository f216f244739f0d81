/**
 * Every error fwprobe raises on purpose carries a stable `code` (for scripts and tests) and a message that
 * says what went wrong and what to do about it. The underlying error, if any, is kept as `cause`.
 */
export class FwprobeError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Formats a failed command the way execa does: command, exit code, then stderr and stdout. */
export function describeCommandFailure(
  command: readonly string[] | string,
  exitCode: number | null,
  stderr: string,
  stdout: string,
): string {
  const cmd = typeof command === 'string' ? command : command.map(quoteArg).join(' ');
  const parts = [`Command failed with exit code ${exitCode ?? 'unknown'}: ${cmd}`];
  if (stderr.trim()) parts.push(`stderr:\n${indent(stderr.trimEnd())}`);
  if (stdout.trim()) parts.push(`stdout:\n${indent(truncate(stdout.trimEnd(), 4000))}`);
  return parts.join('\n');
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
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
