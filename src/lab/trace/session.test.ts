/**
 * Opening a trace is one batch of commands riding in the recheck's exec: each family's four trace rules go
 * in with one `*-restore --noflush` transaction (all or none), at the top of raw PREROUTING and OUTPUT, and
 * the reader is the image's own `fwprobe-nftrace` (no copy per scenario).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import type { StartedFwprobeContainer } from '../container.ts';
import { startCommands, type TraceSpec } from './session.ts';

const spec: TraceSpec = { ports: { from: 47_100, to: 47_103 }, tag: 'fwprobe-trace-ab12cd34', seconds: 90, maxLines: 1_800 };
const target = { backend: 'nft' } as StartedFwprobeContainer;

/** What the restore tool reads on stdin: the shell's own `printf` run on the argv the batch passes. */
function restoreInput(command: readonly string[]): string {
  const [sh, dashC, script, ...args] = command;
  expect([sh, dashC]).toEqual(['sh', '-c']);
  return execFileSync('sh', ['-c', script!.replace(/\|.*$/, ''), ...args], { encoding: 'utf8' });
}

describe('startCommands', () => {
  const commands = startCommands(target, spec, 47_098);

  test('one restore per family, each a whole *raw transaction with the four rules at the top of their chains', () => {
    expect(commands.add.map((c) => c[2]!.split('|')[1]!.trim())).toEqual(['iptables-restore -w --noflush', 'ip6tables-restore -w --noflush']);
    const input = restoreInput(commands.add[0]!);
    expect(input).toBe(
      [
        '*raw',
        '-I PREROUTING 1 -p tcp -m multiport --ports 47098:47103 -m comment --comment fwprobe-trace-ab12cd34 -j TRACE',
        '-I PREROUTING 1 -p udp -m multiport --ports 47098:47103 -m comment --comment fwprobe-trace-ab12cd34 -j TRACE',
        '-I OUTPUT 1 -p tcp -m multiport --ports 47098:47103 -m comment --comment fwprobe-trace-ab12cd34 -j TRACE',
        '-I OUTPUT 1 -p udp -m multiport --ports 47098:47103 -m comment --comment fwprobe-trace-ab12cd34 -j TRACE',
        'COMMIT',
        '',
      ].join('\n'),
    );
    expect(restoreInput(commands.add[1]!)).toBe(input);
  });

  test('the reader is the one in the image, and the opening canary leaves from the port two below the clients', () => {
    expect(commands.reader[2]).toContain('setsid fwprobe-nftrace monitor');
    expect(commands.dump).toEqual(['fwprobe-nftrace', 'rules']);
    expect(commands.canary.at(-1)).toBe('canary.47098,udp,127.0.0.1,9,127.0.0.1,47098');
  });
});
