/** The target's multicast groups, read from /proc/net/igmp and /proc/net/igmp6 as Linux prints them. */
import { describe, expect, it } from 'vitest';
import { parseJoinedGroups } from './joined-groups.ts';

const IGMP = [
  'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter',
  '1\tlo        :     1      V3',
  '\t\t\t\t010000E0     1 0:00000000\t\t0',
  '2\teth0      :     2      V3',
  '\t\t\t\tFB0000E0     1 0:00000000\t\t0',
  '\t\t\t\t010000E0     1 0:00000000\t\t0',
].join('\n');
const IGMP6 = [
  '1    lo              ff020000000000000000000000000001     1 0000000C 0',
  '2    eth0            ff0200000000000000000001ff000001     1 00000004 0',
  '2    eth0            ff020000000000000000000000000002     1 00000004 0',
  '2    eth0            ff020000000000000000000000000001     1 0000000C 0',
].join('\n');

describe('joined groups', () => {
  it('reads IPv4 groups (host byte order) and IPv6 groups per interface', () => {
    const groups = parseJoinedGroups(`${IGMP}\n--igmp6--\n${IGMP6}\n`);
    expect(groups.get('eth0')).toEqual(['224.0.0.251', '224.0.0.1', 'ff02::1:ff00:1', 'ff02::2', 'ff02::1']);
    expect(groups.get('lo')).toEqual(['224.0.0.1', 'ff02::1']);
  });

  it('skips what does not read as a group, and an empty read is no group', () => {
    expect(parseJoinedGroups('garbage\n--igmp6--\nnot a line\n').size).toBe(0);
    expect(parseJoinedGroups('').size).toBe(0);
  });
});
