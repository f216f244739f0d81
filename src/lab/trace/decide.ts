/**
 * Which event of a traced client's packets gave the verdict: the first packet's journey through the hooks
 * (a drop anywhere decides; otherwise the accept in the delivering hook's filter chain), and, when the
 * first packet got through, the target's first reply (a reply dropped on its way out decides too).
 */
import type { Traversal, TraceEvent } from './parse.ts';

/** The 4-tuple and protocol of a traced client, as its first packet leaves the client. */
export interface TracedProbe {
  nfproto: 2 | 10;
  l4: 6 | 17;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** The hook that delivers the packet: INPUT on the target, FORWARD for a host behind it. */
  hook: 'INPUT' | 'FORWARD';
  /** True when no other traced client shares this source address, port and protocol. */
  uniqueSource: boolean;
}

export interface Decided {
  packet: 'first' | 'reply';
  family: number;
  table: string;
  /** The base chain (hook) of the deciding traversal. */
  base: string;
  chain: string;
  kind: 'rule' | 'policy';
  handle: number | null;
  verdict: string;
  path: string[];
}

export type Decision =
  /**
   * `admitted`: for a decision on the reply, what let the client's first packet in (its own decision): a
   * datagram delivered to the listener whose answer is dropped on the way out is explained by both.
   */
  | { decided: Decided; admitted?: FirstDecision }
  /** The packet crossed every hook that has a chain, accepted, and no filter chain exists on its hook. */
  | { noChain: { packet: 'first'; hook: string } }
  | { undecided: string };

/** The first packet's own decision when it got through: the accept on its hook, or no chain there. */
export type FirstDecision = { decided: Decided } | { noChain: { packet: 'first'; hook: string } };

const TERMINAL = new Set(['accept', 'drop', 'stolen', 'queue', 'stop']);

/** The traversals of the probe's first packet and of the first reply, each cut where a hook repeats. */
export function journeys(all: readonly Traversal[], probe: TracedProbe, ignoreTable: (t: Traversal) => boolean) {
  const mine = all.filter((t) => !ignoreTable(t) && t.packet.nfproto === probe.nfproto && t.packet.l4 === probe.l4);
  const forward = mine.filter((t) => t.packet.src === probe.src && t.packet.sport === probe.sport && (probe.uniqueSource || t.packet.dport === probe.dport));
  const reply = mine.filter((t) => t.packet.dst === probe.src && t.packet.dport === probe.sport && (probe.uniqueSource || t.packet.sport === probe.dport));
  return { first: firstPacket(forward), reply: firstPacket(reply) };
}

function firstPacket(traversals: readonly Traversal[]): Traversal[] {
  const seen = new Set<string>();
  const out: Traversal[] = [];
  for (const t of traversals) {
    const key = `${t.family}/${t.table}/${t.base}`;
    if (seen.has(key)) break;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** iptables' own filter chain on the hook (`filter INPUT`), when nothing better says which chains filter there. */
const iptablesFilter = (hook: string) => (t: Traversal) => t.table === 'filter' && t.base === hook;

/**
 * The deciding event of one packet's journey, or why there is none.
 * @param delivers - Whether a traversal's base chain is a filter chain on the delivering hook: iptables'
 *   `filter INPUT`, and a native table's `type filter hook input` chain whatever its table and name.
 */
export function decide(first: readonly Traversal[], reply: readonly Traversal[], hook: string, delivers: (t: Traversal) => boolean = iptablesFilter(hook)): Decision {
  if (first.length === 0) return { undecided: 'no packet of the traced client reached the target (nothing was traced)' };
  const ends = first.map((t) => ({ t, end: ending(t) }));
  const cut = ends.find((e) => e.end === null);
  if (cut) return { undecided: `the trace of ${cut.t.table} ${cut.t.base} stops before a verdict` };
  const stopped = ends.find((e) => e.end!.event.verdict !== 'accept');
  if (stopped) return { decided: toDecided('first', stopped.t, stopped.end!) };
  // Every filter chain on the hook accepted: an accepting rule says more than another table's empty policy.
  const onHook = ends.filter((e) => delivers(e.t));
  const delivering = onHook.filter((e) => e.end!.event.type !== 'policy').at(-1) ?? onHook.at(-1);
  const firstDecision: FirstDecision = delivering ? { decided: toDecided('first', delivering.t, delivering.end!) } : { noChain: { packet: 'first', hook } };
  // Accepted on the way in: a reply dropped on its way out is what the client saw.
  for (const t of reply) {
    const end = ending(t);
    if (end && end.event.verdict !== 'accept') return { decided: toDecided('reply', t, end), admitted: firstDecision };
  }
  return firstDecision;
}

interface Ending {
  event: TraceEvent;
  path: string[];
}

/** The traversal's terminal event and the chains it was reached through; null when the trace is cut. */
function ending(t: Traversal): Ending | null {
  const stack = [t.base];
  for (const event of t.events) {
    if (stack.at(-1) !== event.chain) {
      // An implicit return at a chain's end: the next event is in a caller.
      const at = stack.lastIndexOf(event.chain);
      if (at >= 0) stack.length = at + 1;
      else stack.push(event.chain);
    }
    if (event.verdict === 'jump' && event.jump) stack.push(event.jump);
    else if (event.verdict === 'goto' && event.jump) stack[stack.length - 1] = event.jump;
    else if (event.verdict === 'return' && event.type === 'rule' && stack.length > 1) stack.pop();
    else if (TERMINAL.has(event.verdict)) return { event, path: [...stack] };
  }
  return null;
}

function toDecided(packet: 'first' | 'reply', t: Traversal, end: Ending): Decided {
  return {
    packet,
    family: t.family,
    table: t.table,
    base: t.base,
    chain: end.event.chain,
    kind: end.event.type === 'policy' ? 'policy' : 'rule',
    handle: end.event.handle,
    verdict: end.event.verdict.toUpperCase(),
    path: end.path,
  };
}
