/**
 * Errors in what the user wrote: a scenario file and the policy or preset it names. Each names the file and
 * the field or line, and what to do.
 */
import { formatIssue, type ScenarioIssue } from '../issues.ts';
import { coded, FwprobeError, type ErrorOptions, type FwprobeErrorCode } from './base.ts';

/**
 * - `SCENARIO_NOT_FOUND`: the scenario file or a path given to discovery does not exist.
 * - `SCENARIO_BROKEN_LINK`: a symlink met by discovery (or given to it) points at nothing.
 * - `SCENARIO_LINK_LOOP`: a symlinked folder met by discovery leads back into a folder it is inside.
 * - `SCENARIO_UNSUPPORTED`: a file that is neither `*.scenario.yaml|yml` nor `*.scenario.ts`.
 * - `SCENARIO_YAML`: the YAML does not parse (message has line and column).
 * - `SCENARIO_IMPORT`: a `.scenario.ts` module failed to import or has no default export.
 * - `SCENARIO_INVALID`: the content breaks the schema or a cross-field rule.
 * - `SCENARIO_FILE_MISSING`: a ruleset file the scenario names does not exist.
 * - `SCENARIO_PATH_OUTSIDE`: a ruleset, policy or script path leads outside the scenario's folder, and the
 *   scenario does not opt in with `paths: { allowOutside: true }`.
 * - `SCENARIO_TOO_LARGE`: the scenario file, or a file it names, is above its size limit.
 */
export type ScenarioErrorCode = Extract<FwprobeErrorCode, `SCENARIO_${string}`>;

const MAX_ISSUES_SHOWN = 50;

/**
 * A scenario file that cannot be loaded. One bad file fails only its own scenario. One class for the
 * `SCENARIO_*` family: each code is a literal of `ScenarioErrorCode`, listed in `codes`.
 */
export class ScenarioError extends FwprobeError {
  static readonly codes: readonly ScenarioErrorCode[] = [
    'SCENARIO_NOT_FOUND',
    'SCENARIO_BROKEN_LINK',
    'SCENARIO_LINK_LOOP',
    'SCENARIO_UNSUPPORTED',
    'SCENARIO_YAML',
    'SCENARIO_IMPORT',
    'SCENARIO_INVALID',
    'SCENARIO_FILE_MISSING',
    'SCENARIO_PATH_OUTSIDE',
    'SCENARIO_TOO_LARGE',
  ];
  declare readonly code: ScenarioErrorCode;
  /** Absolute path of the scenario file. */
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];

  constructor(code: ScenarioErrorCode, file: string, issues: readonly ScenarioIssue[], options?: ErrorOptions & { headline?: string }) {
    const head = options?.headline ?? `Invalid scenario ${file} (${issues.length} problem${issues.length === 1 ? '' : 's'}):`;
    // A file with thousands of bad items would otherwise print thousands of lines: `issues` keeps them all.
    const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `  ${formatIssue(file, issue)}`);
    const more = issues.length > MAX_ISSUES_SHOWN ? [`  … and ${issues.length - MAX_ISSUES_SHOWN} more`] : [];
    super(code, [head, ...shown, ...more].join('\n'), options);
    this.file = file;
    this.issues = issues;
  }
}

/** A policy file could not be read or is not valid YAML. */
export class PolicyFileError extends FwprobeError {
  static readonly code = 'POLICY_FILE';
  declare readonly code: 'POLICY_FILE';

  constructor(file: string, detail: string, options?: ErrorOptions) {
    super('POLICY_FILE', `Cannot load policy file ${file}: ${detail}`, options);
  }
}

/** An unknown preset, or a parameter the preset does not take. `field` is the scenario field to blame. */
export class PresetError extends FwprobeError {
  static readonly code = 'PRESET_INVALID';
  declare readonly code: 'PRESET_INVALID';
  readonly field: 'preset' | 'params';

  constructor(message: string, field: 'preset' | 'params' = 'preset', options?: ErrorOptions) {
    super('PRESET_INVALID', message, options);
    this.field = field;
  }
}

/** A policy failed validation. `problems` holds one `path: message` line per issue. */
export class PolicyError extends FwprobeError {
  static readonly code = 'POLICY_INVALID';
  declare readonly code: 'POLICY_INVALID';
  readonly problems: string[];

  constructor(source: string, problems: string[], options?: ErrorOptions) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super('POLICY_INVALID', `Invalid policy ${source}:\n${list}\nFix these fields in the policy and run again.`, options);
    this.problems = problems;
  }
}

/**
 * The user's own mistake in a policy or preset, with the scenario field it belongs to; null for anything
 * else a generator throws (a renderer bug is fwprobe's, never the user's).
 */
export function policyMistakeField(error: unknown): 'policy' | 'preset' | 'params' | null {
  if (error instanceof PresetError) return error.field;
  return error instanceof PolicyError || error instanceof PolicyFileError ? 'policy' : null;
}

/** Bad command-line input. */
export class UsageError extends coded('CLI_USAGE') {}
export class NoScenariosError extends coded('NO_SCENARIOS') {}

/**
 * A scenario whose expectations name more ports than fwprobe backs with real clients: every named port is
 * probed, or the run stops here, never dropping the backing of some of them silently.
 */
export class TooManyPortsError extends coded('TOO_MANY_PORTS') {}
