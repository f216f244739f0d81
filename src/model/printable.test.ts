/** Terminal-safe text: what escapes, what stays, and how a control character is named in a message. */
import { describe, expect, it } from 'vitest';
import { controlCharacterProblem, printable } from './printable.ts';

describe('printable', () => {
  it('escapes C0, DEL, C1 and bidi controls so they print as text', () => {
    expect(printable('ok\u001b[2J\u001b[32mPASSED')).toBe('ok\\x1b[2J\\x1b[32mPASSED');
    expect(printable('a\rb\u0000c\u007fd\u009be')).toBe('a\\rb\\x00c\\x7fd\\x9be');
    expect(printable('evil\u202etxt.sh')).toBe('evil\\u202etxt.sh');
  });

  it('escapes line breaks and tabs in one-line text, keeps them in multi-line text', () => {
    expect(printable('a\nb\tc')).toBe('a\\nb\\tc');
    expect(printable('a\nb\tc\u001b', { multiline: true })).toBe('a\nb\tc\\x1b');
  });

  it('leaves ordinary text, non-ASCII letters included, as it is, and is idempotent', () => {
    const text = 'Prüfung: ssh über IPv6 — ✓';
    expect(printable(text)).toBe(text);
    expect(printable(printable('x\u001by'))).toBe(printable('x\u001by'));
  });
});

describe('controlCharacterProblem', () => {
  it('names the first control character and its position, skipping the allowed ones', () => {
    expect(controlCharacterProblem('plain')).toBeNull();
    expect(controlCharacterProblem('ab\u001bc')).toBe('U+001B (escape) at character 3');
    expect(controlCharacterProblem('a\nb')).toBe('U+000A (line feed) at character 2');
    expect(controlCharacterProblem('a\nb\u009b', '\n\t')).toBe('U+009B (CSI) at character 4');
    expect(controlCharacterProblem('x\u0085')).toBe('U+0085 (a C1 control character) at character 2');
  });
});
