import { describe, expect, test } from 'vitest';
import { CommandFailedError } from '../model/errors.ts';
import { formatPortSpec } from '../model/ports.ts';
import { countedUdpScan } from './counted-udp.ts';
import { LEDGER_LIST } from './ledger-dump.ts';
import { ledgerJson } from './ledger-listing.test-helpers.ts';
import type { Counting } from './counted.ts';
import type { ScanRequest, ScanResult } from './types.ts';

const request: ScanRequest = { vantage: 'peer', family: 'ipv6', protocol: 'udp', target: 'fd77::1', ports: [53], scanPorts: [53, 5000, 5001, 5002, 5003], timing: 'lab', sourcePort: 47311 };

const result = (others: ScanResult['others']): ScanResult => ({
  vantage: 'peer',
  family: 'ipv6',
  protocol: 'udp',
  target: 'fd77::1',
  command: ['nmap'],
  hostState: 'up',
  observations: [{ vantage: 'peer', family: 'ipv6', protocol: 'udp', port: 53, state: 'open', reason: 'udp-response' }],
  others,
  elapsedSeconds: 1,
  nmapVersion: '7.93',
  sourcePort: 47311,
  followUpCommands: [],
  warnings: [],
});

const ledger = (outFlight: number[], inFlight: number[], delivered: number[]) => ledgerJson('fwprobe_ledger_t', { out_flight: outFlight, in_flight: inFlight, delivered });
const STAT = (drops: number) => `entries drop\n00000001 ${drops.toString(16).padStart(8, '0')}\n`;

/** A target whose ledger lists `listing`; records every batch it is asked to run. */
function target(listing: string, options: { installFails?: boolean; removeFails?: boolean; dropsAfter?: number } = {}) {
  const batches: string[][][] = [];
  const counting: Counting = {
    table: 'fwprobe_ledger_t',
    source: { ipv4: '10.77.0.20', ipv6: 'fd77::20' },
    inTarget: async (commands) => {
      batches.push(commands);
      const first = batches.length === 1;
      return commands.map((c) => {
        if (c[0] === 'nft' && c.length === 2) return { exitCode: options.installFails ? 1 : 0, stdout: '', stderr: options.installFails ? 'Error: Could not process rule' : '' };
        if (c.includes(LEDGER_LIST)) return { exitCode: 0, stdout: listing, stderr: '' };
        if (c[1] === 'delete') return { exitCode: options.removeFails ? 1 : 0, stdout: '', stderr: '' };
        return { exitCode: 0, stdout: STAT(first ? 0 : (options.dropsAfter ?? 0)), stderr: '' };
      });
    },
  };
  return { counting, batches };
}

const SILENT = [{ state: 'open|filtered' as const, reason: 'no-response', count: 4, ports: '5000-5003' }];

describe('countedUdpScan', () => {
  // The gap it closes: behind egress filtering nmap reads a port the firewall admits (no listener, or one that
  // never answers) `open|filtered`, like a dropped one, and the gate left every such port out.
  test('marks every port with the ledger word and splits the summary by word', async () => {
    const { counting, batches } = target(ledger([], [5000, 5003], [53, 5001, 5002]));
    const scan = await countedUdpScan(async () => result(SILENT), request, [47311], counting);
    expect(batches[0]![0]!.join(' ')).toContain('ip6 saddr fd77::20 ip6 daddr fd77::1 udp sport 47311 add @in_flight');
    expect(batches[1]![0]).toEqual(expect.arrayContaining([LEDGER_LIST, 'fwprobe_ledger_t', 'out_flight', 'in_flight', 'delivered']));
    expect(batches[1]!.slice(1).map((c) => c.slice(0, 3).join(' '))).toEqual(['sh -c cat /proc/net/stat/nf_conntrack 2>/dev/null; true', 'nft delete table']);
    expect(scan.observations[0]).toMatchObject({ port: 53, state: 'open', ledger: 'admitted' });
    expect(scan.others).toEqual([
      { state: 'open|filtered', reason: 'no-response', count: 2, ports: '5000,5003', ledger: 'dropped', droppedAt: 'input' },
      { state: 'open|filtered', reason: 'no-response', count: 2, ports: '5001-5002', ledger: 'admitted' },
    ]);
    expect(scan.backing).toEqual({ method: 'counted', silent: 4, dropped: 2, countedBy: { output: 0, input: 2, reply: 0 }, retried: 0, admitted: 3, unverified: 0 });
  });

  test('no ledger installed: every port is unverified, said in the backing, never left as nothing', async () => {
    const { counting, batches } = target('', { installFails: true });
    const scan = await countedUdpScan(async () => result(SILENT), request, [47311], counting);
    expect(batches).toHaveLength(1);
    expect(scan.others).toEqual([{ ...SILENT[0], ledger: 'unverified' }]);
    expect(scan.backing).toMatchObject({ admitted: 0, unverified: 5, note: expect.stringContaining('could not be installed: Error: Could not process rule') });
  });

  // The attack: `udp sport 47311 drop` holds only the pinned scanner; a client from any other port gets in.
  test("a rule keyed on the probe's source port leaves its held ports unverified, naming the rule; the others stay dropped", async () => {
    const { counting } = target(ledger([], [5000, 5003], [53, 5001, 5002]));
    const rule = '-A INPUT -p udp -m udp --sport 47311 -j DROP';
    const scan = await countedUdpScan(async () => result(SILENT), request, [47311], { ...counting, unproven: (port) => (port === 5003 ? rule : undefined) });
    expect(scan.others.map((s) => `${s.ports} ${s.ledger}`)).toEqual(['5000 dropped', '5001-5002 admitted', '5003 unverified']);
    expect(scan.backing).toMatchObject({ unverified: 1, note: expect.stringContaining(`1 held port(s) left unverified: \`${rule}\``) });
  });

  test('conntrack dropped packets meanwhile: held ports are unverified, delivered ones still admitted', async () => {
    const { counting } = target(ledger([], [5000, 5003], [53, 5001, 5002]), { dropsAfter: 3 });
    const scan = await countedUdpScan(async () => result(SILENT), request, [47311], counting);
    expect(scan.others.map((s) => `${s.ports} ${s.ledger}`)).toEqual(['5000,5003 unverified', '5001-5002 admitted']);
    expect(scan.backing?.note).toContain('conntrack dropped 3 packets');
  });

  test('an unreadable listing makes every port unverified', async () => {
    const { counting } = target('table inet t {}\n');
    const scan = await countedUdpScan(async () => result(SILENT), request, [47311], counting);
    expect(scan.others).toEqual([{ ...SILENT[0], ledger: 'unverified' }]);
    expect(scan.backing?.note).toContain('the ledger listing is unreadable');
  });

  test('the ledger is removed when the scan fails, and a ledger that cannot be removed is an error', async () => {
    const failing = target(ledger([], [], []));
    await expect(countedUdpScan(() => Promise.reject(new Error('nmap died')), request, [47311], failing.counting)).rejects.toThrow('nmap died');
    expect(failing.batches[1]!.at(-1)).toEqual(['nft', 'delete', 'table', 'inet', 'fwprobe_ledger_t']);
    const stuck = target(ledger([], [], []), { removeFails: true });
    await expect(countedUdpScan(async () => result(SILENT), request, [47311], stuck.counting)).rejects.toThrow(CommandFailedError);
  });

  test('a full sweep splits in linear time (a copy per port held the event loop for minutes before)', async () => {
    const all = Array.from({ length: 65535 }, (_, i) => i + 1).filter((p) => p !== 53);
    const delivered = all.filter((p) => p % 1000 === 1);
    const { counting } = target(
      ledger(
        [],
        all.filter((p) => p % 1000 !== 1),
        [53, ...delivered],
      ),
    );
    const scan = await countedUdpScan(async () => result([{ state: 'open|filtered', reason: 'no-response', count: all.length, ports: formatPortSpec(all) }]), request, [47311], counting);
    expect(scan.others.map((s) => [s.ledger, s.count])).toEqual([
      ['admitted', delivered.length],
      ['dropped', all.length - delivered.length],
    ]);
  }, 10_000);
});
