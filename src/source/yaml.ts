/**
 * Parses scenario YAML while keeping a way back from a field path to its line and column, so that every
 * error can point at the offending line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { FieldPath } from './issues.ts';

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

/** Returns the parsed data, or the syntax problems (all of them, with positions). */
export function parseYamlWithPositions(text: string): ParsedYaml | { problems: YamlSyntaxProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { code: error.code, message: error.message, line: pos.line, column: pos.col };
      }),
    };
  }
  return {
    data: doc.toJS({ maxAliasCount: 100 }),
    locate: (path) => {
      const offset = offsetOf(doc, path);
      if (offset === undefined) return undefined;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

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
