/**
 * Turns zod issues into scenario issues that say what was expected and what was found, in the user's
 * terms (field paths, YAML values), rather than zod's internal wording.
 */
import type { z } from 'zod';
import { describeFound, type FieldPath, type ScenarioIssue } from './issues.ts';
import type { SourcePosition } from './yaml.ts';
import { closest } from '../model/spelling.ts';
import { knownKeys } from './schema-keys.ts';

type ZodIssue = z.core.$ZodIssue;

export interface IssueOptions {
  /**
   * Quote the values found. Off for a file a scenario names (a policy): that file may be anything (a wrong
   * path, a secret), so its text, strings and unknown keys alike, is described and placed, never shown.
   * Numbers, booleans and null are still shown.
   * @default true
   */
  quote?: boolean;
  /** Field positions: with `quote` off, an unknown field is placed by its line instead of named. */
  locate?: (path: FieldPath) => SourcePosition | undefined;
  /** The schema the issues came from: an unknown field is answered with the known one it is closest to. */
  schema?: z.ZodType;
}

export function fromZodIssues(issues: readonly ZodIssue[], data: unknown, options: IssueOptions = {}): ScenarioIssue[] {
  return issues.flatMap((issue) => convert(issue, [], data, options));
}

function convert(issue: ZodIssue, prefix: FieldPath, data: unknown, options: IssueOptions): ScenarioIssue[] {
  const path = [...prefix, ...issue.path.map(toSegment)];
  const found = valueAt(data, path);
  const quote = options.quote ?? true;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => (quote ? unknownField(path, key, options) : unnamedUnknownField(path, key, options)));
    case 'invalid_union':
      return convertUnion(issue, path, data, found, options);
    case 'invalid_type':
      if (found === undefined) return [{ path, message: missingMessage(issue) }];
      return [{ path, message: `${expectedOf(issue)}, found ${describeFound(found, quote)}` }];
    case 'too_big':
      // A list is described by its length: quoting its first items says nothing about its size.
      if (Array.isArray(found)) return [{ path, message: `${lowerFirst(issue.message)}, found ${found.length}` }];
      return [{ path, message: `${lowerFirst(issue.message)}, found ${describeFound(found, quote)}` }];
    default:
      // A check that already names the value it got (policy values do) says it once.
      if (/, got /.test(issue.message)) return [{ path, message: lowerFirst(quote ? issue.message : unquoted(issue.message, found)) }];
      return [{ path, message: `${lowerFirst(issue.message)}, found ${describeFound(found, quote)}` }];
  }
}

function unknownField(path: FieldPath, key: string, options: IssueOptions): ScenarioIssue {
  const meant = suggestion(path, key, options);
  const advice = meant ? `did you mean "${meant}"? (fields are case-sensitive)` : 'remove it or check its spelling (fields are case-sensitive)';
  return { path: [...path, key], message: `unknown field "${key}": ${advice}` };
}

/** Reported on the mapping that holds the key, at the key's own line (the caller shows it). */
function unnamedUnknownField(path: FieldPath, key: string, options: IssueOptions): ScenarioIssue {
  // The schema's word, never the file's: a suggestion says only that the key is near a known one.
  const meant = suggestion(path, key, options);
  const advice = meant ? `did you mean "${meant}"? (fields are case-sensitive)` : 'remove it or check its spelling (fields are case-sensitive)';
  const issue: ScenarioIssue = { path, message: `has an unknown field: ${advice}` };
  const at = options.locate?.([...path, key]);
  return at ? { ...issue, line: at.line, column: at.column } : issue;
}

/** The known field at `path` that `key` is a slip of, or null. */
function suggestion(path: FieldPath, key: string, options: IssueOptions): string | null {
  return options.schema ? closest(key, knownKeys(options.schema, path)) : null;
}

/** A check's own message with the string it got described instead of quoted. */
function unquoted(message: string, found: unknown): string {
  if (typeof found !== 'string') return message;
  return message.split(JSON.stringify(found)).join(describeFound(found, false));
}

/**
 * zod reports a union failure with the issues of every branch. Show the branch that came closest (the
 * fewest issues; a wrong type or value at the union itself counts as far away); if none stands out, say
 * which shapes are accepted.
 */
function convertUnion(issue: Extract<ZodIssue, { code: 'invalid_union' }>, path: FieldPath, data: unknown, found: unknown, options: IssueOptions): ScenarioIssue[] {
  const scored = issue.errors.map((branch) => ({ branch, score: branchDistance(branch) })).sort((a, b) => a.score - b.score);
  const best = scored[0];
  const tie = scored[1] !== undefined && best !== undefined && scored[1].score === best.score;
  if (best && !tie && best.score < 1000) {
    return best.branch.flatMap((inner) => convert(inner, path, data, options));
  }
  const expected = unionExpectation(issue.message);
  if (found === undefined) return [{ path, message: `missing required field, ${expected}` }];
  return [{ path, message: `${expected}, found ${describeFound(found, options.quote ?? true)}` }];
}

function branchDistance(branch: readonly ZodIssue[]): number {
  return branch.reduce((sum, inner) => {
    const atRoot = inner.path.length === 0;
    if (atRoot && (inner.code === 'invalid_type' || inner.code === 'invalid_value')) return sum + 1000;
    if (atRoot && inner.code === 'unrecognized_keys') return sum + 100 * inner.keys.length;
    return sum + 1;
  }, 0);
}

function unionExpectation(message: string): string {
  return message && !/^Invalid input/.test(message) ? lowerFirst(message) : 'expected one of the accepted forms';
}

function missingMessage(issue: Extract<ZodIssue, { code: 'invalid_type' }>): string {
  if (!/^Invalid input/.test(issue.message)) return lowerFirst(issue.message);
  return `missing required field, expected ${issue.expected}`;
}

function expectedOf(issue: Extract<ZodIssue, { code: 'invalid_type' }>): string {
  // Custom messages set in schema.ts already start with "expected" or describe the requirement.
  if (!/^Invalid input/.test(issue.message)) return lowerFirst(issue.message);
  return `expected ${issue.expected}`;
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function toSegment(segment: PropertyKey): string | number {
  return typeof segment === 'number' ? segment : String(segment);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
