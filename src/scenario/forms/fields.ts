/**
 * Schema pieces more than one ruleset form uses: a path relative to the scenario file, and a required reason.
 */
import { z } from 'zod';

export const relativePath = z.string().min(1).describe('Path relative to the scenario file.');

/** A required, non-empty `why`, whose message says what it must explain. */
export const reasonSchema = (what: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `a reason (why) is required: say why ${what}` : 'expected a string'),
    })
    .trim()
    .min(1, { error: `a non-empty reason (why) is required: say why ${what}` });
