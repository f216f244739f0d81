import { describe, expect, test } from 'vitest';
import { decide, journeys, type TracedProbe } from './decide.ts';
import { parseRuleDump, parseTrace } from './parse.ts';

// Captured from nftrace.pl in the target image: ip6tables INPUT -j A; A: udp 53 RETURN, -j B; B: udp 54
// REJECT; INPUT: udp LOG, udp 55 ACCEPT, tcp 22 ACCEPT; policy DROP. Events of three clients interleave.
const TRACE = [
  '#ready',
  'P\t33f422f0\t10\t6\t::1\t47222\t::1\t22',
  'T\t33f422f0\t10\traw\tPREROUTING\trule\t5\tcontinue\t-',
  'P\tdec94aea\t10\t17\t::1\t47223\t::1\t53',
  'T\tdec94aea\t10\traw\tOUTPUT\tpolicy\t-\taccept\t-',
  'T\t33f422f0\t10\traw\tPREROUTING\tpolicy\t-\taccept\t-',
  'P\t33f422f0\t10\t6\t::1\t47222\t::1\t22',
  'T\t33f422f0\t10\tfilter\tINPUT\trule\t6\tjump\tA',
  'T\t33f422f0\t10\tfilter\tA\trule\t8\tjump\tB',
  'T\t33f422f0\t10\tfilter\tB\trule\t-\tcontinue\t-',
  'T\t33f422f0\t10\tfilter\tA\trule\t-\tcontinue\t-',
  'T\t33f422f0\t10\tfilter\tINPUT\trule\t12\taccept\t-',
  'P\t4088643c\t10\t6\t::1\t22\t::1\t47222',
  'T\t4088643c\t10\tfilter\tOUTPUT\tpolicy\t-\tdrop\t-',
  'P\t36de25dc\t10\t17\t::1\t47223\t::1\t53',
  'T\t36de25dc\t10\tfilter\tINPUT\trule\t6\tjump\tA',
  'T\t36de25dc\t10\tfilter\tA\trule\t7\treturn\t-',
  'T\t36de25dc\t10\tfilter\tINPUT\trule\t10\tcontinue\t-',
  'T\t36de25dc\t10\tfilter\tINPUT\tpolicy\t-\tdrop\t-',
  'P\td4b6d7bc\t10\t17\t::1\t47224\t::1\t54',
  'T\td4b6d7bc\t10\tfilter\tINPUT\trule\t6\tjump\tA',
  'T\td4b6d7bc\t10\tfilter\tA\trule\t8\tjump\tB',
  'T\td4b6d7bc\t10\tfilter\tB\trule\t9\tdrop\t-',
  'garbage the reader never prints',
  '#end',
].join('\n');

const probe = (over: Partial<TracedProbe>): TracedProbe => ({ nfproto: 10, l4: 6, src: '::1', sport: 47222, dst: '::1', dport: 22, hook: 'INPUT', uniqueSource: true, ...over });

describe('trace output', () => {
  const trace = parseTrace(TRACE);

  test('groups events by packet and base chain, and counts what it cannot read', () => {
    expect(trace.ready && trace.ended).toBe(true);
    expect(trace.unreadable).toBe(1);
    expect(trace.traversals.map((t) => `${t.table}:${t.base}`)).toEqual(['raw:PREROUTING', 'raw:OUTPUT', 'filter:INPUT', 'filter:OUTPUT', 'filter:INPUT', 'filter:INPUT']);
  });

  test('an accept after jumps and implicit returns is decided in INPUT, with the path back to it', () => {
    const { first, reply } = journeys(trace.traversals, probe({}), () => false);
    expect(first.map((t) => t.base)).toEqual(['PREROUTING', 'INPUT']);
    const d = decide(first, [], 'INPUT');
    expect(d).toEqual({ decided: expect.objectContaining({ packet: 'first', table: 'filter', chain: 'INPUT', handle: 12, verdict: 'ACCEPT', path: ['INPUT'] }) });
    // The reply dropped on its way out is what the client saw, after the accept that let its packet in.
    expect(decide(first, reply, 'INPUT')).toEqual({
      decided: expect.objectContaining({ packet: 'reply', chain: 'OUTPUT', kind: 'policy', verdict: 'DROP' }),
      admitted: { decided: expect.objectContaining({ packet: 'first', chain: 'INPUT', handle: 12, verdict: 'ACCEPT' }) },
    });
  });

  test('a RETURN goes back to the caller, and the policy decides', () => {
    const { first } = journeys(trace.traversals, probe({ l4: 17, sport: 47223, dport: 53 }), () => false);
    expect(decide(first, [], 'INPUT')).toEqual({ decided: expect.objectContaining({ kind: 'policy', chain: 'INPUT', verdict: 'DROP', path: ['INPUT'] }) });
  });

  test('a drop in a chain two jumps down names the whole path', () => {
    const { first } = journeys(trace.traversals, probe({ l4: 17, sport: 47224, dport: 54 }), () => false);
    expect(decide(first, [], 'INPUT')).toEqual({ decided: expect.objectContaining({ chain: 'B', handle: 9, verdict: 'DROP', path: ['INPUT', 'A', 'B'] }) });
  });

  test('nothing traced, or a traversal cut before its verdict, is undecided', () => {
    expect(decide([], [], 'INPUT')).toEqual({ undecided: expect.stringContaining('nothing was traced') });
    const cut = parseTrace('P\tx\t2\t6\t1.1.1.1\t1\t2.2.2.2\t2\nT\tx\t2\tfilter\tINPUT\trule\t4\tjump\tA');
    expect(decide(cut.traversals, [], 'INPUT')).toEqual({ undecided: expect.stringContaining('stops before a verdict') });
  });

  test('accepted everywhere with no filter chain on the hook is the no-chain case', () => {
    const { first } = journeys(trace.traversals, probe({}), (t) => t.table === 'filter');
    expect(decide(first, [], 'INPUT')).toEqual({ noChain: { packet: 'first', hook: 'INPUT' } });
  });

  test('the rule dump gives each handle its position in its chain', () => {
    const places = parseRuleDump('R\t10\tfilter\tINPUT\t6\nR\t10\tfilter\tINPUT\t10\nR\t10\tfilter\tA\t7\nR\t10\traw\tPREROUTING\t5\nR\t10\traw\tPREROUTING\t2\n#end');
    expect(places.get('10/filter/10')).toEqual({ family: 10, table: 'filter', chain: 'INPUT', position: 1 });
    expect(places.get('10/raw/2')?.position).toBe(1);
  });
});

describe("a native table's chain on the delivering hook", () => {
  // inet filter input (native, accepting by rule 11) and iptables' ip filter INPUT with no rules.
  const NATIVE = [
    'P\ta\t2\t6\t10.0.0.2\t47100\t10.0.0.1\t22',
    'T\ta\t2\traw\tPREROUTING\tpolicy\t-\taccept\t-',
    'P\ta\t2\t6\t10.0.0.2\t47100\t10.0.0.1\t22',
    'T\ta\t1\tfilter\tinput\trule\t11\taccept\t-',
    'P\ta\t2\t6\t10.0.0.2\t47100\t10.0.0.1\t22',
    'T\ta\t2\tfilter\tINPUT\tpolicy\t-\taccept\t-',
  ].join('\n');
  const p = probe({ nfproto: 2, src: '10.0.0.2', sport: 47100, dst: '10.0.0.1' });
  const onInput = (t: { family: number; table: string; base: string }) => (t.family === 1 && t.base === 'input') || (t.family === 2 && t.table === 'filter' && t.base === 'INPUT');

  test("an accepting rule of a native input chain decides, not iptables' empty policy", () => {
    const { first } = journeys(parseTrace(NATIVE).traversals, p, () => false);
    expect(decide(first, [], 'INPUT', onInput)).toEqual({ decided: expect.objectContaining({ family: 1, table: 'filter', chain: 'input', kind: 'rule', handle: 11 }) });
  });

  test('with only the native table, its rule decides rather than "no chain"', () => {
    const { first } = journeys(parseTrace(NATIVE).traversals, p, (t) => t.family === 2 && t.table === 'filter');
    expect(decide(first, [], 'INPUT', onInput)).toEqual({ decided: expect.objectContaining({ family: 1, chain: 'input', handle: 11 }) });
    // Without knowing which chains filter on the hook, it was the no-chain case: iptables' kernel default.
    expect(decide(first, [], 'INPUT')).toEqual({ noChain: { packet: 'first', hook: 'INPUT' } });
  });
});
