/**
 * Policy → IR for both families. The IPv6 side follows `policy.ipv6`: `mirror` generates the same intent
 * with IPv6 addresses and essential ICMPv6, `block` only sets DROP policies, `ignore` produces no IPv6
 * ruleset at all.
 */
import type { Family } from '../model/observation.ts';
import type { Policy, InboundService, OutboundService, PortRange } from './policy.ts';
import { BUILTIN_CHAINS, RuleBuilder, builtinTable, type BuiltinChain, type ChainPolicy, type FamilyRulesetIR, type RulesetIR } from './ir.ts';

/** ICMPv6 types IPv6 needs on any real link (RFC 4890): error messages, then router and neighbour discovery. */
export const ESSENTIAL_ICMPV6 = [
  'destination-unreachable',
  'packet-too-big',
  'time-exceeded',
  'parameter-problem',
  'router-solicitation',
  'router-advertisement',
  'neighbour-solicitation',
  'neighbour-advertisement',
] as const;

const ALL_DROP: Record<BuiltinChain, ChainPolicy> = { INPUT: 'DROP', OUTPUT: 'DROP', FORWARD: 'DROP' };

export function generateFromPolicy(policy: Policy, source: string): RulesetIR {
  return { source, v4: familyRuleset(policy, 'ipv4'), v6: v6Ruleset(policy) };
}

function v6Ruleset(policy: Policy): FamilyRulesetIR | null {
  switch (policy.ipv6) {
    case 'ignore':
      return null;
    case 'block':
      return { tables: { filter: builtinTable(ALL_DROP) } };
    case 'mirror':
      return familyRuleset(policy, 'ipv6');
  }
}

function familyRuleset(policy: Policy, family: Family): FamilyRulesetIR {
  const b = new RuleBuilder();
  for (const chain of BUILTIN_CHAINS) chainRules(b, policy, family, chain);
  return { tables: { filter: builtinTable(chainPolicies(policy), b.rules) } };
}

function chainPolicies(policy: Policy): Record<BuiltinChain, ChainPolicy> {
  const up = (v: 'accept' | 'drop'): ChainPolicy => (v === 'accept' ? 'ACCEPT' : 'DROP');
  return { INPUT: up(policy.policies.input), OUTPUT: up(policy.policies.output), FORWARD: up(policy.policies.forward) };
}

function chainRules(b: RuleBuilder, policy: Policy, family: Family, chain: BuiltinChain): void {
  if (family === 'ipv6' && chain !== 'FORWARD') essentialIcmpv6(b, policy, chain);
  if (chain !== 'FORWARD') loopback(b, policy, chain);
  stateTracking(b, policy, chain);
  if (chain !== 'OUTPUT') spoofing(b, policy, family, chain);
  if (chain === 'INPUT') {
    b.section('ACCEPT rules');
    policy.inbound.forEach((service, i) => inboundService(b, policy, family, service, `inbound[${i}]`));
  }
  if (chain === 'OUTPUT') {
    b.section('ACCEPT rules for allowing connections out');
    policy.outbound.forEach((service, i) => outboundService(b, policy, family, service, `outbound[${i}]`));
  }
  if (chain !== 'FORWARD') echo(b, policy, family, chain);
  defaultLog(b, policy, chain);
}

// Conntrack creates no connection for neighbour discovery, so it can match INVALID: these rules come
// before the INVALID drop so that no kernel's conntrack can cut IPv6 off the link.
function essentialIcmpv6(b: RuleBuilder, policy: Policy, chain: BuiltinChain): void {
  if (!policy.icmpv6.essential) return;
  b.section('ICMPv6 that IPv6 needs (before the state rules: neighbour discovery has no conntrack state)');
  for (const type of ESSENTIAL_ICMPV6) {
    b.add(chain, 'icmpv6.essential', ['-p', 'ipv6-icmp', '--icmpv6-type', type, '-j', 'ACCEPT']);
  }
}

function loopback(b: RuleBuilder, policy: Policy, chain: BuiltinChain): void {
  const dir = chain === 'INPUT' ? '-i' : '-o';
  b.section(policy.loopback === 'accept' ? 'make sure that loopback traffic is accepted' : 'loopback traffic is dropped');
  b.add(chain, 'loopback', [dir, 'lo', '-j', policy.loopback === 'accept' ? 'ACCEPT' : 'DROP']);
}

function stateTracking(b: RuleBuilder, policy: Policy, chain: BuiltinChain): void {
  const { invalid, invalidPrefix, established } = policy.state;
  b.section('state tracking rules');
  const invalidMatch = ['-m', 'conntrack', '--ctstate', 'INVALID'];
  if (invalid === 'log-drop') b.add(chain, 'state.invalid', [...invalidMatch, '-j', 'LOG', '--log-prefix', invalidPrefix]);
  if (invalid !== 'off') b.add(chain, 'state.invalid', [...invalidMatch, '-j', 'DROP']);
  if (established) b.add(chain, 'state.established', ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
}

function spoofing(b: RuleBuilder, policy: Policy, family: Family, chain: BuiltinChain): void {
  const spoof = policy.spoof;
  const net = family === 'ipv4' ? spoof?.ipv4 : spoof?.ipv6;
  if (!spoof || net === undefined) return;
  b.section('anti-spoofing rules');
  const match = ['-i', spoof.interface, '!', '-s', net];
  if (spoof.log) b.add(chain, 'spoof', [...match, '-j', 'LOG', '--log-prefix', spoof.prefix]);
  b.add(chain, 'spoof', [...match, '-j', 'DROP']);
}

function inboundService(b: RuleBuilder, policy: Policy, family: Family, s: InboundService, origin: string): void {
  const base = [...(s.interface ? ['-i', s.interface] : []), '-p', s.protocol];
  const tail = serviceTail(policy, s.port, s.comment);
  forEachAddress(s.sources, family, origin, 'sources', (addr, at) => {
    b.add('INPUT', at, [...base, ...(addr ? ['-s', addr] : []), ...tail]);
  });
}

function outboundService(b: RuleBuilder, policy: Policy, family: Family, s: OutboundService, origin: string): void {
  const base = [...(s.interface ? ['-o', s.interface] : []), '-p', s.protocol];
  const tail = serviceTail(policy, s.port, s.comment);
  forEachAddress(s.destinations, family, origin, 'destinations', (addr, at) => {
    b.add('OUTPUT', at, [...base, ...(addr ? ['-d', addr] : []), ...tail]);
  });
}

function serviceTail(policy: Policy, port: PortRange, comment: string | undefined): string[] {
  return ['--dport', portToken(port), ...(policy.state.established ? ['-m', 'conntrack', '--ctstate', 'NEW'] : []), ...(comment ? ['-m', 'comment', '--comment', comment] : []), '-j', 'ACCEPT'];
}

/**
 * Calls `emit` once per address of `family`, or once with `null` when the service has no address list.
 * A list that leaves this family out emits nothing: the family is not allowed.
 */
function forEachAddress(
  set: { ipv4?: string[] | undefined; ipv6?: string[] | undefined } | undefined,
  family: Family,
  origin: string,
  key: string,
  emit: (address: string | null, origin: string) => void,
): void {
  if (!set) return emit(null, origin);
  (set[family] ?? []).forEach((addr, i) => emit(addr, `${origin}.${key}.${family}[${i}]`));
}

export function portToken(port: PortRange): string {
  return port.from === port.to ? String(port.from) : `${port.from}:${port.to}`;
}

function echo(b: RuleBuilder, policy: Policy, family: Family, chain: 'INPUT' | 'OUTPUT'): void {
  const wanted = chain === 'INPUT' ? policy.icmp.echoIn : policy.icmp.echoOut;
  if (!wanted) return;
  const match = family === 'ipv4' ? ['-p', 'icmp', '--icmp-type'] : ['-p', 'ipv6-icmp', '--icmpv6-type'];
  b.section('ICMP echo');
  b.add(chain, chain === 'INPUT' ? 'icmp.echoIn' : 'icmp.echoOut', [...match, 'echo-request', '-j', 'ACCEPT']);
}

function defaultLog(b: RuleBuilder, policy: Policy, chain: BuiltinChain): void {
  const { enabled, prefix, rate, burst } = policy.logging;
  const policyKey = chain.toLowerCase() as 'input' | 'output' | 'forward';
  if (!enabled || policy.policies[policyKey] !== 'drop') return;
  const limit = rate ? ['-m', 'limit', '--limit', rate, ...(burst ? ['--limit-burst', String(burst)] : [])] : [];
  b.section(`default ${chain} LOG rule`);
  b.add(chain, 'logging', ['!', chain === 'OUTPUT' ? '-o' : '-i', 'lo', ...limit, '-j', 'LOG', '--log-prefix', prefix]);
}
