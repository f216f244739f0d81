/**
 * The multicast groups the target's interfaces are in, read from its /proc/net/igmp and /proc/net/igmp6:
 * what the kernel joined (all-nodes, solicited-node, all-routers) and what any socket joined (mDNS, SSDP,
 * a service's own group). Each is a destination an attacker on the segment can send to.
 */
import { fromInteger } from '../../../model/subnet.ts';

/** The command that prints both files, separated by a line `--igmp6--`. */
export const JOINED_GROUPS_COMMAND = ['sh', '-c', 'cat /proc/net/igmp 2>/dev/null; echo --igmp6--; cat /proc/net/igmp6 2>/dev/null'];

/** Groups by interface name. Lines that do not read as a group are skipped (more groups only add probes). */
export function parseJoinedGroups(text: string): Map<string, string[]> {
  const [igmp = '', igmp6 = ''] = text.split('--igmp6--');
  const out = new Map<string, string[]>();
  const add = (device: string, group: string) => out.set(device, [...new Set([...(out.get(device) ?? []), group])]);
  // /proc/net/igmp: a device line `IDX\tDEV       :  COUNT QUERIER`, then its groups `\t\t\t\tHEX  USERS …`,
  // each group a 32-bit number in the host's byte order (little-endian on the lab's x86_64 and arm64).
  let device: string | null = null;
  for (const line of igmp.split('\n')) {
    const head = /^\d+\s+(\S+)\s*:/.exec(line);
    if (head) {
      device = head[1]!;
      continue;
    }
    const group = /^\s+([0-9A-Fa-f]{8})\s/.exec(line);
    if (device && group) {
      const le = group[1]!.match(/../g)!.reverse().join('');
      add(device, fromInteger(BigInt(`0x${le}`), 4));
    }
  }
  // /proc/net/igmp6: `IDX DEV GROUP(32 hex) USERS FLAGS TIMER`.
  for (const line of igmp6.split('\n')) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-f]{32})\s/.exec(line);
    if (m) add(m[1]!, fromInteger(BigInt(`0x${m[2]!}`), 6));
  }
  return out;
}
