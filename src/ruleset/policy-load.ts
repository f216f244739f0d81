/**
 * Policy files in: YAML with line numbers and zod issues in the user's terms, through the same helpers as
 * scenario files (source/), so a policy and a scenario report a problem the same way.
 */
import { PolicyError, PolicyFileError } from '../model/errors.ts';
import { formatFieldPath, type FieldPath } from '../source/issues.ts';
import { MAX_REFERENCED_FILE_BYTES, readTextFile } from '../source/read-file.ts';
import { describeYamlProblem, parseYamlWithPositions, type SourcePosition } from '../source/yaml.ts';
import { fromZodIssues } from '../source/zod-issues.ts';
import { PolicySchema, type Policy } from './policy.ts';

export interface PolicyTextOptions {
  /**
   * Quote the policy's text (values, unknown keys, YAML syntax details) in error messages. Off for a policy
   * a scenario names: that file may be anything, and load errors reach logs and results.json. Problems are
   * then placed by field and line instead.
   * @default true
   */
  quote?: boolean;
}

/**
 * Validates a policy value (parsed YAML or a TS object).
 * @param source - The file or label named in error messages.
 * @throws PolicyError listing every problem as `path: message (line N)`.
 */
export function parsePolicy(value: unknown, source: string, locate?: (path: FieldPath) => SourcePosition | undefined, options: PolicyTextOptions = {}): Policy {
  const result = PolicySchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const quote = options.quote ?? true;
  const problems = fromZodIssues(result.error.issues, value, { quote, schema: PolicySchema, ...(locate ? { locate } : {}) }).map((issue) => {
    const line = issue.line ?? locate?.(issue.path)?.line;
    return `${formatFieldPath(issue.path)}: ${issue.message}${line ? ` (line ${line})` : ''}`;
  });
  throw new PolicyError(source, problems, { cause: result.error });
}

/** Reads and validates a YAML policy file (at most 4 MiB). Problems carry the file's line numbers where known. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const read = await readTextFile(path, MAX_REFERENCED_FILE_BYTES);
  if ('problem' in read) throw new PolicyFileError(path, read.problem.reason);
  return parsePolicyYaml(read.text, path);
}

/** Parses YAML text as a policy; `source` names the file in messages. */
export function parsePolicyYaml(text: string, source: string, options: PolicyTextOptions = {}): Policy {
  const parsed = parseYamlWithPositions(text);
  if ('problems' in parsed) {
    const first = parsed.problems[0]!;
    throw new PolicyFileError(source, `line ${first.line}: ${describeYamlProblem(first, options.quote ?? true)}`);
  }
  return parsePolicy(parsed.data, source, parsed.locate, options);
}
