/**
 * The floor for one scenario: the cheapest container life the engine allows (`docker run --rm IMAGE
 * true`) plus one scan timeout. No scenario can be faster than starting a container and waiting once
 * for a probe that never gets an answer.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LAB_TIMING_ARGS } from '../src/scan/timing.ts';
import { timed } from './measure.ts';

const run = promisify(execFile);

/** Time of `docker run --rm --label fwprobe=bench IMAGE true`, start to exit, container removed. */
export async function dockerRunTrue(image: string): Promise<number> {
  const { ms } = await timed(() => run('docker', ['run', '--rm', '--label', 'fwprobe=bench', image, 'true']));
  return ms;
}

/** The lab timing's `--max-rtt-timeout`, in ms: how long nmap waits at most for one probe. */
export function labScanTimeoutMs(): number {
  const i = LAB_TIMING_ARGS.indexOf('--max-rtt-timeout');
  const value = i >= 0 ? LAB_TIMING_ARGS[i + 1] : undefined;
  const match = value ? /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value) : null;
  if (!match) throw new Error(`LAB_TIMING_ARGS has no readable --max-rtt-timeout: ${JSON.stringify(LAB_TIMING_ARGS)}`);
  const n = Number(match[1]);
  // nmap reads a bare number as seconds.
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}
