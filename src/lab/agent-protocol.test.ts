// The agent's request and reply lines: arguments and outputs cannot fake a field, and a reply that is not
// exactly what the agent writes is unreadable (null), never a result.
import { expect, test } from 'vitest';
import { batchRequest, readBatchReply, readRunReply, runRequest } from './agent-protocol.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const bound = { seconds: 2, killAfterSeconds: 2 };

test('a run request carries the bound in whole seconds (at least 1) and each argument as one base64 field', () => {
  expect(runRequest(7, ['sh', '-c', 'a b\n1 0', ''], { seconds: 1.2, killAfterSeconds: 0 })).toBe(`7 run 2 1 ${b64('sh')} ${b64('-c')} ${b64('a b\n1 0')} `);
});

test('a batch request gives each command its argument count, so the fields split back into the same commands', () => {
  const line = batchRequest(3, [['true'], ['printf', '2 x', '']], { ...bound, stopOnFailure: true });
  expect(line).toBe(`3 batch 2 2 1 1 ${b64('true')} 3 ${b64('printf')} ${b64('2 x')} `);
  expect(line.split(' ')).toHaveLength(11);
  expect(batchRequest(3, [['true']], { ...bound, stopOnFailure: false }).split(' ')[4]).toBe('0');
});

test('a run reply: exit code and outputs, an agent failure as its message, anything else unreadable', () => {
  expect(readRunReply(['3', b64('a b\n@@STEP 0'), ''])).toEqual({ exitCode: 3, stdout: 'a b\n@@STEP 0', stderr: '' });
  expect(readRunReply(['-', '', b64('fwprobe-agent: fork: no memory\n')])).toEqual({ failed: 'fwprobe-agent: fork: no memory\n' });
  // Too few or too many fields, an exit that is not digits, an output that is not base64, a failure with output.
  for (const bad of [
    ['0', ''],
    ['0', '', '', ''],
    ['x', '', ''],
    ['-1', '', ''],
    ['0', 'not base64!', ''],
    ['-', 'aGk=', ''],
  ]) {
    expect(readRunReply(bad)).toBeNull();
  }
});

test('a batch reply: one result per step that ran, never more than were sent, and its own exit code', () => {
  const fields = ['0', '0', b64('x'), '', '5', '', b64('oops\n')];
  expect(readBatchReply(fields, 3)).toEqual({
    exitCode: 0,
    steps: [
      { exitCode: 0, stdout: 'x', stderr: '' },
      { exitCode: 5, stdout: '', stderr: 'oops\n' },
    ],
  });
  expect(readBatchReply(['124', '0', '', ''], 2)).toEqual({ exitCode: 124, steps: [{ exitCode: 0, stdout: '', stderr: '' }] });
  expect(readBatchReply(['0'], 1)).toEqual({ exitCode: 0, steps: [] });
  expect(readBatchReply(['-', '', b64('no /tmp')], 1)).toEqual({ failed: 'no /tmp' });
  // More steps than commands, a step cut short, a step exit that is not digits, an output that is not base64.
  expect(readBatchReply(fields, 1)).toBeNull();
  expect(readBatchReply(fields.slice(0, 6), 3)).toBeNull();
  expect(readBatchReply(['0', '-', '', ''], 1)).toBeNull();
  expect(readBatchReply(['0', '0', 'a b', ''], 1)).toBeNull();
  expect(readBatchReply([], 1)).toBeNull();
});
