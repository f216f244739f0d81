/**
 * Resource limits on a YAML document, so that a small hostile file is a problem at a line rather than a
 * crash, a hang or a process that runs out of memory:
 * - nesting depth, checked on the tokens before the document is built: the YAML library builds nodes
 *   recursively, and ~10,000 levels (`[[[[…`, 20 KB) can take Node down with a fatal, uncatchable error;
 * - aliases, checked on the document before it becomes data: an alias to no anchor, an alias inside the node
 *   it repeats (data without end), and aliases that multiply the document (a "billion laughs": nine
 *   aliases of nine aliases of … of a list).
 * - duplicate keys, checked here in one pass: the library's own check compares every key with every other
 *   (100,000 keys, well within a 1 MiB file, take about a minute).
 * Messages never quote the document (not even an anchor's name): see `IssueOptions.quote`.
 */
import { CST, isAlias, isCollection, isPair, isScalar, Lexer, visit, type Document } from 'yaml';

/**
 * Deepest nesting accepted. Scenarios and policies are a few levels deep; the YAML library overflows
 * the stack somewhere below 1,000.
 */
export const MAX_YAML_DEPTH = 64;

/** How many values aliases may add to a document, in all: far above any real reuse of a port list. */
export const MAX_ALIAS_EXPANSION = 100_000;

export interface YamlLimitProblem {
  code: 'NESTING_TOO_DEEP' | 'ALIAS_UNRESOLVED' | 'ALIAS_LOOP' | 'ALIAS_EXPANSION' | 'DUPLICATE_KEY';
  message: string;
  /** 1-based, like the YAML library's positions. */
  line: number;
  column: number;
}

/** Lexer tokens that are markers, not source text. */
const MARKERS = new Set(['\u0002', '\u0018', '\u001f', '\u{FEFF}']);

/** Block nesting (indentation levels and `- - x` compact items) plus flow nesting (`[`, `{`), by tokens. */
export function nestingProblem(text: string): YamlLimitProblem | null {
  let line = 1;
  let column = 1;
  let flow = 0;
  let atLineStart = true;
  const indents: number[] = [];
  let skipScalar = false;
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) {
      skipScalar = token === '\u001f';
      continue;
    }
    const type = skipScalar ? 'scalar' : CST.tokenType(token);
    skipScalar = false;
    if (atLineStart && type !== 'newline') {
      // Close the levels this line is not inside, then open this line's own.
      const indent = type === 'space' ? token.length : 0;
      while (indents.length > 0 && indents.at(-1)! >= indent) indents.pop();
      indents.push(indent);
      atLineStart = false;
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow += 1;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
    else if (type === 'seq-item-ind' || type === 'explicit-key-ind') indents.push(column);
    if (indents.length + flow > MAX_YAML_DEPTH) {
      return {
        code: 'NESTING_TOO_DEEP',
        message: `nesting deeper than ${MAX_YAML_DEPTH} levels: a scenario or policy is a few levels deep; flatten this`,
        line,
        column,
      };
    }
    const newlines = token.split('\n').length - 1;
    if (newlines > 0) {
      line += newlines;
      column = token.length - token.lastIndexOf('\n');
      atLineStart = type === 'newline' || column === 1;
    } else column += token.length;
  }
  return null;
}

/** The first key that repeats an earlier key of its mapping (parse with `uniqueKeys: false`). */
export function duplicateKeyProblem(doc: Document, position: (offset: number) => { line: number; col: number }): YamlLimitProblem | null {
  let problem: YamlLimitProblem | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // The library's rule: scalar keys with the same value (1 and "1" differ); other keys never clash.
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          const pos = position(pair.key.range?.[0] ?? 0);
          problem = { code: 'DUPLICATE_KEY', message: 'Map keys must be unique', line: pos.line, column: pos.col };
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return problem;
}

/**
 * The first alias that names no anchor, sits inside the node it repeats, or takes the document past the
 * expansion or depth limits. Anchors are resolved in one pass (the YAML library's own `resolve` walks the
 * whole document for every alias: quadratic on a file full of them).
 */
export function aliasProblem(doc: Document, position: (offset: number) => { line: number; col: number }): YamlLimitProblem | null {
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  const measured = new Map<unknown, Measure>();
  const inProgress = new Set<unknown>();
  let added = 0;
  let problem: YamlLimitProblem | null = null;
  const fail = (code: YamlLimitProblem['code'], message: string, offset: number | undefined) => {
    const pos = position(offset ?? 0);
    problem = { code, message, line: pos.line, column: pos.col };
    return visit.BREAK;
  };

  /** Values in `node` and its depth once every alias inside it is expanded; null when one loops back. */
  const measure = (node: unknown): Measure | null => {
    if (node === null || node === undefined) return { size: 0, depth: 0 };
    const known = measured.get(node);
    if (known) return known;
    if (inProgress.has(node)) return null;
    inProgress.add(node);
    let result: Measure | null = { size: 1, depth: 1 };
    if (isAlias(node)) result = measure(targets.get(node));
    else if (isPair(node)) result = combine(measure(node.key), measure(node.value), 0);
    else if (isCollection(node)) {
      let inner: Measure | null = { size: 0, depth: 0 };
      for (const item of node.items) inner = combine(inner, measure(item), 0);
      result = combine(inner, { size: 1, depth: 0 }, 1);
    }
    inProgress.delete(node);
    if (result) measured.set(node, result);
    return result;
  };

  visit(doc, {
    Node(_, node) {
      if (!isAlias(node)) {
        if (node.anchor) anchors.set(node.anchor, node);
        return undefined;
      }
      const offset = node.range?.[0];
      const target = anchors.get(node.source);
      if (target === undefined) {
        return fail('ALIAS_UNRESOLVED', 'an alias needs its anchor (&name) earlier in the document, and none is there', offset);
      }
      targets.set(node, target);
      const size = measure(target);
      if (size === null) return fail('ALIAS_LOOP', 'an alias inside the node it repeats: the data would never end', offset);
      added += size.size;
      if (added > MAX_ALIAS_EXPANSION) {
        return fail(
          'ALIAS_EXPANSION',
          `aliases would expand this document by more than ${MAX_ALIAS_EXPANSION} values (aliases of aliases ` + 'multiply): write the values out, or nest fewer aliases',
          offset,
        );
      }
      if (size.depth > MAX_YAML_DEPTH) {
        return fail('NESTING_TOO_DEEP', `aliases nest the data deeper than ${MAX_YAML_DEPTH} levels: flatten this`, offset);
      }
      return undefined;
    },
  });
  return problem;
}

interface Measure {
  size: number;
  depth: number;
}

/** Sizes add up; depths take the deeper, plus `levels` for the collection that holds them. */
function combine(a: Measure | null, b: Measure | null, levels: number): Measure | null {
  if (a === null || b === null) return null;
  return { size: Math.min(a.size + b.size, Number.MAX_SAFE_INTEGER), depth: Math.max(a.depth, b.depth) + levels };
}
