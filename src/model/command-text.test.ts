import { describe, expect, it } from 'vitest';
import { describeCommandFailure, legacySyntaxHint } from './command-text.ts';

describe('command text', () => {
  it('names the legacy negation syntax and gives the modern form, and is silent on the modern one', () => {
    expect(legacySyntaxHint('-A INPUT -s ! 10.0.0.0/8 -j DROP')).toContain('"! -s 10.0.0.0/8"');
    expect(legacySyntaxHint('-A INPUT ! -i lo -j ACCEPT')).toBe('');
  });

  it('describes a failed command as execa does, quoting what a shell would split', () => {
    const text = describeCommandFailure(['sh', '-c', 'echo a b'], 2, 'boom\n', '');
    expect(text).toBe("Command failed with exit code 2: sh -c 'echo a b'\nstderr:\n  boom");
  });
});
