import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureTargetImage } from '../../src/lab/image.ts';
import { sweepStale } from '../../src/lab/cleanup.ts';
import { ensureDockerEngine } from '../../src/run/docker-up.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    fwprobeImage: string;
    /** This run's folder of scenario results shared between test files (shared-runs.ts). */
    fwprobeRuns: string;
  }
}

/**
 * Once per `vitest run`: an engine that answers (started where fwprobe can), sweep what killed runs left, build the target image if `containers/` changed,
 * and hand its tag to the test files, with a fresh folder for the results they share (shared-runs.ts). At the end, sweep again: worker processes are gone by then, so
 * anything a crashed worker left is stale.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // `npm test` on a fresh root Debian/Ubuntu machine brings the engine up itself (scripts/docker-up.sh).
  await ensureDockerEngine({ start: true });
  const swept = await sweepStale();
  if (swept.containers + swept.networks > 0) {
    console.log(`fwprobe: removed ${swept.containers} container(s), ${swept.networks} network(s) left by killed runs`);
  }
  const image = await ensureTargetImage({ log: (line) => console.log(`fwprobe image: ${line}`) });
  project.provide('fwprobeImage', image);
  const runs = await mkdtemp(join(tmpdir(), 'fwprobe-shared-runs-'));
  project.provide('fwprobeRuns', runs);
  return async () => {
    await rm(runs, { recursive: true, force: true });
    await sweepStale();
  };
}
