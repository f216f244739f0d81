/** Problems found in one input file, each tied to the field it is about, collected before they are thrown. */
import type { FieldPath, ScenarioIssue } from '../model/errors.ts';

export { formatFieldPath, type FieldPath, type ScenarioIssue } from '../model/errors.ts';

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
