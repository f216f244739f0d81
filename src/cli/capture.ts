/**
 * `fwprobe capture [--from BUNDLE] --out DIR`: turns a host's bundle (what the collect script wrote; without
 * --from, the script is run on this machine, as root) into a scenario folder that reproduces the host in a
 * lab. The bundle is checked whole before a file is written, and the written scenario is loaded back as a
 * run would load it, so a capture never leaves a folder that `fwprobe run` refuses without saying so.
 * `fwprobe audit` captures through the same functions.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleInvalidError, CommandFailedError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { CAPTURED_SCENARIO_FILE, captureBundle, collectScript, MAX_BUNDLE_BYTES, type CaptureOutput } from '../scenario/bundle/index.ts';
import { Anonymiser } from '../scenario/bundle/anonymise.ts';
import { loadScenario } from '../scenario/load.ts';
import { readTextFile } from '../source/read-file.ts';
import { parseCommandArgs } from './args.ts';

export async function runCapture(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs('capture', args);
  const from = parsed.string('from');
  const out = parsed.string('out');
  if (parsed.positionals.length > 0) throw new UsageError(`capture takes no positional arguments, found ${parsed.positionals.join(' ')}`);
  if (!out) throw new UsageError('capture needs --out DIR');
  const text = from ? await readBundle(from) : collectHere();
  const anonymiser = parsed.flag('anonymise') ? new Anonymiser() : undefined;
  const captured = captureBundle(text, from ?? 'this machine', anonymiser ? { anonymiser } : {});
  const scenarioFile = await writeCaptured(captured, out);
  process.stdout.write(`wrote ${printable(scenarioFile)} and ${Object.keys(captured.files).length - 1} ruleset file(s)\n`);
  for (const note of captured.notes) process.stdout.write(`  note: ${printable(note)}\n`);
  process.stdout.write(`next: fwprobe run ${printable(scenarioFile)}  (fails on an IPv4/IPv6 difference); fwprobe baseline, then fwprobe check, holds the exposure\n`);
  return 0;
}

/**
 * Writes a capture's files into `out` and loads the scenario back as a run would. The files are written to a
 * staging folder inside `out` and loaded there first: a scenario the loader refuses (two links of one name,
 * a "global" 127.0.5.1/24 in a hostile bundle) leaves nothing in `out`, where it used to leave the refused
 * scenario and its ruleset files behind. @returns the scenario file.
 * @throws BundleInvalidError with the loader's reason, saying nothing was written.
 */
export async function writeCaptured(captured: CaptureOutput, out: string): Promise<string> {
  await mkdir(out, { recursive: true });
  const staging = await mkdtemp(join(out, '.fwprobe-capture-'));
  try {
    for (const [name, content] of Object.entries(captured.files)) await writeFile(join(staging, name), content);
    try {
      await loadScenario(join(staging, CAPTURED_SCENARIO_FILE));
    } catch (error) {
      const reason = (error as Error).message.split(staging).join(out);
      throw new BundleInvalidError(`the captured scenario is not one fwprobe can run, so nothing was written to ${out}: ${reason}`, { cause: error });
    }
    for (const name of Object.keys(captured.files)) await rename(join(staging, name), join(out, name));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return join(out, CAPTURED_SCENARIO_FILE);
}

/** A bundle file's text, size-bounded before it is read whole. */
export async function readBundle(from: string): Promise<string> {
  const read = await readTextFile(from, MAX_BUNDLE_BYTES);
  if ('problem' in read) throw new BundleInvalidError(`${from}: cannot read the bundle: ${read.problem.reason}`);
  return read.text;
}

/** The collect script run here, as on a server: the same bundle, read the same way (never trusted more). */
export function collectHere(): string {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new UsageError('reading this machine (no --from) needs root on Linux: run it with sudo, or give --from BUNDLE (the JSON `sh collect.sh` wrote)');
  }
  // The script bounds itself (4 s); this deadline only guards against a shell that never returns.
  const run = spawnSync('sh', ['-s'], { input: collectScript(), encoding: 'utf8', maxBuffer: MAX_BUNDLE_BYTES, timeout: 30_000 });
  if (run.status !== 0 || run.error) {
    throw new CommandFailedError(
      { command: ['sh', '-s', '(the collect script)'], exitCode: run.status ?? -1, stdout: '', stderr: run.stderr ?? String(run.error) },
      'The collect script failed on this machine.',
    );
  }
  return run.stdout;
}
