/**
 * The Docker side of a run, as the CLI and the test suite need it: an engine that answers, no leftovers
 * from killed runs, the target image, and removal of everything this run made (also on Ctrl-C).
 */
import { installSignalCleanup, removeAllTracked, sweepStale } from '../lab/cleanup.ts';
import { ensureTargetImage } from '../lab/image.ts';
import { DEFAULT_BOUNDS } from '../model/bounds.ts';
import { withDeadline } from '../model/deadline.ts';
import { ensureDockerEngine } from './docker-up.ts';

export interface PrepareOptions {
  /** Image build progress. @default no output */
  log?: (line: string) => void;
  /** How long the image build may take, in ms. @default DEFAULT_BOUNDS.imageBuild */
  imageBuildMs?: number;
  /**
   * When no engine answers, start one where fwprobe can (root on Debian/Ubuntu, scripts/docker-up.sh);
   * otherwise, and when false, fail with the one command to run. @default false
   */
  startEngine?: boolean;
}

/** Checks the engine, sweeps what killed runs left, installs the signal handler, and returns the image tag. */
export async function prepareEngine(options: PrepareOptions = {}): Promise<string> {
  installSignalCleanup();
  await ensureDockerEngine({ start: options.startEngine ?? false });
  await sweepStale();
  const ms = options.imageBuildMs ?? DEFAULT_BOUNDS.imageBuild;
  return withDeadline(ensureTargetImage(options.log ? { log: options.log } : {}), ms, 'building the target image', 'imageBuild');
}

/** Removes every container and network this process created and has not removed yet. */
export async function removeEverything(): Promise<void> {
  await removeAllTracked();
}
