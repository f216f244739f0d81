/**
 * A user's firewall script run in the target with set -e semantics; failures name the script line,
 * tolerated ones are reported.
 */
import { relative } from 'node:path';
import { FwprobeError, ScriptLineError } from '../model/errors.ts';
import { describeCommandFailure, legacySyntaxHint } from '../model/command-text.ts';
import type { Tolerated } from '../model/ruleset.ts';
import type { LoadedFile, ToleranceSpec } from '../model/scenario.ts';

const SCRIPT_PATH = '/run/fwprobe/firewall.sh';
const TOLERATE_PATH = '/run/fwprobe/tolerate';
const MARKER = /^@@FWPROBE-(FAILED|TOLERATED) line=(\d+) rc=(\d+)(?: idx=(\d+))?@@(.*)$/;
const ENDED = /^@@FWPROBE-ENDED rc=(\d+)@@$/;

/** Runs a command in the target; never throws on a non-zero exit. */
export interface ScriptHost {
  run(command: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  copyContentToContainer(files: { content: string; target: string; mode?: number }[]): Promise<void>;
}

/**
 * Runs a user's shell script in the target with `set -e` semantics. Failures matching a tolerance are
 * returned (to be shown in the report); any other failure throws ScriptLineError naming the line.
 */
export async function applyScript(
  host: ScriptHost,
  script: LoadedFile,
  tolerate: readonly ToleranceSpec[],
): Promise<Tolerated[]> {
  const file = relative(process.cwd(), script.path);
  await host.copyContentToContainer([
    { content: script.text, target: SCRIPT_PATH, mode: 0o700 },
    { content: tolerate.map(toPattern).join('\n'), target: TOLERATE_PATH, mode: 0o600 },
  ]);
  const command = ['fwprobe-run-script', SCRIPT_PATH, TOLERATE_PATH];
  const result = await host.run(command);
  const { tolerated, failure } = readMarkers(result.stderr, tolerate);
  if (failure) throw new ScriptLineError({ file, ...failure });
  const ended = result.stderr.split('\n').map((line) => ENDED.exec(line)).find(Boolean);
  if (ended) {
    // No single line failed: the script's last command list returned non-zero, e.g. `[ -n "$X" ] && …`.
    throw new FwprobeError(
      'RULESET_SCRIPT_FAILED',
      `${file} ended with status ${ended[1]}: its last command list returned non-zero (for example ` +
        '`[ -n "$VAR" ] && cmd` with an empty VAR), which `sh -e` also reports as a failure. ' +
        'End the script with a command that succeeds, or `exit 0`.',
    );
  }
  if (result.exitCode !== 0) {
    // A script that ends with a failing `exit N` or dies by a signal leaves no marker.
    throw new FwprobeError(
      'RULESET_SCRIPT_FAILED',
      `${file} exited with code ${result.exitCode}.\n` +
        describeCommandFailure(command, result.exitCode, result.stderr, result.stdout),
    );
  }
  return tolerated;
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
