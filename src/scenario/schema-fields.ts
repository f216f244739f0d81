/**
 * Field builders the scenario schema uses in many places: a list with a length cap, and text that is
 * printed (no terminal controls). Kept apart so that schema.ts reads as the shape of a scenario.
 */
import { z } from 'zod';
import { controlCharacterProblem } from '../model/printable.ts';

/**
 * The longest list a scenario may hold. Real ones hold a handful of items; past this, a list is a mistake
 * or an attack on the loader, and consecutive ports belong in one range anyway.
 */
export const MAX_LIST_ITEMS = 10_000;

/** A list of at most MAX_LIST_ITEMS items. */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item).max(MAX_LIST_ITEMS, {
    error: `expected at most ${MAX_LIST_ITEMS} items (write consecutive ports as one range, like "1000-2000")`,
  });
}

/**
 * Text printed about the scenario: no control characters (an ANSI escape in a name would rewrite the
 * terminal), except those in `allowed`. Checked before trimming, as the JSON Schema's pattern is.
 */
export function printedText(field: string, typeError: string, allowed: '' | '\n\t', why: string) {
  const excluded = allowed ? '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f' : '\\u0000-\\u001f\\u007f-\\u009f';
  return z
    .string({ error: typeError })
    .superRefine((text, ctx) => {
      const problem = controlCharacterProblem(text, allowed);
      if (problem) ctx.addIssue({ code: 'custom', message: `expected a ${field} without control characters (${why}), got ${problem}` });
    })
    .meta({ pattern: `^[^${excluded}]*$` });
}
