/**
 * A promise raced against a bound: the one way fwprobe waits on anything that could hang (docker calls,
 * execs, scans, cleanup). The timer never keeps the process alive on its own.
 */
import { type Bounds, boundOption } from './bounds.ts';
import { TimeoutError } from './errors.ts';

/**
 * Resolves as `work` does, or rejects with a TimeoutError naming `phase` and the bound after `ms`.
 * `onTimeout` runs first (e.g. to kill what is still running); its own failure is ignored.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, phase: string, bound: keyof Bounds, onTimeout?: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void Promise.resolve()
        .then(onTimeout)
        .catch(() => {})
        .finally(() => reject(new TimeoutError(phase, ms, boundOption(bound))));
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
