/**
 * The two ways a scenario ends that are not its verdict's: interrupted by SIGINT/SIGTERM, or a lab that could
 * not be removed (a leak on the user's machine, never a pass). Kept apart from run/scenario.ts, which orders.
 */
import { InterruptedError, LabCleanupError } from '../model/errors.ts';
import { RUN_ID } from '../lab/cleanup.ts';

export function interrupted(cause: unknown): InterruptedError {
  return new InterruptedError("interrupted (SIGINT/SIGTERM): the scenario stopped where it was, and this run's " + 'containers are being removed', { cause });
}

export function cleanupFailed(error: unknown): LabCleanupError {
  const inner = error instanceof AggregateError ? error.errors : [error];
  const reasons = inner.map((e) => (e instanceof Error ? e.message : String(e))).join('; ');
  return new LabCleanupError(`Removing the lab failed: ${reasons}. Remove what this run left with: ` + `docker rm -f $(docker ps -aq --filter label=fwprobe=${RUN_ID})`, { cause: error });
}
