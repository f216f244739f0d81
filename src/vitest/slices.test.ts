/** A describe title never carries a terminal escape: a file named `a\e[2K\r.scenario.yaml` would erase vitest's ✗ line. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredSlices } from './slices.ts';

describe('declaredSlices', () => {
  it('shows control characters of the file name, never sends them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'fwprobe-slices-')), 'scenarios');
    mkdirSync(dir);
    const file = join(dir, 'web\u001b[2K\r.scenario.yaml');
    writeFileSync(file, 'name: web01\n');
    const { title } = await declaredSlices(file);
    expect(title).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(title).toContain('web');
  });
});
