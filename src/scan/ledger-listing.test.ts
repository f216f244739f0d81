import { describe, expect, test } from 'vitest';
import { CommandOutputError } from '../model/errors.ts';
import { parseLedgerListing } from './ledger-listing.ts';
import { ledgerJson } from './ledger-listing.test-helpers.ts';

const NAMES = ['out_flight', 'in_flight', 'delivered'];
const read = (listing: string) => parseLedgerListing(listing, 'fwprobe_ledger_1', NAMES);
const ports = (listing: string) => Object.fromEntries([...read(listing)].map(([name, bits]) => [name, [...bits]]));
const problem = (listing: string) => {
  try {
    read(listing);
  } catch (error) {
    expect(error).toBeInstanceOf(CommandOutputError);
    return (error as Error).message;
  }
  throw new CommandOutputError('expected the listing to be refused');
};

describe('parseLedgerListing', () => {
  test('reads each named set, empty or not, and leaves other sets alone', () => {
    const listing = ledgerJson('fwprobe_ledger_1', { out_flight: [], in_flight: [5003, 5004, 22], delivered: [5001], other: ['not read'] });
    expect(ports(listing)).toEqual({ out_flight: [], in_flight: [22, 5003, 5004], delivered: [5001] });
  });

  test('a full sweep (65,535 ports in one set) reads in linear time', () => {
    const all = Array.from({ length: 65535 }, (_, i) => i + 1);
    const sets = read(ledgerJson('fwprobe_ledger_1', { out_flight: all, in_flight: [], delivered: [] }));
    expect(sets.get('out_flight')?.size).toBe(65535);
    expect([...sets.get('out_flight')!]).toEqual(all);
    // The bound catches a quadratic reading (minutes), not milliseconds: a timing assertion would flake.
  }, 5000);

  test('a missing set is no proof', () => {
    expect(problem(ledgerJson('fwprobe_ledger_1', { out_flight: [], in_flight: [] }))).toContain('the ledger listing has no set delivered');
  });

  test('an element that is not a port is no proof', () => {
    for (const element of [0, 70000, 22.5, '22', null, { prefix: { addr: '10.0.0.0', len: 8 } }, { concat: [22, 23] }]) {
      const listing = ledgerJson('fwprobe_ledger_1', { out_flight: [22, element], in_flight: [], delivered: [] });
      expect(problem(listing)).toMatch(/^the ledger set out_flight holds .*, not a port$/);
    }
  });

  // Decided: a range holds each of its ports (nft prints one for an interval set); a reversed one is no proof.
  test('a range element is expanded to its ports; a reversed or out-of-range one is refused', () => {
    const listing = ledgerJson('fwprobe_ledger_1', {
      out_flight: [{ range: [1000, 1003] }, 22, { elem: { val: 80, timeout: 30 } }, { elem: { val: { range: [7, 8] } } }],
      in_flight: [],
      delivered: [],
    });
    expect(ports(listing).out_flight).toEqual([7, 8, 22, 80, 1000, 1001, 1002, 1003]);
    expect(problem(ledgerJson('fwprobe_ledger_1', { out_flight: [{ range: [1003, 1000] }], in_flight: [], delivered: [] }))).toContain('reversed range 1003-1000');
    expect(problem(ledgerJson('fwprobe_ledger_1', { out_flight: [{ range: [1, 70000] }], in_flight: [], delivered: [] }))).toContain('not a port');
  });

  test("a listing that is not nft's JSON for this table is refused", () => {
    expect(problem('table inet fwprobe_ledger_1 {\n}\n')).toContain('the ledger listing is not JSON');
    expect(problem('{"tables": []}')).toContain("the ledger listing is not nft's JSON");
    expect(problem('{"nftables": [{"set": {"name": "out_flight"}}]}')).toContain('malformed set');
    const other = ledgerJson('fwprobe_ledger_2', { out_flight: [], in_flight: [], delivered: [] });
    expect(problem(other)).toContain('is in table "fwprobe_ledger_2", not fwprobe_ledger_1');
    const typed = ledgerJson('fwprobe_ledger_1', { out_flight: [], in_flight: [], delivered: [] }).replace(
      '"name":"delivered","table":"fwprobe_ledger_1","type":"inet_service"',
      '"name":"delivered","table":"fwprobe_ledger_1","type":"ipv4_addr"',
    );
    expect(problem(typed)).toContain('of type "ipv4_addr", not inet_service');
    const doc = JSON.parse(ledgerJson('fwprobe_ledger_1', { out_flight: [], in_flight: [], delivered: [] })) as { nftables: unknown[] };
    doc.nftables.push(doc.nftables[2]);
    expect(problem(JSON.stringify(doc))).toContain('has set out_flight twice');
  });
});
