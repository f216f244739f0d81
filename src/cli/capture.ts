/**
 * `fwprobe capture --from BUNDLE --out DIR`: turns a host's bundle (what the collect script wrote) into a
 * scenario folder that reproduces the host in a lab. The bundle is checked whole before a file is written,
 * and the written scenario is loaded back as a run would load it, so a capture never leaves a folder that
 * `fwprobe run` refuses without saying so.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleInvalidError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { CAPTURED_SCENARIO_FILE, captureBundle, MAX_BUNDLE_BYTES } from '../scenario/bundle/index.ts';
import { loadScenario } from '../scenario/load.ts';
import { readTextFile } from '../source/read-file.ts';
import { parseCommandArgs } from './args.ts';

export async function runCapture(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs('capture', args);
  const from = parsed.string('from');
  const out = parsed.string('out');
  if (parsed.positionals.length > 0) throw new UsageError(`capture takes no positional arguments, found ${parsed.positionals.join(' ')}`);
  // Capturing the machine fwprobe runs on (no --from) is not built yet: say so rather than guess.
  if (!from) throw new UsageError('capture needs --from BUNDLE (the JSON `sh collect.sh` wrote; get the script with `fwprobe collect`)');
  if (!out) throw new UsageError('capture needs --out DIR');
  const read = await readTextFile(from, MAX_BUNDLE_BYTES);
  if ('problem' in read) throw new BundleInvalidError(`${from}: cannot read the bundle: ${read.problem.reason}`);
  const captured = captureBundle(read.text, from);
  await mkdir(out, { recursive: true });
  for (const [name, content] of Object.entries(captured.files)) await writeFile(join(out, name), content);
  const scenarioFile = join(out, CAPTURED_SCENARIO_FILE);
  await loadScenario(scenarioFile);
  process.stdout.write(`wrote ${printable(scenarioFile)} and ${Object.keys(captured.files).length - 1} ruleset file(s)\n`);
  for (const note of captured.notes) process.stdout.write(`  note: ${printable(note)}\n`);
  process.stdout.write(`next: fwprobe run ${printable(scenarioFile)}  (fails on an IPv4/IPv6 difference); fwprobe baseline, then fwprobe check, holds the exposure\n`);
  return 0;
}
