/**
 * The one-way house, checked: every import between the stage folders of src/ must follow the rule written
 * in src/README.md. A back-edge (say verdict importing scenario, or lab importing run) fails this test with
 * the file, the line and the rule it breaks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Which stages each stage may import, besides itself (the table in src/README.md). Top-level files of src/ count as stage `.`. */
export const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  source: ['model'],
  ruleset: ['model', 'source'],
  scenario: ['model', 'source', 'ruleset'],
  scan: ['model'],
  lab: ['model', 'ruleset'],
  verdict: ['model', 'scan'],
  report: ['model', 'scan', 'verdict'],
  run: ['model', 'source', 'ruleset', 'scenario', 'scan', 'lab', 'verdict', 'report'],
  cli: ['model', 'source', 'ruleset', 'scenario', 'run', 'report'],
  vitest: ['model', 'scenario', 'run', 'report'],
  '.': ['model', 'scenario'],
};

const IMPORT = /(?:^|\s)(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export interface Edge {
  file: string;
  line: number;
  from: string;
  to: string;
}

/** Every relative import of a non-test source file under `root`, as stage → stage edges. */
export function stageEdges(root: string): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      if (!spec.startsWith('.')) continue;
      const start = match.index + (match[0].length - match[0].trimStart().length);
      const line = text.slice(0, start).split('\n').length;
      edges.push({ file: relative(root, file), line, from: stageOf(root, file), to: stageOf(root, resolve(dirname(file), spec)) });
    }
  }
  return edges;
}

/** The edges that break the rule. */
export function backEdges(edges: readonly Edge[], allowed = ALLOWED): Edge[] {
  return edges.filter((e) => e.from !== e.to && !(allowed[e.from] ?? []).includes(e.to));
}

function stageOf(root: string, file: string): string {
  const parts = relative(root, file).split('/');
  return parts.length > 1 ? parts[0]! : '.';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test(-helpers)?\.ts$|\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('the one-way house', () => {
  test('every stage folder has a rule', () => {
    const stages = new Set(stageEdges(SRC).flatMap((e) => [e.from, e.to]));
    expect([...stages].filter((s) => !(s in ALLOWED))).toEqual([]);
  });

  test('no import runs against the rule in src/README.md', () => {
    const broken = backEdges(stageEdges(SRC)).map((e) => `${e.file}:${e.line} ${e.from} → ${e.to}`);
    expect(broken).toEqual([]);
  });

  test('the check sees a back-edge when there is one', () => {
    const edges = [{ file: 'verdict/judge.ts', line: 3, from: 'verdict', to: 'scenario' }];
    expect(backEdges(edges)).toEqual(edges);
    expect(backEdges([{ file: 'lab/x.ts', line: 1, from: 'lab', to: 'ruleset' }])).toEqual([]);
  });
});
