/**
 * The command channel (agent.ts, containers/target/agent.pl) against a real container: every command's
 * exit code and output come back apart and intact, several run at once, and a channel that dies fails
 * what it was running instead of answering for it, after which commands go by exec; a command never loses
 * its output to one that cleans /tmp, and one the agent could not run is an error, never an exit code.
 */
import { expect, inject, test } from 'vitest';
import { FwprobeContainer } from './container.ts';

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
