/**
 * Where a scenario's time goes besides nmap: `docker exec` round trips. The benchmark counts every
 * command fwprobe runs in a container (by the tool it calls) and measures what one round trip costs.
 * Counting wraps `StartedFwprobeContainer.prototype.run` and `copyContentToContainer` in this process
 * only; behaviour is unchanged.
 */
import { FwprobeContainer, StartedFwprobeContainer } from '../src/lab/container.ts';
import { median, timed } from './measure.ts';

const counts = new Map<string, number>();

function bump(tool: string): void {
  counts.set(tool, (counts.get(tool) ?? 0) + 1);
}

/** Installs the counters once. */
export function countContainerCalls(): void {
  const proto = StartedFwprobeContainer.prototype;
  const run = proto.run;
  proto.run = function (this: StartedFwprobeContainer, ...args: Parameters<typeof run>) {
    const [command] = args;
    // `sh -c 'setsid nohup fwprobe-listener …'` and friends are named by what the script starts.
    bump(command[0] === 'sh' ? `sh:${command[3] ?? command[2]?.split(' ')[0] ?? ''}` : (command[0] ?? '?'));
    // Every argument passed on: the options carry the command's bound.
    return run.apply(this, args);
  };
  const copy = proto.copyContentToContainer;
  proto.copyContentToContainer = function (this: StartedFwprobeContainer, ...args: Parameters<typeof copy>) {
    bump('(copy to container)');
    return copy.apply(this, args);
  };
}

/** Counts since the last call, e.g. `{ nmap: 4, ss: 6, … }`, and resets them. */
export function takeCallCounts(): Record<string, number> {
  const out = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
  counts.clear();
  return out;
}

/** Median time of `n` runs of `true` through fwprobe's exec path, in a fresh container: one round trip. */
export async function execRoundTripMs(image: string, n = 10): Promise<number> {
  await using container = await new FwprobeContainer(image).start();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push((await timed(() => container.run(['true']))).ms);
  return median(samples);
}
