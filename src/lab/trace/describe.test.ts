/**
 * From a trace decision to the attribution the user reads: undecided stays undecided, a hook without a
 * chain is the kernel's default only when the client's packet got through, a policy or rule is named with
 * the line the form that wrote it gives (fwprobe's own trace rules not counted), a REJECT target is named
 * as such, an unreadable handle says so, and a native nft rule is read back by handle.
 */
import { describe, expect, test } from 'vitest';
import { attributionText } from '../../model/attribution.ts';
import type { RulesetLayer, RulesetSpec } from '../../model/scenario.ts';
import type { Decided } from './decide.ts';
import { describeDecision, inconsistency, type RuleContext } from './describe.ts';
import { parseRuleDump } from './parse.ts';

const V4 = ['*filter', ':INPUT DROP [0:0]', ':SERVICES - [0:0]', '-A INPUT -j SERVICES', '-A SERVICES -p tcp --dport 22 -j ACCEPT', '-A SERVICES -p tcp --dport 23 -j REJECT', 'COMMIT', ''].join('\n');
const TAG = 'fwprobe-trace-ab12';
const SAVED_V4 = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':SERVICES - [0:0]',
  `-A INPUT -m comment --comment ${TAG} -j TRACE`,
  '-A INPUT -j SERVICES',
  '-A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT',
  '-A SERVICES -p tcp -m tcp --dport 23 -j REJECT --reject-with icmp-port-unreachable',
  'COMMIT',
  '',
].join('\n');
const DUMP = ['R\t2\tfilter\tINPUT\t5', 'R\t2\tfilter\tINPUT\t6', 'R\t2\tfilter\tSERVICES\t7', 'R\t2\tfilter\tSERVICES\t8', 'R\t1\tfilter\tinput\t11'].join('\n');
const restore: RulesetLayer = { kind: 'restore', v4: { path: `${process.cwd()}/x/rules.v4`, text: V4 }, v6: null };

const ctx = (ruleset: RulesetSpec, extra: Partial<RuleContext> = {}): RuleContext => ({ ruleset, saved: { ipv4: SAVED_V4, ipv6: '' }, rules: parseRuleDump(DUMP), tag: TAG, ...extra });
const decided = (d: Partial<Decided>) => ({
  decided: { packet: 'first', family: 2, table: 'filter', base: 'INPUT', chain: 'SERVICES', kind: 'rule', handle: 7, verdict: 'ACCEPT', path: ['INPUT', 'SERVICES'], ...d } as Decided,
});
const client = { label: '10.0.0.3:47100 → 10.0.0.2:22', delivered: true };

describe('describeDecision', () => {
  test('undecided stays undecided, with the client', () => {
    expect(describeDecision({ undecided: 'no trace' }, 'ipv4', ctx(restore), client)).toEqual({ path: [], probe: client.label, undecided: 'no trace' });
  });

  test("a hook with no chain is the kernel's ACCEPT only when there is no filter table and the packet got through", () => {
    const noTable = ctx(restore, { saved: { ipv4: '', ipv6: '' } });
    expect(describeDecision({ noChain: { packet: 'first', hook: 'INPUT' } }, 'ipv4', noTable, client)).toMatchObject({ tool: 'iptables', verdict: 'ACCEPT', policy: 'ACCEPT', chain: 'INPUT' });
    expect(describeDecision({ noChain: { packet: 'first', hook: 'INPUT' } }, 'ipv4', noTable, { ...client, delivered: false }).undecided).toMatch(/never showed in iptables filter INPUT/);
    expect(describeDecision({ noChain: { packet: 'first', hook: 'INPUT' } }, 'ipv4', ctx(restore), client).undecided).toMatch(/never showed/);
  });

  test("a rule at the line of the restore file, fwprobe's trace rule not counted", () => {
    expect(describeDecision(decided({ handle: 7 }), 'ipv4', ctx(restore), client)).toMatchObject({
      tool: 'iptables',
      chain: 'SERVICES',
      verdict: 'ACCEPT',
      rule: '-A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT',
      source: { file: 'x/rules.v4', line: 5 },
    });
    // The trace rule sits at INPUT's position 0: the user's `-A INPUT -j SERVICES` is their first rule, line 4.
    expect(describeDecision(decided({ chain: 'INPUT', handle: 6, verdict: 'ACCEPT', path: ['INPUT'] }), 'ipv4', ctx(restore), client).source).toEqual({ file: 'x/rules.v4', line: 4 });
  });

  test('a DROP by a REJECT rule is named REJECT; a policy with its line; a handle not read back says so', () => {
    expect(describeDecision(decided({ handle: 8, verdict: 'DROP' }), 'ipv4', ctx(restore), client)).toMatchObject({ verdict: 'REJECT', source: { line: 6 } });
    expect(describeDecision(decided({ chain: 'INPUT', kind: 'policy', handle: null, verdict: 'DROP', path: ['INPUT'] }), 'ipv4', ctx(restore), client)).toMatchObject({
      policy: 'DROP',
      source: { file: 'x/rules.v4', line: 2 },
    });
    expect(describeDecision(decided({ handle: 99 }), 'ipv4', ctx(restore), client).note).toBe('rule handle 99 in filter SERVICES: its text could not be read back');
  });

  test('a script names itself for its rules; two forms writing iptables tables name no file', () => {
    const script: RulesetLayer = { kind: 'script', script: { path: `${process.cwd()}/x/fw.sh`, text: '' }, tolerate: [], leftoversAllowed: null };
    expect(describeDecision(decided({ handle: 7 }), 'ipv4', ctx(script), client).source).toEqual({ file: 'x/fw.sh', origin: 'added by this script (which line is not recorded)' });
    expect(describeDecision(decided({ handle: 7 }), 'ipv4', ctx({ kind: 'layers', layers: [restore, script] }), client).source).toBeUndefined();
  });

  test("a native nft rule read back by handle, at the nft file's line", () => {
    const file = 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport 22 accept\n  }\n}\n';
    const nft = 'table inet filter { # handle 1\n\tchain input { # handle 1\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept # handle 11\n\t}\n}\n';
    const spec: RulesetSpec = { kind: 'nft', nft: { path: `${process.cwd()}/x/inet.nft`, text: file } };
    expect(describeDecision(decided({ family: 1, chain: 'input', handle: 11, path: ['input'] }), 'ipv4', ctx(spec, { nft }), client)).toMatchObject({
      tool: 'nft',
      family: 'inet',
      table: 'filter',
      rule: 'tcp dport 22 accept',
      source: { file: 'x/inet.nft', line: 4 },
    });
  });

  // Attack (real run, SARIF at the rule's line): `tcp dport $grafana accept` decided, a later redundant
  // `tcp dport 3000 accept` lists the same; the text matched only the later line, so SARIF and the mismatch
  // pointed at the rule that never decided (deleting it changes nothing). Twins in the chain name no line.
  test('a native nft rule whose text the chain holds twice names the file, not a line', () => {
    const file = 'define grafana = 3000\ntable inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport $grafana accept\n    tcp dport 3000 accept\n  }\n}\n';
    const nft =
      'table inet filter { # handle 1\n\tchain input { # handle 1\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 3000 accept # handle 11\n\t\ttcp dport 3000 accept # handle 12\n\t}\n}\n';
    const spec: RulesetSpec = { kind: 'nft', nft: { path: `${process.cwd()}/x/inet.nft`, text: file } };
    const a = describeDecision(decided({ family: 1, chain: 'input', handle: 11, path: ['input'] }), 'ipv4', ctx(spec, { nft }), client);
    expect(a).toMatchObject({ tool: 'nft', rule: 'tcp dport 3000 accept', source: { file: 'x/inet.nft' } });
    expect(a.source?.line).toBeUndefined();
    expect(a.note).toMatch(/holds this rule 2 times/);
  });
});

describe('a datagram let in whose answer is dropped on the way out', () => {
  // OUTPUT DROP by policy, the datagram accepted by `-A SERVICES … --dport 22 -j ACCEPT` (handle 7).
  const saved = SAVED_V4.replace('COMMIT', ':OUTPUT DROP [0:0]\nCOMMIT');
  const replyDrop = {
    decided: { packet: 'reply', family: 2, table: 'filter', base: 'OUTPUT', chain: 'OUTPUT', kind: 'policy', handle: null, verdict: 'DROP', path: ['OUTPUT'] } as Decided,
    admitted: decided({ handle: 7 }),
  };
  const silent = { ...client, delivered: false };

  test('names the outbound drop and the inbound accept, each at its line', () => {
    const a = describeDecision(replyDrop, 'ipv4', ctx(restore, { saved: { ipv4: saved, ipv6: '' } }), silent);
    expect(a).toMatchObject({
      chain: 'OUTPUT',
      policy: 'DROP',
      packet: 'reply',
      probe: client.label,
      admittedBy: { tool: 'iptables', chain: 'SERVICES', verdict: 'ACCEPT', rule: '-A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT', source: { file: 'x/rules.v4', line: 5 } },
    });
    expect(a.admittedBy?.probe).toBeUndefined();
    expect(attributionText(a)).toMatch(/^policy DROP, iptables OUTPUT \(on the reply\).*; admitted by iptables INPUT → SERVICES: -A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT \[x\/rules\.v4:5\]$/);
    expect(inconsistency('delivered', a, null)).toBeNull();
  });

  test("an INPUT with no chain lets it in by the kernel's default, though the client heard nothing", () => {
    const a = describeDecision({ ...replyDrop, admitted: { noChain: { packet: 'first', hook: 'INPUT' } } }, 'ipv4', ctx(restore, { saved: { ipv4: '', ipv6: '' } }), silent);
    expect(a.admittedBy).toMatchObject({ tool: 'iptables', chain: 'INPUT', verdict: 'ACCEPT', policy: 'ACCEPT' });
  });
});

describe('inconsistency', () => {
  test('delivered is explained by an accepted datagram or a dropped answer, never by a dropped datagram', () => {
    const dropped = { tool: 'iptables', chain: 'INPUT', verdict: 'DROP', packet: 'first' as const, path: ['INPUT'], policy: 'DROP' };
    expect(inconsistency('delivered', { ...dropped, verdict: 'ACCEPT', policy: 'ACCEPT' }, null)).toBeNull();
    expect(inconsistency('delivered', { ...dropped, chain: 'OUTPUT', packet: 'reply' }, null)).toBeNull();
    expect(inconsistency('delivered', dropped, null)).toMatch(/yet the port reads delivered/);
  });

  test('an accepted client explains an open port, not a filtered one', () => {
    const a = { tool: 'iptables', chain: 'INPUT', verdict: 'ACCEPT', packet: 'first' as const, path: ['INPUT'], rule: '-A INPUT -j ACCEPT' };
    expect(inconsistency('open', a, null)).toBeNull();
    expect(inconsistency('filtered', a, null)).toMatch(/yet the port reads filtered/);
    expect(inconsistency('open', a, 'lines lost')).toBe('the trace is incomplete: lines lost');
  });
});
