import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { BUNDLE_ITEMS, collectScript } from './collect-script.ts';

describe('the collect script', () => {
  test('is POSIX sh that dash parses (sh -n), with a shebang and no bash-only syntax', () => {
    const result = spawnSync('dash', ['-n'], { input: collectScript(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(collectScript()).toMatch(/^#!\/bin\/sh\n/);
    expect(collectScript()).not.toMatch(/\[\[|\$\{[a-z_]+\/\/|<<<|\bfunction\b|\blocal\b/);
  });

  test('names every bundle item exactly once, so capture reads what the script wrote', () => {
    for (const name of BUNDLE_ITEMS) {
      const writes = collectScript().match(new RegExp(`(item|emit) ${name} `, 'g')) ?? [];
      expect(writes.length, name).toBeGreaterThanOrEqual(1);
    }
  });
  // Its run with dash in a lab container: test/scenarios/capture.test.ts.
});
