/**
 * No plain `Error`, `RangeError` or `TypeError` is thrown in src/ outside tests, and no error class lives
 * outside this folder: a result's errorCode always names a class with a literal code. Fails with file:line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = dirname(fileURLToPath(import.meta.url));

const PLAIN_THROW = /\bthrow\s+(?:new\s+)?(?:Error|RangeError|TypeError)\s*\(/;
const ERROR_CLASS = /\bclass\s+\w+\s+extends\s+(?:Error|RangeError|TypeError)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.test(-helpers)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** `file:line: text` of every line of `text` that `pattern` matches. */
function offenders(file: string, text: string, pattern: RegExp): string[] {
  return text.split('\n').flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

describe('the error rule of src/', () => {
  const files = sourceFiles(SRC).map((path) => ({ file: relative(SRC, path), text: readFileSync(path, 'utf8') }));

  it('reads the source tree (this check would pass on nothing)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.file === 'model/errors/base.ts')).toBe(true);
  });

  it('throws no plain Error, RangeError or TypeError outside tests', () => {
    expect(files.flatMap(({ file, text }) => offenders(file, text, PLAIN_THROW))).toEqual([]);
  });

  it('declares error classes only in model/errors/', () => {
    const outside = files.filter(({ file }) => !resolve(SRC, file).startsWith(HERE));
    expect(outside.flatMap(({ file, text }) => offenders(file, text, ERROR_CLASS))).toEqual([]);
  });

  it('sees an offender when there is one, naming file and line', () => {
    const text = "const a = 1;\nif (!a) throw new Error('x');\nthrow RangeError(`y`);\nthrow new InternalError('z');\n";
    expect(offenders('scan/x.ts', text, PLAIN_THROW)).toEqual(["scan/x.ts:2: if (!a) throw new Error('x');", 'scan/x.ts:3: throw RangeError(`y`);']);
    expect(offenders('scan/x.ts', 'export class ShapeError extends Error {}', ERROR_CLASS)).toEqual(['scan/x.ts:1: export class ShapeError extends Error {}']);
  });
});
