/**
 * A user's firewall script run with set -e semantics in a sidecar that shares the target's network
 * namespace (see script-sidecar.ts), under a bound; failures name the script line, tolerated ones and
 * processes left running are reported.
 */
import { relative } from 'node:path';
import { ScriptFailedError, ScriptLeftoversError, ScriptLineError } from '../model/errors.ts';
import { describeCommandFailure } from '../model/command-text.ts';
import type { Tolerated } from '../model/ruleset.ts';
import type { LoadedFile, ToleranceSpec } from '../model/scenario.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { copyScriptFolder, parseLeftovers, startSidecar, type Leftover } from './script-sidecar.ts';

const TOLERATE_PATH = '/run/fwprobe/tolerate';
const KILL_FAILED = '@@FWPROBE-KILL-FAILED@@';
const MARKER = /^@@FWPROBE-(FAILED|TOLERATED) line=(\d+) rc=(\d+)(?: idx=(\d+))?@@(.*)$/;
const ENDED = /^@@FWPROBE-ENDED rc=(\d+)@@$/;

/** What running the script left: tolerated failures, and what it left running (now killed). */
export interface ScriptOutcome {
  tolerated: Tolerated[];
  leftovers: Leftover[];
  /** What was copied next to the script. */
  copied: string;
}

/**
 * Runs a user's shell script with `set -e` semantics in a sidecar of the target. Failures matching a
 * tolerance are returned (to be shown in the report); any other failure throws ScriptLineError naming the
 * line. The sidecar, and anything the script left running in it, is gone when this returns.
 */
export async function applyScript(target: StartedFwprobeContainer, script: LoadedFile, tolerate: readonly ToleranceSpec[], leftoversAllowed: string | null = null): Promise<ScriptOutcome> {
  const file = relative(process.cwd(), script.path);
  const sidecar = await startSidecar(target);
  try {
    const { path, copied } = await copyScriptFolder(sidecar, script.path);
    await sidecar.copyContentToContainer([{ content: tolerate.map(toPattern).join('\n'), target: TOLERATE_PATH, mode: 0o600 }]);
    const command = ['fwprobe-run-script', path, TOLERATE_PATH];
    // What the script left running is listed and killed in the same exec, the moment it ends: a job that
    // changes the rules a second later must not get that second.
    const wrapped = ['sh', '-c', `"$@"; rc=$?; fwprobe-leftovers --kill || echo ${KILL_FAILED}; exit $rc`, 'sh', ...command];
    const result = await sidecar.run(wrapped, { timeoutMs: target.bounds.script, phase: `the ruleset script ${file}`, bound: 'script' });
    const leftovers = parseLeftovers(result.stdout);
    if (result.stdout.includes(KILL_FAILED)) {
      throw new ScriptFailedError(`${file} left processes that could not be killed: ${leftovers.map((l) => l.pid).join(', ')}.`);
    }
    if (leftovers.length > 0 && leftoversAllowed === null) {
      // On a real host these would go on changing the firewall after the state fwprobe is about to test.
      throw new ScriptLeftoversError(
        `${file} left ${leftovers.length} process(es) running when it ended, which would go on acting on a real host ` +
          `after the state fwprobe tests:\n${leftovers.map((l) => `  pid ${l.pid} ${l.exe}: ${l.command}`).join('\n')}\n` +
          'They were killed. Remove the background job, or, if it is harmless, add `leftovers: { allow: true, why: "…" }` to the ruleset.',
      );
    }
    const { tolerated, failure } = readMarkers(result.stderr, tolerate);
    if (failure) throw new ScriptLineError({ file, ...failure });
    const ended = result.stderr
      .split('\n')
      .map((line) => ENDED.exec(line))
      .find(Boolean);
    if (ended) {
      // No single line failed: the script's last command list returned non-zero, e.g. `[ -n "$X" ] && …`,
      // or bash itself gave up on the script (its message is in stderr).
      throw new ScriptFailedError(
        `${file} ended with status ${ended[1]}: its last command list returned non-zero (for example ` +
          '`[ -n "$VAR" ] && cmd` with an empty VAR), which `sh -e` also reports as a failure, or bash stopped it. ' +
          'End the script with a command that succeeds, or `exit 0`.' +
          stderrTail(result.stderr),
      );
    }
    if (result.exitCode !== 0) {
      // A script that ends with a failing `exit N` or dies by a signal leaves no marker.
      throw new ScriptFailedError(`${file} exited with code ${result.exitCode}.\n` + describeCommandFailure(command, result.exitCode, result.stderr, result.stdout));
    }
    return { tolerated, leftovers, copied };
  } finally {
    // Kills whatever the script left running: it must not change the target while it is scanned.
    await sidecar.remove();
  }
}

function stderrTail(stderr: string): string {
  const lines = stderr
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('@@FWPROBE-'))
    .slice(-5);
  return lines.length > 0 ? `\nstderr:\n  ${lines.join('\n  ')}` : '';
}

function toPattern(tolerance: ToleranceSpec): string {
  const regex = /^\/(.*)\/$/.exec(tolerance.match);
  // One pattern a line: a newline inside would split it into two.
  const body = (regex ? regex[1]! : tolerance.match).replaceAll('\n', ' ');
  return regex ? `r:${body}` : `s:${body}`;
}

function readMarkers(stderr: string, tolerate: readonly ToleranceSpec[]) {
  const tolerated: Tolerated[] = [];
  let failure: { line: number; command: string; exitCode: number; stderr: string } | null = null;
  let pending: string[] = [];
  for (const line of stderr.split('\n')) {
    const marker = MARKER.exec(line);
    if (!marker) {
      if (line.trim()) pending.push(line);
      continue;
    }
    const [, kind, lineNo, rc, idx, command] = marker;
    const entry = { line: Number(lineNo), command: command ?? '', exitCode: Number(rc) };
    if (kind === 'TOLERATED') {
      tolerated.push({ ...entry, why: tolerate[Number(idx)]?.why ?? '' });
    } else {
      failure = { ...entry, stderr: pending.join('\n') };
    }
    pending = [];
  }
  return { tolerated, failure };
}
