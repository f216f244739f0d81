/**
 * testcontainers' reaper (Ryuk) is turned off where its image is absent: fwprobe removes what it creates
 * itself.
 */
import { imageExists } from './image.ts';

const DEFAULT_RYUK_IMAGE = 'testcontainers/ryuk:0.14.0';
let configured: Promise<void> | undefined;

/**
 * Ryuk (testcontainers' reaper) needs its image; without a registry it cannot be pulled and every start
 * would fail. Where the image is absent, Ryuk is turned off and fwprobe's own cleanup (labels, tracked
 * removal, signal handlers, the stale sweep) does its job. An explicit TESTCONTAINERS_RYUK_DISABLED wins.
 */
export function configureReaper(): Promise<void> {
  configured ??= (async () => {
    if (process.env.TESTCONTAINERS_RYUK_DISABLED !== undefined) return;
    const image = process.env.RYUK_CONTAINER_IMAGE ?? DEFAULT_RYUK_IMAGE;
    if (!(await imageExists(image))) process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  })();
  return configured;
}
