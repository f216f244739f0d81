/**
 * A command fwprobe ran that failed, as one class: `CommandFailedError` (execa's shape: command, exit code,
 * stdout, stderr, and the `cause` kept). Ruleset-apply and nmap errors build on it and fix their own code.
 */
import { describeCommandFailure } from '../command-text.ts';
import { coded, FwprobeError, type ErrorOptions, type FwprobeErrorCode } from './base.ts';

/** What a command run in a container gave back. */
export interface CommandOutcome {
  command: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The codes a failed command can carry: its own, and those of the classes built on it. */
export type CommandFailureCode = Extract<FwprobeErrorCode, 'COMMAND_FAILED' | 'RULESET_APPLY_FAILED' | `NMAP_${string}` | 'PORT_NOT_SCANNED'>;

/**
 * A command exited non-zero (or its output could not be used). `headline` says what it means, `footer` what
 * to do. The code is the class's own (`static code`), so a subclass cannot carry another class's code.
 */
export class CommandFailedError<C extends CommandFailureCode = 'COMMAND_FAILED'> extends FwprobeError {
  static readonly code: CommandFailureCode = 'COMMAND_FAILED';
  declare readonly code: C;
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(run: CommandOutcome, headline?: string, options?: ErrorOptions & { footer?: string }) {
    const details = describeCommandFailure(run.command, run.exitCode, run.stderr, run.stdout);
    const text = [headline, details, options?.footer].filter(Boolean).join('\n');
    super((new.target as unknown as { code: CommandFailureCode }).code, text, options);
    this.command = run.command;
    this.exitCode = run.exitCode;
    this.stdout = run.stdout;
    this.stderr = run.stderr;
  }
}

/**
 * A tool printed something fwprobe cannot read (a batch's step markers, a ledger listing): what it printed
 * is then no evidence. The message names the tool output and what was wrong with it.
 */
export class CommandOutputError extends coded('COMMAND_OUTPUT_INVALID') {}
