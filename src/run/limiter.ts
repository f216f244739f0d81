/** A concurrency limiter: scenarios start in order, at most N at once, each in its own lab. */

/** Runs at most `concurrency` (≥ 1) tasks at once, in the order they were given. */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, Math.floor(concurrency));
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    running--;
    queue.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const start = () => {
        running++;
        task().then(resolve, reject).finally(release);
      };
      if (running < max) start();
      else queue.push(start);
    });
}

/**
 * Takes a slot of `limit` and returns its release, for a slot that is not one task's lifetime (a scenario
 * holds its scan slot from its lab being ready to its removal). Releasing twice is harmless.
 */
export function acquireSlot(limit: ReturnType<typeof createLimiter>): Promise<() => void> {
  return new Promise((acquired) => {
    void limit(
      () =>
        new Promise<void>((release) => {
          let done = false;
          acquired(() => {
            if (!done) release();
            done = true;
          });
        }),
    );
  });
}

/** Whether `promise` is fulfilled before the event loop turns: a slot that was free at once, not one waited for. */
export function settledAtOnce(promise: Promise<unknown>): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
}
