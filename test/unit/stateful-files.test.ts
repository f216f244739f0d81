/**
 * The unit project runs without isolation (one module graph per worker): a file that mocks a module or
 * changes the process would leak into the files after it. Every such file must be listed to run isolated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { STATEFUL_PATTERN, STATEFUL_UNIT_FILES } from './stateful-files.ts';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function unitFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts') && !e.name.endsWith('.docker.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

test('every unit file that mocks a module or changes the process runs isolated', () => {
  const stateful = [...unitFiles('src'), ...unitFiles('test/unit')].filter((f) => f !== 'test/unit/stateful-files.test.ts' && STATEFUL_PATTERN.test(readFileSync(join(ROOT, f), 'utf8')));
  expect(stateful.filter((f) => !STATEFUL_UNIT_FILES.includes(f))).toEqual([]);
});

test('the pattern finds what it must: a mock, a spy, an env write, a handler', () => {
  for (const text of ["vi.mock('x')", 'vi.spyOn(a, "b")', 'process.env.FOO = "1"', "process.env['FOO'] = '1'", 'delete process.env.X', "process.on('exit', f)", 'vi.useFakeTimers()']) {
    expect(STATEFUL_PATTERN.test(text), text).toBe(true);
  }
  for (const text of ['process.env.FOO === "1"', 'const env = { ...process.env }', 'vi.fn()']) expect(STATEFUL_PATTERN.test(text), text).toBe(false);
});
