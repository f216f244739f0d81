import { FwprobeError } from '../errors.ts';
import { formatFieldPath, type ScenarioIssue } from './issues.ts';

/**
 * Stable codes:
 * - `SCENARIO_NOT_FOUND`: the scenario file or a path given to discovery does not exist.
 * - `SCENARIO_UNSUPPORTED`: a file that is neither `*.scenario.yaml|yml` nor `*.scenario.ts`.
 * - `SCENARIO_YAML`: the YAML does not parse (message has line and column).
 * - `SCENARIO_IMPORT`: a `.scenario.ts` module failed to import or has no default export.
 * - `SCENARIO_INVALID`: the content breaks the schema or a cross-field rule.
 * - `SCENARIO_FILE_MISSING`: a ruleset file the scenario names does not exist.
 */
export type ScenarioErrorCode =
  | 'SCENARIO_NOT_FOUND'
  | 'SCENARIO_UNSUPPORTED'
  | 'SCENARIO_YAML'
  | 'SCENARIO_IMPORT'
  | 'SCENARIO_INVALID'
  | 'SCENARIO_FILE_MISSING';

/** A scenario file that cannot be loaded. One bad file fails only its own scenario. */
export class ScenarioError extends FwprobeError {
  declare readonly code: ScenarioErrorCode;
  /** Absolute path of the scenario file. */
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];

  constructor(
    code: ScenarioErrorCode,
    file: string,
    issues: readonly ScenarioIssue[],
    options?: { cause?: unknown; headline?: string },
  ) {
    super(code, formatScenarioError(file, issues, options?.headline), options);
    this.file = file;
    this.issues = issues;
  }
}

/** `file:line:col: field: message` (no field for the document itself), one line per issue, under a headline. */
function formatScenarioError(file: string, issues: readonly ScenarioIssue[], headline?: string): string {
  const head = headline ?? `Invalid scenario ${file} (${issues.length} problem${issues.length === 1 ? '' : 's'}):`;
  const lines = issues.map((issue) => {
    const field = issue.path.length > 0 ? `${formatFieldPath(issue.path)}: ` : '';
    return `  ${locationOf(file, issue)}: ${field}${issue.message}`;
  });
  return [head, ...lines].join('\n');
}

function locationOf(file: string, issue: ScenarioIssue): string {
  return issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
}
