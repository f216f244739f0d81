/** The machine-wide lab limit: a full set of slots makes the next lab wait, and a dead owner's slot is taken over. */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { acquireLabSlot, labLimit } from './slots.ts';

const folder = () => mkdtemp(join(tmpdir(), 'fwprobe-slots-test-'));

describe('lab slots', () => {
  it('a third lab waits while two hold the two slots, and starts once one is released', async () => {
    const dir = await folder();
    const a = await acquireLabSlot({ max: 2, dir });
    const b = await acquireLabSlot({ max: 2, dir });
    let started = false;
    const c = acquireLabSlot({ max: 2, dir }).then((release) => {
      started = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(started).toBe(false);
    await a();
    const release = await c;
    expect(started).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['slot-0', 'slot-1']);
    await Promise.all([b(), release(), release()]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a slot left by a process that no longer exists is taken over; a live process's slot is not", async () => {
    const dir = await folder();
    // A pid that existed and is gone: a finished child's.
    const dead = spawnSync('true').pid!;
    await writeFile(join(dir, 'slot-0'), String(dead));
    const release = await acquireLabSlot({ max: 1, dir });
    await release();
    await writeFile(join(dir, 'slot-0'), String(process.pid));
    const stop = new AbortController();
    const waiting = Promise.race([acquireLabSlot({ max: 1, dir, signal: stop.signal }).then(() => 'acquired'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(await waiting).toBe('waiting');
    stop.abort();
  });

  it('Infinity takes no slot: the folder stays empty', async () => {
    const dir = await folder();
    const release = await acquireLabSlot({ max: Infinity, dir });
    expect(await readdir(dir)).toEqual([]);
    await release();
  });

  it('FWPROBE_LABS sets the limit; anything but a whole number ≥ 1 falls back to 2 × CPUs', () => {
    expect(labLimit({ FWPROBE_LABS: '3' })).toBe(3);
    expect(labLimit({ FWPROBE_LABS: '0' })).toBe(labLimit({}));
    expect(labLimit({ FWPROBE_LABS: 'many' })).toBe(labLimit({}));
    expect(labLimit({})).toBeGreaterThanOrEqual(2);
  });
});
