import { describe, expect, test } from 'vitest';
import { CommandOutputError } from '../model/errors.ts';
import { countedScan } from './counted.ts';
import { isLedgerDump, LEDGER_LIST, ledgerDumpCommand, parseLedgerDump } from './ledger-dump.ts';
import { parseLedgerListing } from './ledger-listing.ts';
import { SET_NAMES } from './ledger.ts';
import type { ScanRequest, ScanResult } from './types.ts';

const TABLE = 'fwprobe_ledger_t';
const dump = (lines: string[]) => ['fwprobe-ledger-dump 1 ' + TABLE, ...lines, ''].join('\n');
const problem = (listing: string) => {
  try {
    parseLedgerDump(listing, TABLE, SET_NAMES);
  } catch (error) {
    expect(error).toBeInstanceOf(CommandOutputError);
    return (error as Error).message;
  }
  return 'no error';
};

describe('the ledger dump', () => {
  test('the command passes the reader, table and sets as arguments, and falls back to nft JSON', () => {
    const command = ledgerDumpCommand(TABLE, SET_NAMES);
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(command[2]).toContain('|| exec nft -j list table inet "$1"');
    expect(command.slice(3, 4)).toEqual([LEDGER_LIST]);
    expect(command.slice(5)).toEqual([TABLE, ...SET_NAMES]);
    // Nothing of the table or sets is in the shell text itself.
    expect(command[2]).not.toContain(TABLE);
  });

  test('reads ranges into the named sets; an empty set is `-`', () => {
    const sets = parseLedgerDump(dump(['out_flight 1-3,7,65535', 'in_flight -', 'reply_flight 80', 'rejected -']), TABLE, SET_NAMES);
    expect([...sets.get('out_flight')!]).toEqual([1, 2, 3, 7, 65535]);
    expect(sets.get('in_flight')!.size).toBe(0);
    expect([...sets.get('reply_flight')!]).toEqual([80]);
  });

  test('parseLedgerListing reads the dump and nft JSON alike', () => {
    const listing = dump(['out_flight 1-47310,47313-65535', 'in_flight -', 'reply_flight -', 'rejected -']);
    expect(isLedgerDump(listing)).toBe(true);
    expect(parseLedgerListing(listing, TABLE, SET_NAMES).get('out_flight')!.size).toBe(65533);
    expect(isLedgerDump('{"nftables": []}')).toBe(false);
  });

  test('anything but the reader output for this table and exactly these sets is an error, never an empty set', () => {
    expect(problem(dump(['out_flight 1', 'in_flight -', 'reply_flight -']))).toContain('no set rejected');
    expect(problem(dump(['out_flight 1', 'out_flight 2', 'in_flight -', 'reply_flight -', 'rejected -']))).toContain('twice');
    expect(problem(dump(['out_flight 1', 'in_flight -', 'reply_flight -', 'rejected -', 'delivered 5']))).toContain('unknown set');
    expect(problem(dump(['out_flight 1', 'in_flight -', 'reply_flight -', 'rejected -']).replace(TABLE, 'fwprobe_ledger_other'))).toContain('not of table');
    expect(problem(dump(['out_flight 1', 'in_flight -', 'reply_flight -', 'rejected -']).slice(0, -1))).toContain('cut short');
    for (const bad of ['0', '65536', '5-3', '3,2', '1-5,5', 'ssh', '1 2', '']) {
      expect(problem(dump([`out_flight ${bad}`, 'in_flight -', 'reply_flight -', 'rejected -'])), bad).not.toBe('no error');
    }
  });
});

describe('a counted sweep read from the dump', () => {
  const request: ScanRequest = {
    vantage: 'loopback',
    family: 'ipv4',
    protocol: 'tcp',
    target: '127.0.0.1',
    ports: [22],
    scanPorts: Array.from({ length: 200 }, (_, i) => i + 1),
    timing: 'lab',
    sourcePort: 47311,
  };
  const silentResult = (ports: string, count: number, command: string[]): ScanResult => ({
    vantage: 'loopback',
    family: 'ipv4',
    protocol: 'tcp',
    target: '127.0.0.1',
    command,
    hostState: 'up',
    observations: [{ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', port: 22, state: 'open', reason: 'syn-ack' }],
    others: [{ state: 'filtered', reason: 'no-response', count, ports }],
    elapsedSeconds: 1,
    nmapVersion: '7.93',
    sourcePort: 47311,
    followUpCommands: [],
    warnings: [],
  });

  // The shortcut this guards against: reading a dump's range as "everything from its start" or taking a set's
  // neighbour for it. Ports the dump does not name were not counted, so they are retried, never proven.
  test('a silent port the ledger did not count is retried, never proven', async () => {
    const listing = dump(['out_flight 1-21,23-100', 'in_flight 150', 'reply_flight -', 'rejected -']);
    const runs: number[][] = [];
    const run = async (r: ScanRequest) => {
      runs.push(r.scanPorts ?? r.ports);
      if (r.timing === 'counted') return silentResult('1-21,23-200', 199, ['nmap', 'counted']);
      // The retry reads each of its ports closed, so a proven port would still read filtered.
      return {
        ...silentResult('1', 0, ['nmap', 'again']),
        others: [],
        observations: r.ports.map((port) => ({ vantage: 'loopback' as const, family: 'ipv4' as const, protocol: 'tcp' as const, port, state: 'closed' as const, reason: 'reset' })),
      };
    };
    const counting = {
      table: TABLE,
      source: { ipv4: '127.0.0.1', ipv6: '::1' },
      inTarget: async (commands: string[][]) => commands.map((c) => ({ exitCode: 0, stdout: c.includes(LEDGER_LIST) ? listing : '', stderr: '' })),
    };
    const scan = await countedScan(run, request, counting);
    expect(scan.backing).toMatchObject({ method: 'counted', silent: 199, dropped: 100, countedBy: { output: 99, input: 1, reply: 0 }, retried: 99 });
    const retried = [...Array.from({ length: 49 }, (_, i) => i + 101), ...Array.from({ length: 50 }, (_, i) => i + 151)];
    expect(runs[1]).toEqual(retried);
    expect(scan.others).toContainEqual({ state: 'closed', reason: 'reset', count: 99, ports: '101-149,151-200' });
    expect(scan.others.filter((s) => s.state === 'filtered')).toEqual([
      { state: 'filtered', reason: 'no-response', count: 99, ports: '1-21,23-100', droppedAt: 'output' },
      { state: 'filtered', reason: 'no-response', count: 1, ports: '150', droppedAt: 'input' },
    ]);
  });
});
