/**
 * Reasons in the ruleset's own words: an nft ruleset's port is told in nft's table, chain, hook, policy and
 * handle, never in iptables' `INPUT has no rules`; a ufw ruleset's policy is ufw's default of its
 * direction; forms that write iptables tables keep iptables' words.
 */
import { describe, expect, test } from 'vitest';
import { attributionText } from '../../model/attribution.ts';
import type { RulesetLayer, RulesetSpec } from '../../model/scenario.ts';
import type { Decided } from './decide.ts';
import { describeDecision, type RuleContext } from './describe.ts';

const nftFile = 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport 22 accept\n  }\n}\n';
const nftListed = 'table inet filter { # handle 1\n\tchain input { # handle 1\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 22 accept # handle 11\n\t}\n}\n';
const nft: RulesetLayer = { kind: 'nft', nft: { path: `${process.cwd()}/x/inet.nft`, text: nftFile } };
const restore: RulesetLayer = { kind: 'restore', v4: { path: `${process.cwd()}/x/rules.v4`, text: '*filter\n:INPUT DROP [0:0]\nCOMMIT\n' }, v6: null };
const ufw: RulesetLayer = { kind: 'ufw', dir: `${process.cwd()}/x/etc-ufw`, files: [], defaults: null };

const ctx = (ruleset: RulesetSpec, extra: Partial<RuleContext> = {}): RuleContext => ({ ruleset, saved: { ipv4: '', ipv6: '' }, rules: new Map(), tag: 'fwprobe-trace-ab12', ...extra });
const client = { label: '[fd00::3]:47100 → [fd00::2]:80', delivered: true };
const noChain = { noChain: { packet: 'first' as const, hook: 'INPUT' } };
const decided = (d: Partial<Decided>) => ({
  decided: { packet: 'first', family: 1, table: 'filter', base: 'input', chain: 'input', kind: 'rule', handle: 11, verdict: 'ACCEPT', path: ['input'], ...d } as Decided,
});

describe('an nft ruleset', () => {
  test('a hook no table sits on is told in nft words (no ip6tables, no "has no rules")', () => {
    const a = describeDecision(noChain, 'ipv6', ctx(nft), client);
    expect(a).toMatchObject({ tool: 'nft', chain: 'input', verdict: 'ACCEPT', policy: 'ACCEPT' });
    expect(a.table).toBeUndefined();
    const text = attributionText(a);
    expect(text).toBe("nft input: policy accept, no ip6 or inet table has a chain on the input hook (the kernel's default)");
    expect(text).not.toMatch(/iptables|INPUT|has no rules/);
    expect(attributionText(describeDecision(noChain, 'ipv4', ctx(nft), client))).toContain('no ip or inet table has a chain on the input hook');
  });

  test("a native chain's policy reads `nft inet filter input: policy drop`, naming the file", () => {
    const a = describeDecision(decided({ kind: 'policy', handle: null, verdict: 'DROP' }), 'ipv6', ctx(nft, { nft: nftListed }), client);
    expect(attributionText(a)).toMatch(/^nft inet filter input: policy drop \[x\/inet\.nft/);
  });

  test('a native rule names its handle', () => {
    const a = describeDecision(decided({}), 'ipv6', ctx(nft, { nft: nftListed }), client);
    expect(a.handle).toBe(11);
    expect(attributionText(a)).toBe('nft inet filter input: tcp dport 22 accept (handle 11) [x/inet.nft:4]');
  });

  test('layered with an iptables form, a bare hook names both: neither table family has it', () => {
    const text = attributionText(describeDecision(noChain, 'ipv6', ctx({ kind: 'layers', layers: [restore, nft] }), client));
    expect(text).toBe("policy ACCEPT, ip6tables INPUT, no ip6tables filter table, and no ip6 or inet nft table has a chain on the input hook (the kernel's default)");
  });
});

describe('a ufw ruleset', () => {
  const policy = (chain: string, verdict: string) => decided({ family: 10, kind: 'policy', handle: null, chain, base: chain, path: [chain], verdict });

  test("a built-in chain's policy is ufw's default for that direction", () => {
    expect(describeDecision(policy('INPUT', 'DROP'), 'ipv6', ctx(ufw), client).note).toBe('ufw default deny incoming (DEFAULT_INPUT_POLICY)');
    expect(describeDecision(policy('OUTPUT', 'ACCEPT'), 'ipv6', ctx(ufw), client).note).toBe('ufw default allow outgoing (DEFAULT_OUTPUT_POLICY)');
    expect(describeDecision(policy('FORWARD', 'REJECT'), 'ipv6', ctx(ufw), client).note).toBe('ufw default reject routed (DEFAULT_FORWARD_POLICY)');
  });

  test('not for a restore file, nor for ufw layered with another form that writes iptables tables', () => {
    expect(describeDecision(policy('INPUT', 'DROP'), 'ipv6', ctx(restore), client).note ?? '').not.toContain('ufw');
    expect(describeDecision(policy('INPUT', 'DROP'), 'ipv6', ctx({ kind: 'layers', layers: [restore, ufw] }), client).note ?? '').not.toContain('ufw');
  });

  test('a restore file keeps iptables words for a bare hook', () => {
    expect(describeDecision(noChain, 'ipv6', ctx(restore), client).note).toBe("ip6tables INPUT has no rules (no ip6tables filter table: the kernel's default)");
  });
});
