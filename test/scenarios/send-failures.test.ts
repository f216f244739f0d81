/**
 * Probes nmap could not send, with real nmap and real kernels: under the library's ip6tables OUTPUT DROP
 * the ruleset under test refuses the loopback probes itself (EPERM), which backs `filtered` and is kept in
 * the results' warnings; a probe the kernel refuses for another reason (here EMSGSIZE, with lo's MTU cut
 * to 68 bytes and no firewall at all) makes a closed UDP port read open|filtered, and must be an error.
 */
import { describe, expect, inject, test } from 'vitest';
import { FwprobeContainer } from '../../src/lab/container.ts';
import { runScenario } from '../../src/run/scenario.ts';
import { scanPorts } from '../../src/scan/nmap.ts';
import { LabScope } from '../../src/scan/scope.ts';
import { sharedRunFile } from './shared-runs.ts';

describe.concurrent('probes that never left', () => {
  test('OUTPUT DROP on IPv6: loopback reads filtered, passes, and the EPERM lines are in scans[].warnings', async () => {
    // The library's own run of it, when library.test.ts runs in the same vitest run (shared-runs.ts).
    const result = await sharedRunFile('scenarios/ipv6-gap/v6-blocked.scenario.yaml', runScenario, { image: inject('fwprobeImage') });
    expect(result.status, result.error).toBe('passed');
    const byScan = Object.fromEntries(result.scans.map((s) => [`${s.vantage} ${s.family} ${s.protocol}`, s.warnings]));
    expect(byScan['loopback ipv6 tcp']).toEqual(
      expect.arrayContaining(['sendto in send_ipv6_ipproto_raw: sendto(7, packet, 64, 0, ::1, 28) => Operation not permitted', expect.stringMatching(/^Offending packet: TCP ::1:47311 > ::1:22 S /)]),
    );
    // IPv4 is only INPUT DROP, and the peer's probes leave through its own, open, stack.
    expect(byScan['loopback ipv4 tcp']).toEqual([]);
    expect(byScan['peer ipv4 tcp']).toEqual([]);
  });

  test('a probe the kernel would not send (EMSGSIZE) is no firewall verdict: NMAP_SEND_FAILED, not open|filtered', async () => {
    await using target = await new FwprobeContainer(inject('fwprobeImage')).start();
    // No ruleset at all: 123 and 500/udp are closed. nmap's probes to them carry payloads (NTP, IKE) longer
    // than 68 bytes, so every one fails with "Message too long" and, unchecked, both would read open|filtered.
    await target.runOk(['ip', 'link', 'set', 'lo', 'mtu', '68']);
    const scan = scanPorts(
      (command) => target.run(command),
      {
        vantage: 'loopback',
        family: 'ipv4',
        protocol: 'udp',
        target: '127.0.0.1',
        ports: [123, 500],
      },
      new LabScope(),
    );
    await expect(scan).rejects.toMatchObject({ code: 'NMAP_SEND_FAILED' });
    await expect(scan).rejects.toThrow(/=> Message too long[\s\S]*ports of interest udp\/123,500 got no answer/);
  });
});
