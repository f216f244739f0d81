/**
 * A container's commands when the engine never answers the agent's own exec (a hung dockerd, seen as a
 * Docker socket that stalled that one call): every command and batch still ends within its bound plus the
 * JS margin, and once the agent's start has had its exec bound, commands go by exec as without an agent.
 * Before, a batch awaited the channel outside any deadline and never returned.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { DEFAULT_BOUNDS } from '../model/bounds.ts';
import { ContainerCommands, type ExecResult } from './container-commands.ts';

const started = vi.hoisted(() => ({ count: 0 }));

vi.mock('./agent.ts', () => ({
  AgentChannel: {
    // The engine takes the exec and never answers it.
    start: () => {
      started.count++;
      return new Promise(() => {});
    },
  },
}));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

type State<T> = { value: T } | { code: unknown } | 'pending';

/** Follows `promise` from now on (no unhandled rejection): how it stands when asked. */
function track<T>(promise: Promise<T>): () => State<T> {
  let state: State<T> = 'pending';
  promise.then(
    (value) => (state = { value }),
    (error: { code?: unknown }) => (state = { code: error.code }),
  );
  return () => state;
}

test('a batch and a run end within their bound plus 5 s when the agent never starts, and later commands go by exec', async () => {
  const execs: string[][] = [];
  const exec = async (command: string[]): Promise<ExecResult> => {
    execs.push(command);
    return { exitCode: 0, stdout: command.at(-1) ?? '', stderr: '' };
  };
  const commands = new ContainerCommands({ id: 'c0ffee', bounds: { ...DEFAULT_BOUNDS, exec: 20_000 }, exec }, { agent: true });
  commands.warmUp();
  const batch = track(commands.runBatch([['true']], { stopOnFailure: false, timeoutMs: 1000, phase: 'the batch' }));
  const run = track(commands.run(['true'], { timeoutMs: 1000 }));
  // The batch waited for the channel with no deadline at all: it stayed pending, for ever.
  await vi.advanceTimersByTimeAsync(6_000);
  expect([batch(), run()]).toEqual([{ code: 'TIMEOUT' }, { code: 'TIMEOUT' }]);
  // Past the exec bound the channel's start counts as failed: commands run as execs, each under `timeout`.
  await vi.advanceTimersByTimeAsync(20_000);
  const later = track(commands.run(['echo', 'by exec']));
  await vi.advanceTimersByTimeAsync(0);
  expect(later()).toEqual({ value: { exitCode: 0, stdout: 'by exec', stderr: '' } });
  expect(execs).toEqual([['timeout', '-k', '2', '20s', 'echo', 'by exec']]);
  expect(started.count).toBe(1);
});
