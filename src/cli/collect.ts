/**
 * `fwprobe collect`: prints the collect script, POSIX sh that a server runs without Node
 * (`ssh HOST sudo sh < collect.sh > HOST.json`) to write its firewall state as one JSON bundle.
 */
import { UsageError } from '../model/errors.ts';
import { collectScript } from '../scenario/bundle/index.ts';
import { parseCommandArgs } from './args.ts';

export async function runCollect(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs('collect', args);
  if (parsed.positionals.length > 0) throw new UsageError(`collect takes no arguments, found ${parsed.positionals.join(' ')}: redirect its output to a file (fwprobe collect > collect.sh)`);
  process.stdout.write(collectScript());
  return 0;
}
