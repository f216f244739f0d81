/**
 * Errors raised by the ruleset generator. Each names the file and the field or line at fault, so that a
 * bad policy is fixed at its source and never reaches iptables or a shell.
 */
import { FwprobeError } from '../errors.ts';

/** A policy failed validation. `problems` holds one `path: message` line per issue. */
export class PolicyError extends FwprobeError {
  readonly problems: string[];

  constructor(source: string, problems: string[], options?: { cause?: unknown }) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super(
      'POLICY_INVALID',
      `Invalid policy ${source}:\n${list}\nFix these fields in the policy and run again.`,
      options,
    );
    this.problems = problems;
  }
}

/** A policy file could not be read or is not valid YAML. */
export class PolicyFileError extends FwprobeError {
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('POLICY_FILE', `Cannot load policy file ${file}: ${detail}`, options);
  }
}

/** An unknown preset, or a parameter the preset does not take or cannot accept. */
export class PresetError extends FwprobeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PRESET_INVALID', message, options);
  }
}

/** A line of an iptables-save / iptables-restore file that fwprobe cannot parse. */
export class SaveParseError extends FwprobeError {
  readonly line: number;

  constructor(file: string, line: number, detail: string, options?: { cause?: unknown }) {
    super('SAVE_PARSE', `${file}:${line}: ${detail}`, options);
    this.line = line;
  }
}

/** Bad command-line input to `fwprobe generate`. */
export class GenerateUsageError extends FwprobeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GENERATE_USAGE', message, options);
  }
}
