/**
 * A scenario's name and description reach terminals and CI logs: control characters in them are load errors
 * naming the field and the character (a description may span lines).
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';

const file = '/tmp/fwprobe-control/x.scenario.yaml';
const base = { name: 'n', ruleset: { none: true }, parity: 'strict', ports: { tcp: [22] } } as const;

async function issuesOf(input: Record<string, unknown>): Promise<string[]> {
  const error = await normaliseScenario({ ...base, ...input }, { file }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('control characters in name and description', () => {
  it('an ANSI escape in the name is rejected, naming the field, the character and where it is', async () => {
    expect(await issuesOf({ name: 'ok\u001b[2J\u001b[32mPASSED' })).toEqual(['name: expected a name without control characters (a name is printed as one line), got U+001B (escape) at character 3']);
  });

  it.each([
    ['a line feed', 'two\nlines', 'U+000A (line feed) at character 4'],
    ['a carriage return', 'FAILED\rPASSED', 'U+000D (carriage return) at character 7'],
    ['a tab', 'a\tb', 'U+0009 (tab) at character 2'],
    ['a C1 CSI', 'x\u009b31m', 'U+009B (CSI) at character 2'],
  ])('%s in the name is rejected', async (_, name, where) => {
    expect(await issuesOf({ name })).toEqual([`name: expected a name without control characters (a name is printed as one line), got ${where}`]);
  });

  it('a description may span lines and hold tabs, but not escapes', async () => {
    const s = await normaliseScenario({ ...base, description: 'first line\n\tsecond line\n' }, { file });
    expect(s.description).toBe('first line\n\tsecond line');
    expect(await issuesOf({ description: 'fine\n\u001b]0;pwned\u0007' })).toEqual([
      'description: expected a description without control characters (line breaks and tabs are fine), got U+001B (escape) at character 6',
    ]);
  });

  it('ordinary Unicode is fine', async () => {
    const s = await normaliseScenario({ ...base, name: 'Prüfung: ssh über IPv6 — nur 22 ✓' }, { file });
    expect(s.name).toBe('Prüfung: ssh über IPv6 — nur 22 ✓');
  });
});
