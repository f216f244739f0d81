/** Problems found in one scenario file, each tied to the field it is about. */

export type FieldPath = readonly (string | number)[];

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

/** A short rendering of a found value for messages. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Collects issues while normalising, so that one run reports every problem in a file. */
export class IssueList {
  readonly items: ScenarioIssue[] = [];

  add(path: FieldPath, message: string): void {
    this.items.push({ path: [...path], message });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}
