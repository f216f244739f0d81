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
  test('FWPROBE_COLLECT_BUDGET bounds the script: 0 starts no command; a value that is no number is the default', () => {
    const run = (budget: string) => {
      const result = spawnSync('dash', ['-s'], { input: collectScript(), encoding: 'utf8', env: { ...process.env, FWPROBE_COLLECT_BUDGET: budget }, timeout: 30_000 });
      expect(result.status, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { items: Record<string, { status: string }> }).items;
    };
    const none = run('0');
    expect(Object.entries(none).filter(([, item]) => item.status !== 'skipped' && item.status !== 'missing')).toEqual([]);
    expect(run('1;reboot').uid?.status).toBe('ok');
  });

  // Its run with dash in a lab container: test/scenarios/capture.test.ts.
});
