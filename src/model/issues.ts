/**
 * A problem in an input file, tied to the field it is about and, for YAML, to its line and column: what a
 * ScenarioError lists, one `file:line:col: field: message` line each.
 */

export type FieldPath = readonly (string | number)[];

/** One problem in an input file, tied to the field it is about. */
export interface ScenarioIssue {
  /** Field path inside the scenario, e.g. `['expect', 'loopback', 'ipv6', 'tcp', 'open', 1]`. */
  path: FieldPath;
  /** What was expected and what was found, e.g. `expected a port number 1-65535, found 70000`. */
  message: string;
  /** 1-based position of the field in the YAML source, when there is one. */
  line?: number;
  column?: number;
}

/** `['expect', 'loopback', 'open', 1]` → `expect.loopback.open[1]`; the root is `(root)`. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out || '(root)';
}

/** `file:line:col: field: message` (no field for the document itself). */
export function formatIssue(file: string, issue: ScenarioIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return `${where}: ${issue.path.length > 0 ? `${formatFieldPath(issue.path)}: ` : ''}${issue.message}`;
}
