/**
 * Reading what fwprobe's trace reader (nftrace.pl) printed: the kernel's trace events grouped into
 * traversals (one packet through one base chain), and the rule dump that maps a rule handle to its place
 * in its chain. Lines it cannot read are counted, never guessed at.
 */

/** One packet's header, as the kernel included it with the first event of a base chain. */
export interface TracedPacket {
  nfproto: number;
  l4: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
}

/** One event: a rule that matched with a verdict, a return, or the chain's policy. */
export interface TraceEvent {
  chain: string;
  type: 'rule' | 'return' | 'policy';
  /** The rule handle; null for a policy or an implicit return at a chain's end. */
  handle: number | null;
  verdict: string;
  /** The chain jumped or gone to. */
  jump: string | null;
}

/** One packet through one base chain of one table. */
export interface Traversal {
  id: string;
  /** The table's family as nf_tables numbers it: 1 inet, 2 ip, 10 ip6. */
  family: number;
  table: string;
  /** The base chain the traversal started in (the hook, for the iptables tools' tables). */
  base: string;
  packet: TracedPacket;
  events: TraceEvent[];
}

export interface TraceOutput {
  traversals: Traversal[];
  ready: boolean;
  /** The reader ended by itself (deadline, SIGTERM) and printed its last line. */
  ended: boolean;
  /** The kernel dropped events, or the line limit cut the trace: some traversals may be incomplete. */
  incomplete: string | null;
  /** Lines that were neither events nor markers (a reader that prints garbage). */
  unreadable: number;
}

const TYPES = new Set(['rule', 'return', 'policy']);

export function parseTrace(text: string): TraceOutput {
  const out: TraceOutput = { traversals: [], ready: false, ended: false, incomplete: null, unreadable: 0 };
  // The header comes with the first event of each base chain: it opens a traversal for that id.
  const pending = new Map<string, TracedPacket>();
  const open = new Map<string, Traversal>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === '#ready') out.ready = true;
    else if (line === '#end') out.ended = true;
    else if (line === '#overflow') out.incomplete = 'the kernel dropped trace events (the reader fell behind)';
    else if (line === '#limit') out.incomplete = 'the trace reached its line limit';
    else if (line.startsWith('P\t')) {
      const [, id, nfproto, l4, src, sport, dst, dport] = line.split('\t');
      const packet = { nfproto: Number(nfproto), l4: Number(l4), src: src ?? '', sport: Number(sport), dst: dst ?? '', dport: Number(dport) };
      if (!id || !src || !dst || [packet.nfproto, packet.l4].some((n) => !Number.isInteger(n))) out.unreadable++;
      else {
        pending.set(id, packet);
        open.delete(id);
      }
    } else if (line.startsWith('T\t')) {
      const [, id, family, table, chain, type, handle, verdict, jump] = line.split('\t');
      if (!id || !table || !chain || !type || !TYPES.has(type) || !verdict) {
        out.unreadable++;
        continue;
      }
      const event: TraceEvent = {
        chain,
        type: type as TraceEvent['type'],
        handle: handle && /^\d+$/.test(handle) ? Number(handle) : null,
        verdict,
        jump: jump && jump !== '-' ? jump : null,
      };
      const packet = pending.get(id);
      let traversal = open.get(id);
      if (packet) {
        traversal = { id, family: Number(family), table, base: chain, packet, events: [] };
        out.traversals.push(traversal);
        open.set(id, traversal);
        pending.delete(id);
      }
      // An event with no header before it belongs to no packet fwprobe can name.
      if (!traversal) out.unreadable++;
      else traversal.events.push(event);
    } else if (!line.startsWith('#')) out.unreadable++;
  }
  return out;
}

/** Where a rule is: its family, table, chain and 0-based position among the chain's rules. */
export interface RulePlace {
  family: number;
  table: string;
  chain: string;
  position: number;
}

/** `R FAMILY TABLE CHAIN HANDLE` lines, in chain order, into handle → place per family and table. */
export function parseRuleDump(text: string): Map<string, RulePlace> {
  const places = new Map<string, RulePlace>();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [tag, family, table, chain, handle] = line.split('\t');
    if (tag !== 'R' || !family || !table || !chain || !handle || !/^\d+$/.test(handle)) continue;
    const chainKey = `${family}/${table}/${chain}`;
    const position = counts.get(chainKey) ?? 0;
    counts.set(chainKey, position + 1);
    places.set(handleKey(Number(family), table, Number(handle)), { family: Number(family), table, chain, position });
  }
  return places;
}

export function handleKey(family: number, table: string, handle: number): string {
  return `${family}/${table}/${handle}`;
}
