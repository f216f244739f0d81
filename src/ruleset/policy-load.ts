/**
 * Policy files in: YAML with line numbers and zod issues in the user's terms, through the same helpers as
 * scenario files (source/), so a policy and a scenario report a problem the same way.
 */
import { readFile } from 'node:fs/promises';
import { PolicyError, PolicyFileError } from '../model/errors.ts';
import { formatFieldPath, type FieldPath } from '../source/issues.ts';
import { parseYamlWithPositions, type SourcePosition } from '../source/yaml.ts';
import { fromZodIssues } from '../source/zod-issues.ts';
import { PolicySchema, type Policy } from './policy.ts';

/**
 * Validates a policy value (parsed YAML or a TS object).
 * @param source - The file or label named in error messages.
 * @throws PolicyError listing every problem as `path: message (line N)`.
 */
export function parsePolicy(value: unknown, source: string, locate?: (path: FieldPath) => SourcePosition | undefined): Policy {
  const result = PolicySchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const problems = fromZodIssues(result.error.issues, value).map((issue) => {
    const line = locate?.(issue.path)?.line;
    return `${formatFieldPath(issue.path)}: ${issue.message}${line ? ` (line ${line})` : ''}`;
  });
  throw new PolicyError(source, problems, { cause: result.error });
}

/** Reads and validates a YAML policy file. Problems carry the file's line numbers where known. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PolicyFileError(path, (cause as Error).message, { cause });
  }
  return parsePolicyYaml(text, path);
}

/** Parses YAML text as a policy; `source` names the file in messages. */
export function parsePolicyYaml(text: string, source: string): Policy {
  const parsed = parseYamlWithPositions(text);
  if ('problems' in parsed) {
    const first = parsed.problems[0]!;
    throw new PolicyFileError(source, `line ${first.line}: ${first.message}`);
  }
  return parsePolicy(parsed.data, source, parsed.locate);
}
