/** Problems found in one input file, each tied to the field it is about, collected before they are thrown. */
import type { FieldPath, ScenarioIssue } from '../model/errors.ts';

export { formatFieldPath, type FieldPath, type ScenarioIssue } from '../model/errors.ts';

/**
 * A short rendering of a found value for messages. With `quote` off, text from the file (strings, and the
 * keys and strings inside lists and mappings) is described, never shown: see `IssueOptions.quote`.
 */
export function describeFound(value: unknown, quote = true): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (!quote) {
    if (typeof value === 'string') return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
    if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
    if (typeof value === 'object') return 'a mapping';
  }
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
