/**
 * The generator's output for every golden case, compared byte for byte with the files in test/golden/.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { GOLDEN_DIR, goldenCases } from './golden-cases.test-helpers.ts';

// UPDATE_GOLDEN=1 rewrites the files; review the diff before checking them in. In CI it is refused: a
// run that rewrites its own expectations would pass whatever the generator does.
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
if (UPDATE && process.env['CI']) throw new Error('UPDATE_GOLDEN=1 is refused in CI (CI is set): update golden files locally and review the diff.');

function checkGolden(file: string, actual: string | null): void {
  const path = join(GOLDEN_DIR, file);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    if (actual === null) rmSync(path, { force: true });
    else writeFileSync(path, actual);
    return;
  }
  if (actual === null) {
    expect(existsSync(path), `${file} should not exist: this ruleset has no IPv6 side`).toBe(false);
    return;
  }
  expect(existsSync(path), `${file} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('generated rulesets match the golden files', () => {
  for (const c of goldenCases()) {
    it(c.name, () => {
      const out = c.generate();
      checkGolden(`${c.name}.rules.v4`, out.v4);
      checkGolden(`${c.name}.rules.v6`, out.v6);
      checkGolden(`${c.name}.firewall.sh`, out.shell);
    });
  }

  it('is deterministic', () => {
    for (const c of goldenCases()) expect(c.generate()).toEqual(c.generate());
  });
});
