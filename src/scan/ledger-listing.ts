/**
 * Reads a ledger table as `nft -j list table inet …` prints it (or as ledger-dump.ts's reader does) into its port sets. The listing is the
 * proof a silent port was silenced (or, for UDP, admitted), so it is read strictly: a set that is missing,
 * listed twice, of another type or table, or holding anything but ports is an error, never an empty set.
 * A full sweep's listing holds ~65,000 ports in one set: the envelope is checked with zod and the
 * elements in one pass into a bitmap, so that reading it costs milliseconds, not the tenths of a second a
 * schema per element or a `Set` would.
 */
import { z } from 'zod';
import { CommandOutputError } from '../model/errors.ts';
import { isValidPort } from '../model/ports.ts';
import { PortBits } from './parse/port-bits.ts';
import { isLedgerDump, parseLedgerDump } from './ledger-dump.ts';

// The elements stay unparsed here: zod would copy and check 65,000 of them one schema at a time.
const ElementsSchema = z.custom<unknown[]>((value) => Array.isArray(value), 'not a list');

const SetSchema = z.object({
  name: z.string(),
  table: z.string(),
  type: z.string(),
  elem: ElementsSchema.optional(),
});

const ListingSchema = z.object({ nftables: z.array(z.record(z.string(), z.unknown())) });

const PortSchema = z.number().int().min(1).max(65535);
const RangeSchema = z.object({ range: z.tuple([PortSchema, PortSchema]) });
// An element nft prints with its own attributes (a timeout, a counter): `{ "elem": { "val": 22, … } }`.
const ElementSchema = z.union([RangeSchema, z.object({ elem: z.object({ val: z.union([PortSchema, RangeSchema]) }) })]);

/**
 * The named port sets of ledger table `table`, each as a bitmap. A range element (`{"range": [1000, 1010]}`,
 * which nft prints for an interval set) is expanded to its ports: the set holds every one of them.
 * @throws CommandOutputError when the listing is not nft's JSON for that table, a set is missing or listed
 *   twice, is not of type inet_service, or holds something other than ports (or a reversed range).
 */
export function parseLedgerListing(listing: string, table: string, names: readonly string[]): Map<string, PortBits> {
  if (isLedgerDump(listing)) return parseLedgerDump(listing, table, names);
  let doc: unknown;
  try {
    doc = JSON.parse(listing);
  } catch (cause) {
    throw new CommandOutputError(`the ledger listing is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  const envelope = ListingSchema.safeParse(doc);
  if (!envelope.success) throw new CommandOutputError(`the ledger listing is not nft's JSON: ${z.prettifyError(envelope.error).replaceAll('\n', ' ')}`);
  const sets = new Map<string, PortBits>();
  for (const entry of envelope.data.nftables) {
    if (!('set' in entry)) continue;
    const parsed = SetSchema.safeParse(entry.set);
    if (!parsed.success) throw new CommandOutputError(`the ledger listing has a malformed set: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
    const set = parsed.data;
    if (!names.includes(set.name)) continue;
    if (set.table !== table) throw new CommandOutputError(`the ledger listing's set ${set.name} is in table ${JSON.stringify(set.table)}, not ${table}`);
    if (set.type !== 'inet_service') throw new CommandOutputError(`the ledger set ${set.name} is of type ${JSON.stringify(set.type)}, not inet_service`);
    if (sets.has(set.name)) throw new CommandOutputError(`the ledger listing has set ${set.name} twice`);
    sets.set(set.name, portsOf(set.name, set.elem ?? []));
  }
  for (const name of names) if (!sets.has(name)) throw new CommandOutputError(`the ledger listing has no set ${name}`);
  return sets;
}

function portsOf(name: string, elements: readonly unknown[]): PortBits {
  const bits = new PortBits();
  for (const element of elements) {
    // The common case, ~65,000 times in a full sweep: a bare port number.
    if (typeof element === 'number' && isValidPort(element)) {
      bits.add(element);
      continue;
    }
    const parsed = ElementSchema.safeParse(element);
    if (!parsed.success) throw new CommandOutputError(`the ledger set ${name} holds ${JSON.stringify(element).slice(0, 80)}, not a port`);
    const value = 'range' in parsed.data ? parsed.data : parsed.data.elem.val;
    const [low, high] = typeof value === 'number' ? [value, value] : value.range;
    if (high < low) throw new CommandOutputError(`the ledger set ${name} holds the reversed range ${low}-${high}`);
    for (let port = low; port <= high; port++) bits.add(port);
  }
  return bits;
}
