/**
 * Hostile YAML is a problem at a line, never a throw, a crash or a stall: alias bombs, alias loops, deep
 * nesting, and a mapping with very many keys.
 */
import { describe, expect, it } from 'vitest';
import { BILLION_LAUGHS } from './hostile-yaml.test-helpers.ts';
import { describeYamlProblem, parseYamlWithPositions, type YamlSyntaxProblem } from './yaml.ts';

function problemOf(text: string): YamlSyntaxProblem {
  const parsed = parseYamlWithPositions(text);
  if (!('problems' in parsed)) throw new Error('expected a problem, the document parsed');
  expect(parsed.problems).toHaveLength(1);
  return parsed.problems[0]!;
}

describe('parseYamlWithPositions: limits', () => {
  it('a billion laughs is ALIAS_EXPANSION at the alias that crosses the limit', () => {
    const problem = problemOf(BILLION_LAUGHS);
    expect(problem).toMatchObject({ code: 'ALIAS_EXPANSION', line: 7, column: 8 });
    expect(describeYamlProblem(problem)).toBe('YAML: aliases would expand this document by more than 100000 values (aliases of aliases multiply): ' + 'write the values out, or nest fewer aliases');
  });

  it('an alias inside the node it repeats is ALIAS_LOOP (the data would be circular)', () => {
    expect(problemOf('a: &x [1, *x]\n')).toMatchObject({ code: 'ALIAS_LOOP', line: 1, column: 11 });
    expect(problemOf('a: &x\n  b: *x\n')).toMatchObject({ code: 'ALIAS_LOOP', line: 2, column: 6 });
  });

  it('an alias without an anchor is ALIAS_UNRESOLVED, and its message does not repeat the name', () => {
    const problem = problemOf('a: 1\nb: *secret_name\n');
    expect(problem).toMatchObject({ code: 'ALIAS_UNRESOLVED', line: 2, column: 4 });
    expect(problem.message).not.toContain('secret_name');
  });

  it('aliases that nest the data deeper than the limit are NESTING_TOO_DEEP', () => {
    let chain = 'a0: &a0 x\n';
    for (let i = 1; i < 100; i++) chain += `a${i}: &a${i} [*a${i - 1}]\n`;
    expect(problemOf(chain)).toMatchObject({ code: 'NESTING_TOO_DEEP', line: 66 });
  });

  it('reusing a list by alias is fine', () => {
    const parsed = parseYamlWithPositions('p: &p [22, 80]\nq: { open: *p }\nr: *p\n');
    expect(parsed).toMatchObject({ data: { p: [22, 80], q: { open: [22, 80] }, r: [22, 80] } });
  });

  it.each([
    ['flow', 'name: ' + '['.repeat(10_000) + ']'.repeat(10_000), { line: 1, column: 70 }],
    ['compact block items', 'name:\n' + '- '.repeat(100_000) + 'x', { line: 2, column: 127 }],
    ['indentation', 'name:\n' + Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n'), { line: 65, column: 1 }],
  ])('nesting deeper than 64 levels (%s) is NESTING_TOO_DEEP, found before the library recurses', (_, text, at) => {
    // Without the check, a first deep document and then this one kill Node itself (a V8 fatal error).
    parseYamlWithPositions('name: ' + '['.repeat(1000) + ']'.repeat(1000));
    expect(problemOf(text)).toMatchObject({ code: 'NESTING_TOO_DEEP', ...at });
  });

  it('brackets inside quotes, block scalars and comments are text, not nesting', () => {
    const deep = '['.repeat(100);
    const parsed = parseYamlWithPositions(`a: "${deep}"\nb: |\n  ${deep}\nc: d # ${deep}\n`);
    expect(parsed).toMatchObject({ data: { a: deep, b: `${deep}\n`, c: 'd' } });
  });

  it('100,000 keys parse in about a second, and a duplicate among them is found with its line', () => {
    let text = '';
    for (let i = 0; i < 100_000; i++) text += `k${i}: 1\n`;
    // CPU time, not the clock: on a loaded machine (a full run on two cores) the clock read 15 s for this.
    const started = process.cpuUsage();
    expect(problemOf(`${text}k5: 2\n`)).toMatchObject({ code: 'DUPLICATE_KEY', line: 100_001, column: 1 });
    // The library's own check compares every key with every other: about a minute here. Generous bound.
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(10_000);
  }, 60_000);

  it('a duplicate key is still an error (1 and "1" are different keys)', () => {
    expect(problemOf('a: 1\nb: 2\na: 3\n')).toMatchObject({ code: 'DUPLICATE_KEY', line: 3, column: 1 });
    expect(parseYamlWithPositions('1: a\n"1": b\n')).not.toHaveProperty('problems');
  });
});
