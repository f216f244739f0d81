/**
 * nmap's `--top-ports N`, made explicit: the N most frequently open ports of a protocol from nmap-services,
 * so that every port scanned can be reported and checked by number.
 */
import { CommandFailedError } from '../model/errors.ts';
import type { Protocol } from '../model/observation.ts';
import type { Exec } from './types.ts';

export async function topPorts(exec: Exec, protocol: Protocol, count: number): Promise<number[]> {
  const command = [
    'sh',
    '-c',
    `grep -v '^#' /usr/share/nmap/nmap-services | awk -v p="/${protocol}" '$2 ~ p"$" { split($2, a, "/"); print $3, a[1] }' | sort -k1,1gr -k2,2n | head -n "$1"`,
    'top-ports',
    String(count),
  ];
  const result = await exec(command);
  if (result.exitCode !== 0) throw new CommandFailedError({ command, ...result }, 'Reading nmap-services failed.');
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split(' ')[1]))
    .sort((a, b) => a - b);
}
