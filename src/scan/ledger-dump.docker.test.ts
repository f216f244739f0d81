/**
 * The netlink reader of a ledger (ledger-dump.ts) against nft's own JSON listing, in the target image: both
 * must read the same ports, from sets filled by probes (the packet path) and by nft itself; and when the
 * reader refuses (here a set that does not exist), the command falls back to nft's JSON.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/container.ts';
import { isLedgerDump, ledgerDumpCommand } from './ledger-dump.ts';
import { parseLedgerListing } from './ledger-listing.ts';
import { ledgerScript, SET_NAMES } from './ledger.ts';

const TABLE = 'fwprobe_ledger_dumptest';
const asArrays = (sets: Map<string, Iterable<number>>) => Object.fromEntries([...sets].map(([name, ports]) => [name, [...ports]]));

let target: StartedFwprobeContainer;

beforeAll(async () => {
  target = await new FwprobeContainer(inject('fwprobeImage')).start();
});

afterAll(async () => {
  await target?.remove();
});

describe('the ledger dump in the target', () => {
  test('reads what nft lists, from probes held in output and elements nft added; falls back to nft when it refuses', async () => {
    const script = ledgerScript({ table: TABLE, family: 'ipv4', target: '127.0.0.1', source: '127.0.0.1', sourcePort: 47311 });
    await target.runOk(['nft', script]);
    // Probes to 1-3000 held in OUTPUT by a table of the test's own; 443 and 65535 put in by nft.
    await target.runOk([
      'nft',
      'add table ip dumptest_drop; add chain ip dumptest_drop out { type filter hook output priority 0; policy accept; }; add rule ip dumptest_drop out tcp sport 47311 drop',
    ]);
    await target.run(['nmap', '-sS', '-Pn', '-n', '-g', '47311', '-p', '1-3000', '--max-retries', '0', '--min-rate', '100000', '-oX', '-', '127.0.0.1']);
    await target.runOk(['nft', `add element inet ${TABLE} in_flight { 443, 65535 }`]);

    const dumped = await target.run(ledgerDumpCommand(TABLE, SET_NAMES));
    const listed = await target.run(['nft', '-j', 'list', 'table', 'inet', TABLE]);
    expect(dumped.exitCode, dumped.stderr).toBe(0);
    expect(isLedgerDump(dumped.stdout), dumped.stdout.slice(0, 200)).toBe(true);
    const fromDump = asArrays(parseLedgerListing(dumped.stdout, TABLE, SET_NAMES));
    expect(fromDump).toEqual(asArrays(parseLedgerListing(listed.stdout, TABLE, SET_NAMES)));
    expect(fromDump.out_flight).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(fromDump.in_flight).toEqual([443, 65535]);

    // The reader fails on a set that is not there; nft's JSON comes instead, and that set is missing from it too.
    const fallback = await target.run(ledgerDumpCommand(TABLE, [...SET_NAMES, 'no_such_set']));
    expect(fallback.stderr).toContain('ledger dump: netlink error 2');
    expect(isLedgerDump(fallback.stdout)).toBe(false);
    expect(asArrays(parseLedgerListing(fallback.stdout, TABLE, SET_NAMES))).toEqual(fromDump);
    expect(() => parseLedgerListing(fallback.stdout, TABLE, [...SET_NAMES, 'no_such_set'])).toThrow(/no set no_such_set/);

    await target.runOk(['nft', `delete table inet ${TABLE}; delete table ip dumptest_drop`]);
  });
  test('a set changed by nft while it is read is refused or read right, never read with ports missing', async () => {
    // A multi-part element dump that meets a change skips elements that stayed in the set throughout (the kernel
    // never flags it as interrupted): 36 of 40 reads went wrong this way before the reader checked generations.
    const table = 'fwprobe_ledger_churn';
    const stable = Array.from({ length: 15000 }, (_, i) => i + 1).filter((port) => port % 7 !== 3);
    await target.runOk(['nft', `add table inet ${table}; add set inet ${table} big { type inet_service; size 65536; flags dynamic; }; add element inet ${table} big { ${stable.join(',')} }`]);
    const churn = target.run(['sh', '-c', `i=0; while [ $i -lt 150 ]; do nft add element inet ${table} big '{ 3, 10, 17 }'; nft delete element inet ${table} big '{ 3, 10, 17 }'; i=$((i+1)); done`]);
    const wrong: string[] = [];
    for (let read = 0; read < 12; read++) {
      const listing = await target.run(ledgerDumpCommand(table, ['big']));
      const ports = [...parseLedgerListing(listing.stdout, table, ['big']).get('big')!].filter((port) => ![3, 10, 17].includes(port));
      if (ports.length !== stable.length) wrong.push(`${isLedgerDump(listing.stdout) ? 'reader' : 'nft'}: ${stable.length - ports.length} missing`);
    }
    await churn;
    expect(wrong).toEqual([]);
    await target.runOk(['nft', `delete table inet ${table}`]);
  });
});
