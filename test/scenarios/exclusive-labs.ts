/**
 * A test that times itself, or starves the machine on purpose, runs with no other lab on the machine:
 * every lab slot (src/lab/slots.ts) held, so the scenario files running beside it (vitest.config.ts) wait
 * to start theirs. Labs started meanwhile pass `labs: Infinity` (or are containers made by hand, which
 * take no slot). One holder at a time: two taking slots one by one could each hold some and wait forever
 * for the rest.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLabSlot, labLimit, type ReleaseSlot } from '../../src/lab/slots.ts';

/** Waits for every lab slot on the machine; the returned release frees them all. */
export async function holdEveryLabSlot(): Promise<ReleaseSlot> {
  const turn = await acquireLabSlot({ max: 1, dir: join(tmpdir(), 'fwprobe-lab-slots-exclusive') });
  const held: ReleaseSlot[] = [];
  for (let i = 0; i < labLimit(); i++) held.push(await acquireLabSlot());
  return async () => {
    await Promise.all(held.map((release) => release()));
    await turn();
  };
}
