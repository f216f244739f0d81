import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { batchCommand, parseBatchOutput } from './batch.ts';

// The batch script is plain bash: run it on this machine, the same way the container runs it.
function runBatch(commands: string[][], stopOnFailure: boolean) {
  const [file, ...args] = batchCommand(commands, { stopOnFailure });
  let stdout: string;
  try {
    stdout = execFileSync(file!, args, { encoding: 'utf8' });
  } catch (error) {
    stdout = (error as { stdout: string }).stdout;
  }
  return parseBatchOutput(commands, stdout);
}

describe('batch', () => {
  const commands = [
    ['printf', 'a\\n@@STEP 0\\nb'],
    ['sh', '-c', 'echo oops >&2; exit 3'],
    ['echo', "it's $HOME; `x`"],
  ];

  it('returns each command’s exit code, stdout and stderr apart, argv passed verbatim', () => {
    const results = runBatch(commands, false);
    expect(results.map((r) => [r.exitCode, r.stdout, r.stderr])).toEqual([
      [0, 'a\n@@STEP 0\nb', ''],
      [3, '', 'oops\n'],
      [0, "it's $HOME; `x`\n", ''],
    ]);
    expect(results[2]!.command).toEqual(commands[2]);
  });

  it('stops at the first failure when asked, and the rest have no result', () => {
    expect(runBatch(commands, true).map((r) => r.exitCode)).toEqual([0, 3]);
  });

  it('rejects output it did not write', () => {
    expect(() => parseBatchOutput(commands, 'bash: something went wrong\nx\ny\n')).toThrow(/malformed at line 1/);
  });
});
