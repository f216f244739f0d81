/**
 * Parses scenario YAML while keeping a way back from a field path to its line and column, so that every
 * error can point at the offending line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { FieldPath } from './issues.ts';
import { aliasProblem, duplicateKeyProblem, nestingProblem } from './yaml-limits.ts';

export interface SourcePosition {
  line: number;
  column: number;
}

export interface ParsedYaml {
  data: unknown;
  /** Position of the field at `path`, or of its deepest existing ancestor. */
  locate(path: FieldPath): SourcePosition | undefined;
}

export interface YamlSyntaxProblem {
  /** The YAML library's error code (e.g. `MISSING_CHAR`), or fwprobe's own for aliases. */
  code: string;
  message: string;
  line: number;
  column: number;
}

/**
 * Returns the parsed data, or the problems (all syntax errors, or the first limit crossed; with positions).
 * Never throws on any text: a YAML document is the user's, and a crash would be fwprobe's.
 */
export function parseYamlWithPositions(text: string): ParsedYaml | { problems: YamlSyntaxProblem[] } {
  // Before parsing: the library builds nodes recursively, and deep nesting can crash the process.
  const deep = nestingProblem(text);
  if (deep) return { problems: [deep] };
  const lineCounter = new LineCounter();
  // uniqueKeys: checked by duplicateKeyProblem below, in one pass rather than the library's quadratic one.
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { code: error.code, message: error.message, line: pos.line, column: pos.col };
      }),
    };
  }
  const position = (offset: number) => lineCounter.linePos(offset);
  const limit = duplicateKeyProblem(doc, position) ?? aliasProblem(doc, position);
  if (limit) return { problems: [limit] };
  let data: unknown;
  try {
    // Aliases were measured above, precisely: the library's own guard (a count of alias uses) is not needed.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { problems: [{ code: 'TO_JS', message: `the document cannot be read as data: ${message}`, line: 1, column: 1 }] };
  }
  return {
    data,
    locate: (path) => {
      const offset = offsetOf(doc, path);
      if (offset === undefined) return undefined;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

/**
 * A problem as a person reads it. With `quote` off, a syntax error says only its kind: the YAML library's
 * messages may quote a few characters of the text (an escape, a tag). Limit problems never quote.
 */
export function describeYamlProblem(problem: YamlSyntaxProblem, quote = true): string {
  if (LIMIT_CODES.has(problem.code)) return `YAML: ${problem.message}`;
  return quote ? `YAML syntax error: ${problem.message}` : `YAML syntax error (${problem.code})`;
}

const LIMIT_CODES = new Set(['NESTING_TOO_DEEP', 'ALIAS_UNRESOLVED', 'ALIAS_LOOP', 'ALIAS_EXPANSION']);

/**
 * Walks the document along `path`. A map entry points at its key (where editors put the cursor for
 * "unknown field" and "missing value"); a sequence item points at the item.
 */
function offsetOf(doc: Document, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
