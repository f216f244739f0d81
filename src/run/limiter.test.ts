import { describe, expect, it } from 'vitest';
import { acquireSlot, createLimiter, settledAtOnce } from './limiter.ts';

describe('createLimiter', () => {
  it('never runs more than its limit at once, and runs everything in order', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        limit(async () => {
          started.push(i);
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running--;
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('passes a rejection to its caller and keeps going', async () => {
    const limit = createLimiter(1);
    const failing = limit(() => Promise.reject(new Error('boom')));
    const next = limit(async () => 'after');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });
});

describe('acquireSlot', () => {
  it('holds a slot until released, once, whatever the number of releases', async () => {
    const limit = createLimiter(1);
    const first = await acquireSlot(limit);
    let second: (() => void) | null = null;
    const waiting = acquireSlot(limit).then((release) => (second = release));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second).toBeNull();
    first();
    first();
    await waiting;
    expect(second).not.toBeNull();
    // The double release above freed one slot, not two: a third waits for the second's release.
    let third = false;
    void acquireSlot(limit).then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    second!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(third).toBe(true);
  });
});

describe('settledAtOnce', () => {
  it('is true for a slot free at once and false for one that must be waited for', async () => {
    const limit = createLimiter(1);
    const first = acquireSlot(limit);
    expect(await settledAtOnce(first)).toBe(true);
    const second = acquireSlot(limit);
    expect(await settledAtOnce(second)).toBe(false);
    (await first)();
    expect(await settledAtOnce(second)).toBe(true);
  });
});
