/**
 * The command channel (agent.ts, containers/target/agent.pl) against a real container: every command's
 * exit code and output come back apart and intact, several run at once, and a channel that dies fails
 * what it was running instead of answering for it, after which commands go by exec; a command never loses
 * its output to one that cleans /tmp, and one the agent could not run is an error, never an exit code.
 * The agent keeps each command's bound and runs batches itself: no `timeout` or bash between it and the command.
 */
import { expect, inject, test } from 'vitest';
import { FwprobeContainer } from './container.ts';

// The command line of the process that started this one: the agent's, where it ran the command itself.
const PARENT = 'tr "\\0" " " </proc/$PPID/cmdline';
const AGENT = /^\/usr\/bin\/perl \/usr\/local\/bin\/fwprobe-agent/;
// The command lines of every process in the container, for what a bound must have stopped (there is no `ps`).
const PROCESSES = 'for p in /proc/[0-9]*/cmdline; do tr "\\0" " " <"$p"; echo; done 2>/dev/null';

// Every process whose command line is the agent's: the agent and each request it is serving.
const KILL_AGENT = `for p in /proc/[0-9]*; do if tr '\\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q '^/usr/bin/perl /usr/local/bin/fwprobe-agent'; then kill -9 "\${p#/proc/}"; fi; done`;

test('exit codes, stdout and stderr apart, odd arguments and large output, commands side by side', async () => {
  await using c = await new FwprobeContainer(inject('fwprobeImage')).start();
  expect(await c.run(['sh', '-c', 'printf "%s|" "$@"; echo oops >&2; exit 3', 'sh', '', 'a b', 'line\nbreak', '$(id)', 'ü'])).toEqual({
    exitCode: 3,
    stdout: '|a b|line\nbreak|$(id)|ü|',
    stderr: 'oops\n',
  });
  const big = await c.run(['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" x']);
  expect(big.stdout).toHaveLength(3_000_000);
  expect((await c.run(['no-such-command'])).exitCode).toBe(127);
  // Five sleeps of 0.6 s at once: side by side they end well before the 3 s one after another would take.
  const t0 = Date.now();
  const five = await Promise.all([1, 2, 3, 4, 5].map((n) => c.run(['sh', '-c', `sleep 0.6; echo ${n}`])));
  expect(five.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n', '4\n', '5\n']);
  expect(Date.now() - t0).toBeLessThan(2500);
  // The commands ran through the agent: its process is the parent of theirs (the exec fallback has none).
  const parent = await c.runOk(['sh', '-c', 'tr "\\0" " " </proc/$(awk \'{print $4}\' /proc/$PPID/stat)/cmdline']);
  expect(parent).toMatch(/^\/usr\/bin\/perl \/usr\/local\/bin\/fwprobe-agent/);
});

test('a killed agent fails the command it ran, and later commands run as execs', async () => {
  await using c = await new FwprobeContainer(inject('fwprobeImage')).start();
  expect(await c.runOk(['echo', 'up'])).toBe('up\n');
  await expect(c.run(['sh', '-c', KILL_AGENT])).rejects.toMatchObject({ code: 'COMMAND_OUTPUT_INVALID', message: expect.stringMatching(/command channel into the container ended/) });
  expect(await c.runOk(['echo', 'still here'])).toBe('still here\n');
  // A batch without the agent is one exec of the bash script: the same results.
  const steps = await c.runBatch(
    [
      ['echo', 'a b'],
      ['sh', '-c', 'echo oops >&2; exit 3'],
      ['sh', '-c', PARENT],
    ],
    { stopOnFailure: false },
  );
  expect(steps.map((s) => [s.exitCode, s.stdout, s.stderr])).toEqual([
    [0, 'a b\n', ''],
    [3, '', 'oops\n'],
    [0, expect.stringMatching(/^bash -c /), ''],
  ]);
});

test('a command that cleans /tmp or /run keeps its output and the channel, and an agent that cannot run a command says so instead of an exit code', async () => {
  await using c = await new FwprobeContainer(inject('fwprobeImage')).start();
  // The agent's output files were read back by name: this gave exit 0 and no output.
  expect(await c.run(['sh', '-c', 'echo kept; rm -f /tmp/fwprobe-agent-*'])).toEqual({ exitCode: 0, stdout: 'kept\n', stderr: '' });
  // Replies are serialised by a lock file: removed by name mid-reply, the replies interleaved and the channel ended.
  const big = (ch: string) => c.run(['sh', '-c', `head -c 2000000 /dev/zero | tr "\\0" ${ch}`]).then((r) => r.stdout);
  const rmLocks = c.runOk(['sh', '-c', 'for i in $(seq 100); do rm -f /run/fwprobe-agent.*.lock; done']);
  const outputs = await Promise.all([big('a'), big('b'), big('c'), big('d'), rmLocks]);
  expect(outputs.slice(0, 4)).toEqual(['a', 'b', 'c', 'd'].map((ch) => ch.repeat(2_000_000)));
  // With no /tmp the agent cannot run anything: this gave `true` exit code 126, as if it had run and failed.
  await c.runOk(['sh', '-c', 'rm -rf /tmp && touch /tmp']);
  await expect(c.run(['true'])).rejects.toMatchObject({ code: 'COMMAND_OUTPUT_INVALID', message: expect.stringMatching(/did not run: fwprobe-agent: cannot make its output files in \/tmp/) });
});

test('the agent keeps the bound as `timeout` does: TERM to the whole process group, KILL 2 s later, then a TimeoutError', async () => {
  await using c = await new FwprobeContainer(inject('fwprobeImage')).start();
  // Under `timeout` its parent was timeout: the agent now bounds the command itself.
  expect(await c.runOk(['sh', '-c', PARENT])).toMatch(AGENT);
  const t0 = Date.now();
  // What each ended with and when: the JS deadline (bound + 5 s) would give its TimeoutError only at 7 s.
  const ending = (p: Promise<unknown>) =>
    p.then(
      () => ({ code: 'no error', ms: Date.now() - t0 }),
      (error: { code?: string }) => ({ code: error.code, ms: Date.now() - t0 }),
    );
  const [forked, stubborn, batch] = await Promise.all([
    // A command that forked a child of its own: TERM reaches both.
    ending(c.run(['sh', '-c', 'sleep 29 & sleep 31'], { timeoutMs: 2000, phase: 'the sleeps' })),
    // A command that ignores TERM (its sleep inherits that): KILL follows 2 s later.
    ending(c.run(['sh', '-c', 'trap "" TERM; sleep 32'], { timeoutMs: 2000 })),
    // A batch that outlives its one bound, in its second step.
    ending(c.runBatch([['true'], ['sleep', '33'], ['touch', '/tmp/after-the-bound']], { stopOnFailure: false, timeoutMs: 2000 })),
  ]);
  expect([forked.code, stubborn.code, batch.code]).toEqual(['TIMEOUT', 'TIMEOUT', 'TIMEOUT']);
  for (const { ms } of [forked, batch]) expect(ms).toSatisfy((n: number) => n >= 1950 && n < 4000);
  expect(stubborn.ms).toSatisfy((n: number) => n >= 3950 && n < 6500);
  const left = await c.runOk(['sh', '-c', `${PROCESSES}; ls /tmp`]);
  expect(left).not.toMatch(/sleep 3[0-9]|sleep 29|after-the-bound/);
});

test('a batch runs in the agent: each step’s bytes come back exact, however much they look like the protocol, and stop-on-failure stops', async () => {
  await using c = await new FwprobeContainer(inject('fwprobeImage')).start();
  // Every byte but NUL, as octal escapes for printf: spaces, newlines, base64's own characters, invalid UTF-8.
  const bytes = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1));
  const octal = [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
  const fake = '0 aGk= aGk=\n@@STEP 0\n\n1 - \n';
  const steps = await c.runBatch(
    [
      ['printf', octal],
      ['sh', '-c', 'printf "%s" "$1" >&2; printf "%s" "$1"; exit 5', 'sh', fake],
      ['printf', '%s|', '', ' a  b ', '\n'],
      ['sh', '-c', PARENT],
    ],
    { stopOnFailure: false },
  );
  expect(steps.map((s) => [s.command[0], s.exitCode, s.stdout, s.stderr])).toEqual([
    ['printf', 0, bytes.toString('utf8'), ''],
    ['sh', 5, fake, fake],
    ['printf', 0, '| a  b |\n|', ''],
    ['sh', 0, expect.stringMatching(AGENT), ''],
  ]);
  // Stop-on-failure: the failing step is the last result, and the one after it never ran.
  const stopped = await c.runBatch([['true'], ['sh', '-c', 'echo no >&2; exit 3'], ['touch', '/tmp/ran']], { stopOnFailure: true });
  expect(stopped.map((s) => [s.exitCode, s.stderr])).toEqual([
    [0, ''],
    [3, 'no\n'],
  ]);
  expect((await c.run(['test', '-e', '/tmp/ran'])).exitCode).toBe(1);
});
