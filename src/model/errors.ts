/**
 * Every error fwprobe raises on purpose, in one module (as vitest keeps its errors): each class has a
 * literal `code`, listed in `FwprobeErrorCode`, and a message that says what went wrong and what to do.
 * A failed command is one `CommandFailedError` (execa's shape: command, exit code, stdout, stderr, and
 * the `cause` kept); nmap, ruleset and script errors build on it.
 */
import { describeCommandFailure, legacySyntaxHint, offendingLine } from './command-text.ts';
import { formatIssue, type ScenarioIssue } from './issues.ts';
import type { Family } from './observation.ts';

export { formatFieldPath, type FieldPath, type ScenarioIssue } from './issues.ts';

export type FwprobeErrorCode =
  | 'COMMAND_FAILED'
  | 'TIMEOUT'
  | 'INTERRUPTED'
  | 'NO_SCAN_RAN'
  | 'LAB_CLEANUP_FAILED'
  | 'DOCKER_UNAVAILABLE'
  | 'IMAGE_BUILD_FAILED'
  | 'LAB_SELF_CHECK_FAILED'
  | 'LAB_CHANGED_DURING_SCANS'
  | 'ATTRIBUTION_TRACE_FAILED'
  | 'SERVICE_START_FAILED'
  | 'SCAN_TARGET_OUT_OF_SCOPE'
  | 'LAB_SUBNET_COLLISION'
  | 'LAB_WIRING_FAILED'
  | 'NMAP_EXIT_NONZERO'
  | 'NMAP_RUN_ERROR'
  | 'NMAP_OUTPUT_TRUNCATED'
  | 'NMAP_XML_INVALID'
  | 'NMAP_NO_PORTS'
  | 'NMAP_HOST_MISSING'
  | 'NMAP_PROTOCOL_MISMATCH'
  | 'NMAP_SEND_FAILED'
  | 'PORT_NOT_SCANNED'
  | 'PORT_SPEC_INVALID'
  | 'TOO_MANY_PORTS'
  | 'RULESET_APPLY_FAILED'
  | 'RULESET_SCRIPT_FAILED'
  | 'RULESET_SCRIPT_LEFTOVERS'
  | 'POLICY_INVALID'
  | 'POLICY_FILE'
  | 'PRESET_INVALID'
  | 'SAVE_PARSE'
  | 'CLI_USAGE'
  | 'NO_SCENARIOS'
  | 'BASELINE_MISSING'
  | 'BASELINE_INVALID'
  | 'RESULTS_INVALID'
  | ScenarioErrorCode;

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
export type ScenarioErrorCode =
  | 'SCENARIO_NOT_FOUND'
  | 'SCENARIO_BROKEN_LINK'
  | 'SCENARIO_LINK_LOOP'
  | 'SCENARIO_UNSUPPORTED'
  | 'SCENARIO_YAML'
  | 'SCENARIO_IMPORT'
  | 'SCENARIO_INVALID'
  | 'SCENARIO_FILE_MISSING'
  | 'SCENARIO_PATH_OUTSIDE'
  | 'SCENARIO_TOO_LARGE';

type Options = { cause?: unknown };

export class FwprobeError extends Error {
  readonly code: FwprobeErrorCode;

  constructor(code: FwprobeErrorCode, message: string, options?: Options) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** What a command run in a container gave back. */
export interface CommandOutcome {
  command: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A command exited non-zero (or its output could not be used). `headline` says what it means. */
export class CommandFailedError extends FwprobeError {
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(run: CommandOutcome, headline?: string, options?: Options & { code?: FwprobeErrorCode; footer?: string }) {
    const details = describeCommandFailure(run.command, run.exitCode, run.stderr, run.stdout);
    const text = [headline, details, options?.footer].filter(Boolean).join('\n');
    super(options?.code ?? 'COMMAND_FAILED', text, options);
    this.command = run.command;
    this.exitCode = run.exitCode;
    this.stdout = run.stdout;
    this.stderr = run.stderr;
  }
}

/** A step took longer than its bound. Names the phase, the bound and the option that sets it. */
export class TimeoutError extends FwprobeError {
  readonly phase: string;
  readonly ms: number;

  constructor(phase: string, ms: number, option: string, options?: Options) {
    super('TIMEOUT', `${phase} did not finish within ${ms} ms (the bound set by ${option}); it was stopped.`, options);
    this.phase = phase;
    this.ms = ms;
  }
}

/** A message-only error with a literal code: the classes below differ only in their code. */
function simple<C extends FwprobeErrorCode>(code: C) {
  return class extends FwprobeError {
    declare readonly code: C;
    constructor(message: string, options?: Options) {
      super(code, message, options);
    }
  };
}

export class InterruptedError extends simple('INTERRUPTED') {}
export class NoScanRanError extends simple('NO_SCAN_RAN') {}
export class LabCleanupError extends simple('LAB_CLEANUP_FAILED') {}
export class DockerUnavailableError extends simple('DOCKER_UNAVAILABLE') {}
export class ImageBuildError extends simple('IMAGE_BUILD_FAILED') {}
/** The lab is not what a scan needs: scanning it would prove nothing, so the scenario ends in `error`. */
export class LabSelfCheckError extends simple('LAB_SELF_CHECK_FAILED') {}
/** The lab after the scans differs from the lab before them: the verdict would describe another host. */
export class LabChangedError extends simple('LAB_CHANGED_DURING_SCANS') {}
/** The attribution phase could not trace (its observations say why they are undecided; never a scenario error). */
export class TraceError extends simple('ATTRIBUTION_TRACE_FAILED') {}
export class ServiceStartError extends simple('SERVICE_START_FAILED') {}
/** A scan target outside the lab was asked for. Raised before nmap runs. */
export class OutOfScopeTargetError extends simple('SCAN_TARGET_OUT_OF_SCOPE') {}
/** A subnet the scenario chose overlaps a network the Docker engine already has. */
export class SubnetCollisionError extends simple('LAB_SUBNET_COLLISION') {}
/** The lab's networks could not be wired (veth pairs, bridges, addresses, routes). */
export class LabWiringError extends simple('LAB_WIRING_FAILED') {}
/** Bad command-line input. */
export class UsageError extends simple('CLI_USAGE') {}
export class NoScenariosError extends simple('NO_SCENARIOS') {}
/** `fwprobe check` found no exposure baseline beside a scenario: the message names the file and says to run `fwprobe baseline`. */
export class BaselineMissingError extends simple('BASELINE_MISSING') {}
/** An exposure baseline file that is not what `fwprobe baseline` writes: the message names the file and the field. */
export class BaselineInvalidError extends simple('BASELINE_INVALID') {}
/** A results.json (or a shard's report folder) that cannot be read or compared: the message names the file and the field. */
export class ResultsFileError extends simple('RESULTS_INVALID') {}

/** A policy file could not be read or is not valid YAML. */
export class PolicyFileError extends FwprobeError {
  constructor(file: string, detail: string, options?: Options) {
    super('POLICY_FILE', `Cannot load policy file ${file}: ${detail}`, options);
  }
}

/** An unknown preset, or a parameter the preset does not take. `field` is the scenario field to blame. */
export class PresetError extends FwprobeError {
  declare readonly code: 'PRESET_INVALID';
  readonly field: 'preset' | 'params';

  constructor(message: string, field: 'preset' | 'params' = 'preset', options?: Options) {
    super('PRESET_INVALID', message, options);
    this.field = field;
  }
}

/** A policy failed validation. `problems` holds one `path: message` line per issue. */
export class PolicyError extends FwprobeError {
  readonly problems: string[];

  constructor(source: string, problems: string[], options?: Options) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super('POLICY_INVALID', `Invalid policy ${source}:\n${list}\nFix these fields in the policy and run again.`, options);
    this.problems = problems;
  }
}

/** A line of an iptables-save / iptables-restore file that fwprobe cannot parse. */
export class SaveParseError extends FwprobeError {
  readonly line: number;

  constructor(file: string, line: number, detail: string, options?: Options) {
    super('SAVE_PARSE', `${file}:${line}: ${detail}`, options);
    this.line = line;
  }
}

/** A port list in nmap `-p` syntax is malformed or out of range. */
export class PortSpecError extends FwprobeError {
  readonly spec: string;

  constructor(spec: string, problem: string) {
    super('PORT_SPEC_INVALID', `invalid port list "${spec}": ${problem}. Write ports as comma-separated numbers or ` +
      'LOW-HIGH ranges from 1 to 65535, e.g. "22,53,80-82".');
    this.spec = spec;
  }
}

const MAX_ISSUES_SHOWN = 50;

/** A scenario file that cannot be loaded. One bad file fails only its own scenario. */
export class ScenarioError extends FwprobeError {
  declare readonly code: ScenarioErrorCode;
  /** Absolute path of the scenario file. */
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];

  constructor(code: ScenarioErrorCode, file: string, issues: readonly ScenarioIssue[], options?: Options & { headline?: string }) {
    const head = options?.headline ?? `Invalid scenario ${file} (${issues.length} problem${issues.length === 1 ? '' : 's'}):`;
    // A file with thousands of bad items would otherwise print thousands of lines: `issues` keeps them all.
    const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `  ${formatIssue(file, issue)}`);
    const more = issues.length > MAX_ISSUES_SHOWN ? [`  … and ${issues.length - MAX_ISSUES_SHOWN} more`] : [];
    super(code, [head, ...shown, ...more].join('\n'), options);
    this.file = file;
    this.issues = issues;
  }
}

/**
 * A ruleset did not apply: names the family, the file, the offending line and the tool's stderr. `line`
 * overrides the line the tool reported (read from stderr), e.g. with the rule found behind a COMMIT.
 */
export class RulesetApplyError extends CommandFailedError {
  declare readonly code: 'RULESET_APPLY_FAILED';
  readonly family: Family;
  readonly line: number | null;
  /** The line the tool's stderr named, when `line` differs from it. */
  readonly reportedLine: number | null;

  constructor(details: CommandOutcome & { family: Family; source: string; text: string; line?: number | null }, options?: Options) {
    const reported = offendingLine(details.stderr);
    const line = details.line !== undefined ? details.line : reported;
    const lines = details.text.split('\n');
    const lineText = line === null ? undefined : lines[line - 1];
    const where = line === null
      ? `${details.source} (the tool did not say which line)`
      : `${details.source}:${line}: ${lineText ?? '(beyond the end of the file)'}`;
    const found = line === null || line === reported ? '' : `(The tool named ${reported === null ? 'no line' :
      `line ${reported}: ${lines[reported - 1]?.trim() ?? '?'}`}; applying the rules one at a time found this one.)\n`;
    super(details, `The ${details.family} ruleset did not apply: ${where}\n${found}${legacySyntaxHint(lineText)}`.trimEnd(), {
      ...options,
      code: 'RULESET_APPLY_FAILED',
      footer: 'Nothing of this ruleset was applied (restore files apply atomically). Fix the line and run again.',
    });
    this.family = details.family;
    this.line = line;
    this.reportedLine = line === reported ? null : reported;
  }
}

/** Where nft's first error points: `FILE:LINE:COL-COL: Error: …`, as `nft -c -f` prints it. */
const NFT_ERROR = /^(.*?):(\d+):(\d+)(?:-(\d+))?: Error: (.*)$/m;

/**
 * An nftables file did not apply (`nft -c -f` refused it, or `nft -f` did): names the user's file, line and
 * column, nft's message and the offending text, with the lab's copy of the file replaced by the user's name.
 */
/** `ufw --force enable` refused the user's rules folder; ufw restores each family in one go, or not at all. */
export class UfwApplyError extends CommandFailedError {
  declare readonly code: 'RULESET_APPLY_FAILED';

  constructor(details: CommandOutcome & { source: string }, options?: Options) {
    super(details, `ufw did not apply the rules in ${details.source}`, {
      ...options,
      code: 'RULESET_APPLY_FAILED',
      footer: 'ufw loads each rules file with iptables-restore; the line numbers in its message count within the file it names ' +
        '(before.rules, user.rules, … in that folder). Fix the file and run again.',
    });
  }
}

export class NftApplyError extends CommandFailedError {
  declare readonly code: 'RULESET_APPLY_FAILED';
  readonly line: number | null;
  readonly column: number | null;

  constructor(details: CommandOutcome & { source: string; labPath: string }, options?: Options) {
    const stderr = details.stderr.split(details.labPath).join(details.source);
    const m = NFT_ERROR.exec(stderr);
    const line = m ? Number(m[2]) : null;
    const column = m ? Number(m[3]) : null;
    const where = m ? `${details.source}:${line}:${column}: Error: ${m[5]}` : `${details.source} (nft did not say which line)`;
    super({ ...details, stderr }, `The nftables file did not apply: ${where}`, {
      ...options,
      code: 'RULESET_APPLY_FAILED',
      footer: 'nft checks the whole file (nft -c -f) before applying it in one transaction: nothing of this file was ' +
        'applied. Fix the line and run again.',
    });
    this.line = line;
    this.column = column;
  }
}

/** A line of a user's firewall script failed and no `tolerate` entry covers it. */
export class ScriptLineError extends FwprobeError {
  readonly line: number;
  readonly exitCode: number;
  readonly stderr: string;

  constructor(details: { file: string; line: number; command: string; exitCode: number; stderr: string }) {
    super('RULESET_SCRIPT_FAILED',
      `${details.file}:${details.line}: \`${details.command}\` failed with exit code ${details.exitCode}.\n` +
        `${legacySyntaxHint(details.command)}` +
        (details.stderr.trim() ? `stderr:\n  ${details.stderr.trim().split('\n').join('\n  ')}\n` : '') +
        'The script stopped there (set -e semantics): later lines were not applied. Fix the line, or, if the ' +
        'failure is harmless in a container (modprobe, /proc/sys writes), add it to `ruleset.tolerate` with a `why`.');
    this.line = details.line;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}

type NmapCode = Extract<FwprobeErrorCode, `NMAP_${string}` | 'PORT_NOT_SCANNED'>;

/** Base of every error about one nmap run: the headline says what to do, then the command and its output. */
export class NmapScanError extends CommandFailedError {
  declare readonly code: NmapCode;
  /** The port, target address or nmap error message the error is about, where there is one. */
  readonly port?: number;
  readonly target?: string;
  readonly errormsg?: string;

  constructor(code: NmapCode, headline: string, run: CommandOutcome, options?: Options & { port?: number; target?: string; errormsg?: string }) {
    super(run, headline, { ...options, code });
    if (options?.port !== undefined) this.port = options.port;
    if (options?.target !== undefined) this.target = options.target;
    if (options?.errormsg !== undefined) this.errormsg = options.errormsg;
  }
}
