import { describe, expect, it } from 'vitest';
import { checkInterface, checkText } from './values.ts';

describe('checkInterface', () => {
  it('accepts interface names and refuses what iptables would read as an option or a wildcard', () => {
    for (const ok of ['eth0', 'enp0s31f6', 'br-1a2b', 'wg0.10']) expect(checkInterface(ok)).toBeNull();
    for (const bad of ['-j', '--syn', '+', '.', '..', 'eth0 ', 'a'.repeat(16)]) {
      expect(checkInterface(bad), bad).not.toBeNull();
    }
    expect(checkInterface('-j')).toContain('starting with a letter or digit');
  });
});

describe('checkText', () => {
  it('names an invisible character by its code point', () => {
    expect(checkText('a\u00a0b', 29, 'log prefix')).toContain('U+00A0');
    expect(checkText('eth\u200b', 29, 'log prefix')).toContain('U+200B');
  });
});
