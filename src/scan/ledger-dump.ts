/**
 * A ledger's sets read straight from the kernel over netlink, in the target, into port ranges. After a full
 * sweep under DROP one set holds ~65,000 ports, and `nft -j list` spends ~350 ms of the target's CPU turning
 * each into an object and JSON (the kernel's own dump of them takes ~40 ms); this reader prints the same
 * sets as a few ranges. It is as strict as the JSON reading: each set must be the ledger's own (table,
 * name, port-typed plain set), each element a bare 2-byte port, the dump complete (not interrupted by a
 * change); anything else makes it fail, and the caller falls back to `nft -j list`.
 * The kernel never flags a set's element dump as interrupted (0 of 60 dumps flagged while `nft` added and
 * deleted elements of that set), yet a change between the parts of a multi-part dump shifts the walk, and
 * elements that stayed in the set throughout go missing (36 of 40 such dumps read wrong; 1 of 70 under
 * packets adding and deleting other ports through the packet path, as a scan's late packets would). A
 * missing `reply_flight` or `rejected` port would read "not answered". So every answer must carry one
 * ruleset generation (nfgenmsg's res_id: an nft transaction during the read makes it fail, as nft's own
 * generation check makes nft read again), and each set is dumped twice and must read the same (packets
 * change a set without a new generation: this narrows that window, it does not close it, and `nft -j list`
 * has no check for it at all).
 */
import { CommandOutputError } from '../model/errors.ts';
import { MAX_PORT, MIN_PORT } from '../model/ports.ts';
import { PortBits } from './parse/port-bits.ts';

/** The first line of the reader's output: its format version and the table it read. */
const HEADER = 'fwprobe-ledger-dump 1';

// Python 3 (in the target image): the kernel's netlink answers, checked field by field. The common element,
// a bare port (16 bytes: list element, key, 2-byte value, padding), is matched in bulk; any other layout
// goes through the attribute walk, which accepts only a key of one 2-byte value and zero flags.
const READER = String.raw`
import re, socket, struct, sys
def fail(why):
    sys.stderr.write('ledger dump: %s\n' % why)
    sys.exit(1)
SUB = 10 << 8
GETSET, NEWSET, GETELEM, NEWELEM = 10, 9, 13, 12
REQUEST, ACK, DUMP, INTR = 1, 4, 0x300, 0x10
ERROR, DONE = 2, 3
INET, INET_SERVICE, KEY_LEN = 1, 13, 2
NOT_PLAIN = 0x4 | 0x8 | 0x40 | 0x80
BARE = re.compile(rb'(?:\x10\x00\x01\x00\x0c\x00\x01\x00\x06\x00\x01\x00..\x00\x00)*', re.S)
def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, t) + payload + b'\0' * (-n % 4)
def attrs(buf, off, end):
    while off < end:
        if off + 4 > end: fail('a truncated attribute')
        n, t = struct.unpack_from('=HH', buf, off)
        if n < 4 or off + n > end: fail('an attribute of bad length')
        yield t & 0x3fff, off + 4, off + n
        off += (n + 3) & ~3
def text(buf, a, b):
    return bytes(buf[a:b]).rstrip(b'\0').decode('utf-8', 'replace')
def u32(buf, a, b):
    if b - a != 4: fail('a 32-bit field of %d bytes' % (b - a))
    return struct.unpack_from('>I', buf, a)[0]
def messages(sock, seq, typ, flags, body):
    sock.send(struct.pack('=IHHII', 16 + len(body), SUB | typ, REQUEST | flags, seq, 0) + body)
    while True:
        data = sock.recv(1 << 21)
        off = 0
        while off < len(data):
            if off + 16 > len(data): fail('a truncated message')
            n, t, f, s, _ = struct.unpack_from('=IHHII', data, off)
            if n < 16 or off + n > len(data): fail('a message of bad length')
            if s != seq: fail('an answer to another request')
            if f & INTR: fail('the dump was interrupted by a change')
            if t == ERROR:
                code = struct.unpack_from('=i', data, off + 16)[0]
                if code == 0 and flags & ACK: return
                fail('netlink error %d' % -code)
            if t == DONE:
                if n >= 20 and struct.unpack_from('=i', data, off + 16)[0] != 0: fail('the dump ended in an error')
                return
            if n < 20 or data[off + 16] != INET: fail('a message of another family')
            gen = struct.unpack_from('>H', data, off + 18)[0]
            if GEN and gen != GEN[0]: fail('the ruleset changed while the ledger was read')
            GEN.append(gen)
            yield t, data, off + 20, off + n
            off += (n + 3) & ~3
def check_set(sock, seq, table, name):
    seen = False
    for t, d, a, b in messages(sock, seq, GETSET, ACK, struct.pack('=BBH', INET, 0, 0) + attr(1, table.encode() + b'\0') + attr(2, name.encode() + b'\0')):
        if t != SUB | NEWSET: fail('an answer of type %d to a set request' % t)
        f = {k: (x, y) for k, x, y in attrs(d, a, b)}
        if 1 not in f or text(d, *f[1]) != table or 2 not in f or text(d, *f[2]) != name: fail('set %s is not in table %s' % (name, table))
        if 4 not in f or u32(d, *f[4]) != INET_SERVICE or 5 not in f or u32(d, *f[5]) != KEY_LEN: fail('set %s does not hold ports' % name)
        if 3 in f and u32(d, *f[3]) & NOT_PLAIN: fail('set %s is not a plain set' % name)
        seen = True
    if not seen: fail('no set %s' % name)
def elements(bits, d, a, b):
    if BARE.fullmatch(d, a, b):
        for hi, lo in zip(d[a + 12:b:16], d[a + 13:b:16]): bits[hi << 8 | lo] = 1
        return
    for t, x, y in attrs(d, a, b):
        if t != 1: fail('a list entry of type %d' % t)
        key = None
        for k, p, q in attrs(d, x, y):
            if k == 1 and key is None:
                inner = list(attrs(d, p, q))
                if len(inner) != 1 or inner[0][0] != 1 or inner[0][2] - inner[0][1] != KEY_LEN: fail('an element that is not a port')
                key = struct.unpack_from('>H', d, inner[0][1])[0]
            elif k == 3 and u32(d, p, q) == 0: pass
            else: fail('an element with attribute %d' % k)
        if key is None: fail('an element without a key')
        bits[key] = 1
def dump(sock, seq, table, name):
    bits = bytearray(65536)
    for t, d, a, b in messages(sock, seq, GETELEM, DUMP, struct.pack('=BBH', INET, 0, 0) + attr(1, table.encode() + b'\0') + attr(2, name.encode() + b'\0')):
        if t != SUB | NEWELEM: fail('an answer of type %d to an element dump' % t)
        for k, x, y in attrs(d, a, b):
            if k == 1 and text(d, x, y) != table: fail('elements of another table')
            elif k == 2 and text(d, x, y) != name: fail('elements of another set')
            elif k == 3: elements(bits, d, x, y)
    if bits[0]: fail('set %s holds port 0' % name)
    ranges, p = [], bits.find(1)
    while p != -1:
        q = bits.find(0, p)
        q = 65536 if q == -1 else q
        ranges.append(str(p) if q == p + 1 else '%d-%d' % (p, q - 1))
        p = bits.find(1, q)
    return ','.join(ranges) or '-'
GEN = []
sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
table, names = sys.argv[1], sys.argv[2:]
lines = ['${HEADER} ' + table]
for i, name in enumerate(names):
    check_set(sock, 3 * i + 1, table, name)
    ports = dump(sock, 3 * i + 2, table, name)
    if dump(sock, 3 * i + 3, table, name) != ports: fail('set %s changed while it was read' % name)
    lines.append(name + ' ' + ports)
sys.stdout.write('\n'.join(lines) + '\n')
`;

/**
 * The argv that prints ledger `table`'s sets `names`: read over netlink when the target has Python 3 and the
 * reader accepts every answer, else `nft -j list table inet TABLE` as before (parseLedgerListing reads both).
 * The reader prints nothing until it has read every set, so the two outputs never mix.
 */
export function ledgerDumpCommand(table: string, names: readonly string[]): string[] {
  // `$1` is the reader, then the table and the set names: nothing is interpolated into the shell text.
  const shell = 'reader=$1; shift; python3 -I -S -c "$reader" "$@" || exec nft -j list table inet "$1"';
  return ['sh', '-c', shell, LEDGER_LIST, READER, table, ...names];
}

/** The name the listing's shell runs under (its `$0`, in its error messages): a listing command holds it. */
export const LEDGER_LIST = 'fwprobe-ledger-list';

/** Whether `listing` is this reader's output (not nft's JSON). */
export function isLedgerDump(listing: string): boolean {
  return listing.startsWith(`${HEADER} `);
}

const RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/**
 * Reads the reader's output for `table` into the port sets `names`.
 * @throws CommandOutputError when the header is not the reader's for `table`, a set is missing, listed twice
 *   or unknown, or a range is not ports ascending and disjoint.
 */
export function parseLedgerDump(listing: string, table: string, names: readonly string[]): Map<string, PortBits> {
  const lines = listing.split('\n');
  if (lines.pop() !== '') throw new CommandOutputError('the ledger dump does not end with a newline: it was cut short');
  if (lines[0] !== `${HEADER} ${table}`) throw new CommandOutputError(`the ledger dump is not of table ${table}: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const sets = new Map<string, PortBits>();
  for (const line of lines.slice(1)) {
    const [name, spec, extra] = line.split(' ');
    if (name === undefined || spec === undefined || extra !== undefined) throw new CommandOutputError(`the ledger dump has a malformed line ${JSON.stringify(line.slice(0, 80))}`);
    if (!names.includes(name)) throw new CommandOutputError(`the ledger dump has an unknown set ${JSON.stringify(name)}`);
    if (sets.has(name)) throw new CommandOutputError(`the ledger dump has set ${name} twice`);
    sets.set(name, rangesOf(name, spec));
  }
  for (const name of names) if (!sets.has(name)) throw new CommandOutputError(`the ledger dump has no set ${name}`);
  return sets;
}

function rangesOf(name: string, spec: string): PortBits {
  const bits = new PortBits();
  if (spec === '-') return bits;
  let last = MIN_PORT - 1;
  for (const item of spec.split(',')) {
    const match = RANGE.exec(item);
    const low = Number(match?.[1]);
    const high = match?.[2] === undefined ? low : Number(match[2]);
    if (!match || low <= last || high < low || high > MAX_PORT)
      throw new CommandOutputError(`the ledger dump's set ${name} holds ${JSON.stringify(item.slice(0, 20))}, not ports ascending and disjoint`);
    for (let port = low; port <= high; port++) bits.add(port);
    last = high;
  }
  return bits;
}
