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
