/**
 * Several commands in one `docker exec`: each exec is a round trip of about 60 ms, and a scenario used to
 * make twenty of them. Arguments travel as argv (never through a shell string), and each command's exit
 * code, stdout and stderr come back apart, base64-encoded so that no output can fake a marker.
 * A container whose agent lives runs its batches in the agent instead (container-commands.ts): this script is
 * for those without one (the lab switch, the script sidecar, an image without it, an agent that was killed).
 */
import { CommandOutputError } from '../model/errors.ts';

/** A command's outcome inside a batch. */
export interface StepResult {
  command: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

// bash reads: COUNT ARG… COUNT ARG…; STOP=1 ends the batch at the first failing command.
const BATCH_SCRIPT = `
stop=$1; shift
tmp=$(mktemp -d) || exit 97
while [ $# -gt 0 ]; do
  n=$1; shift
  cmd=("\${@:1:n}"); shift "$n"
  "\${cmd[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
  printf '@@STEP %d\\n' "$rc"
  # base64 of nothing is nothing: an empty stream costs no process (most steps print nothing on stderr).
  if [ -s "$tmp/out" ]; then base64 -w0 <"$tmp/out"; fi; printf '\\n'
  if [ -s "$tmp/err" ]; then base64 -w0 <"$tmp/err"; fi; printf '\\n'
  if [ "$stop" = 1 ] && [ "$rc" -ne 0 ]; then break; fi
done
rm -rf "$tmp"
`;

/** The argv that runs `commands` in one exec. */
export function batchCommand(commands: readonly (readonly string[])[], options: { stopOnFailure: boolean }): string[] {
  const args = commands.flatMap((command) => [String(command.length), ...command]);
  return ['bash', '-c', BATCH_SCRIPT, 'fwprobe-batch', options.stopOnFailure ? '1' : '0', ...args];
}

/**
 * Reads the batch's stdout back into one result per command that ran. With `stopOnFailure`, commands after
 * the first failure did not run and have no result.
 * @throws CommandOutputError when the output is not what the batch script writes (the batch itself failed).
 */
export function parseBatchOutput(commands: readonly (readonly string[])[], stdout: string): StepResult[] {
  const lines = stdout.split('\n');
  const results: StepResult[] = [];
  for (let i = 0; i + 2 < lines.length && results.length < commands.length; i += 3) {
    const header = /^@@STEP (\d+)$/.exec(lines[i] ?? '');
    if (!header) throw new CommandOutputError(`batch output is malformed at line ${i + 1}: ${JSON.stringify(lines[i])}`);
    results.push({
      command: [...commands[results.length]!],
      exitCode: Number(header[1]),
      stdout: Buffer.from(lines[i + 1] ?? '', 'base64').toString('utf8'),
      stderr: Buffer.from(lines[i + 2] ?? '', 'base64').toString('utf8'),
    });
  }
  return results;
}
