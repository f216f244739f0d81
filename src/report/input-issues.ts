/**
 * zod's issues on a file fwprobe reads back (a baseline, a results.json), in the user's terms: one
 * `field: message` line each, at most a screenful, so an error names the field to fix.
 */
import type { z } from 'zod';
import { formatFieldPath } from '../model/issues.ts';

const MAX_SHOWN = 20;

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_SHOWN).map((issue) => `  ${formatFieldPath(issue.path as (string | number)[])}: ${issue.message}`);
  if (issues.length > MAX_SHOWN) lines.push(`  … and ${issues.length - MAX_SHOWN} more`);
  return lines.join('\n');
}

/** `JSON.parse`, with the file named when the text is not JSON. */
export function parseJsonText<E extends Error>(text: string, file: string, fail: (message: string) => E): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw fail(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
}
