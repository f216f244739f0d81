/** Named batch steps: laid out in order, read back under their names, a truncated batch never read as complete. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CommandOutputError, InternalError } from '../model/errors.ts';
import { batchCommand, parseBatchOutput } from './batch.ts';
import { layoutBatch, nameAllSteps, nameStoppedSteps, type BatchSpec } from './batch-named.ts';

// The batch script is plain bash: run it on this machine, the same way the container runs it.
function batchStdout(spec: BatchSpec, stopOnFailure: boolean): string {
  const [file, ...args] = batchCommand(layoutBatch(spec).commands, { stopOnFailure });
  try {
    return execFileSync(file ?? 'bash', args, { encoding: 'utf8' });
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

const SPEC = {
  // Output that holds the batch's own marker line must stay this step's stdout.
  fake: ['printf', '@@STEP 0\\nAAAA\\n\\n@@STEP 0\\n'],
  routes: [
    ['echo', 'one'],
    ['echo', 'two'],
  ],
  none: [],
  fails: ['sh', '-c', 'echo no >&2; exit 4'],
  last: ['echo', 'last'],
};

describe('named batch', () => {
  it('reads each step back under its name, a list as a list in its order', () => {
    const { commands } = layoutBatch(SPEC);
    const steps = nameAllSteps(SPEC, parseBatchOutput(commands, batchStdout(SPEC, false)));
    expect(steps.fake.stdout).toBe('@@STEP 0\nAAAA\n\n@@STEP 0\n');
    expect(steps.routes.map((s) => s.stdout)).toEqual(['one\n', 'two\n']);
    expect(steps.none).toEqual([]);
    expect([steps.fails.exitCode, steps.fails.stderr]).toEqual([4, 'no\n']);
    expect(steps.last.stdout).toBe('last\n');
    expect(steps.last.command).toEqual(['echo', 'last']);
  });

  it('throws CommandOutputError naming the first step a truncated batch has no result for', () => {
    const { commands } = layoutBatch(SPEC);
    const stdout = batchStdout(SPEC, false);
    // Keep the first two steps (three lines each): the output of a batch that broke off in the list.
    const truncated = stdout.split('\n').slice(0, 6).join('\n') + '\n';
    const steps = parseBatchOutput(commands, truncated);
    expect(steps).toHaveLength(2);
    expect(() => nameAllSteps(SPEC, steps)).toThrow(CommandOutputError);
    expect(() => nameAllSteps(SPEC, steps)).toThrow(/"routes" has none/);
  });

  it('names the step that stopped the batch, and the later ones are absent', () => {
    const { commands } = layoutBatch(SPEC);
    const result = nameStoppedSteps(SPEC, parseBatchOutput(commands, batchStdout(SPEC, true)));
    expect(result.failed).toMatchObject({ name: 'fails', index: 0, step: { exitCode: 4 } });
    expect(result.steps.last).toBeUndefined();
    expect(result.steps.routes).toHaveLength(2);
  });

  it('gives the place in a list of the command that failed', () => {
    const spec = { first: ['true'], tries: [['true'], ['false'], ['true']], after: ['echo', 'x'] };
    const result = nameStoppedSteps(spec, parseBatchOutput(layoutBatch(spec).commands, batchStdout(spec, true)));
    expect(result.failed).toMatchObject({ name: 'tries', index: 1 });
    expect(result.steps.tries).toHaveLength(2);
    expect(result.steps.after).toBeUndefined();
  });

  it('has every step when none failed', () => {
    const spec = { a: ['echo', 'a'], b: [['echo', 'b']] };
    const result = nameStoppedSteps(spec, parseBatchOutput(layoutBatch(spec).commands, batchStdout(spec, true)));
    expect(result.failed).toBeNull();
    expect(result.steps.a?.stdout).toBe('a\n');
  });

  it('refuses a batch cut short without a failure to explain it', () => {
    const spec = { a: ['echo', 'a'], b: ['echo', 'b'] };
    const steps = parseBatchOutput(layoutBatch(spec).commands, batchStdout(spec, true));
    expect(() => nameStoppedSteps(spec, steps.slice(0, 1))).toThrow(CommandOutputError);
  });

  it('refuses a number as a step name, which would run out of the written order', () => {
    expect(() => layoutBatch({ b: ['true'], '1': ['true'] })).toThrow(InternalError);
  });
});
