/**
 * The ports NAT maps onto a service: a REDIRECT/DNAT (or nft `redirect`/`dnat`) rule whose new port is a
 * service port makes its match ports another way in (`--dport 13306 -j REDIRECT --to-ports 3306`). They
 * become ports of interest (scan/probe/ports.ts). Read from the applied-ruleset model (ruleset/applied/).
 */
import type { NatAlias, Protocol } from '../model/observation.ts';
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import { natMappedPorts } from './applied/nat-ports.ts';
import type { UnvariedRule } from './shape-matches.ts';

/** Match ports of NAT rules that send to one of `servicePorts` (same protocol), per protocol. */
export function natPorts(saved: SavedRuleset, services: readonly { protocol: Protocol; port: number }[]): Record<Protocol, number[]> {
  const out: Record<Protocol, Set<number>> = { tcp: new Set(), udp: new Set() };
  for (const alias of natAliases(saved, services)) out[alias.protocol].add(alias.port);
  return { tcp: [...out.tcp].sort((a, b) => a - b), udp: [...out.udp].sort((a, b) => a - b) };
}

/**
 * Each port NAT maps onto a service port of the target itself (`port` → `to`), so that the judge can hold
 * the alias to the service's own expectation: a database expected closed on 3306 must not be open on 13306
 * either. With `local` only REDIRECT (always to the target itself) counts: a DNAT may send to a host behind.
 */
export function natAliases(saved: SavedRuleset, services: readonly { protocol: Protocol; port: number }[], options: { local?: boolean } = {}): NatAlias[] {
  const out = new Map<string, NatAlias>();
  for (const mapped of natMappedPorts(appliedModel(saved))) {
    if (options.local && !/^redirect\b/i.test(mapped.target)) continue;
    const protocol = mapped.protocol;
    if (protocol !== 'tcp' && protocol !== 'udp') continue;
    const to = toPort(mapped.target);
    const isService = (port: number) => services.some((s) => s.protocol === protocol && s.port === port);
    for (let port = mapped.from; port <= mapped.to; port++) {
      if (isService(to ?? port)) out.set(`${protocol}/${port}`, { protocol, port, to: to ?? port });
    }
  }
  return [...out.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

/**
 * NAT rules whose ways onto a service the clients cannot all try: a range longer than the bound that maps
 * onto a service port (`--dport 3306:4305 -j REDIRECT --to-ports 3306`, `! --dport 22 -j REDIRECT …`: only
 * the first ports are probed, the rest reach the service unseen), and a new port fwprobe cannot read (nft
 * `redirect to tcp dport map { 13306 : 3306 }`, `--to-ports 3305-3306`): which ports lead to a service is
 * unknown. Verdicts under them are unverified (`nat range`, `nat port`) until the scenario acknowledges them.
 */
export function natUnverified(saved: SavedRuleset, services: readonly { protocol: Protocol; port: number }[]): UnvariedRule[] {
  const out = new Map<string, UnvariedRule>();
  for (const mapped of natMappedPorts(appliedModel(saved))) {
    const to = toPort(mapped.target);
    // nft writes a literal port as a number; a map, a range or a concatenated map is an object.
    const unreadable = /"(port|addr)":\s*\{"(map|range)"/.test(mapped.target);
    const ranged = /--to-ports\s+\d+-\d|--to-destination\s+(\[[^\]]*\]|[\d.]*):\d+-\d/.test(mapped.target);
    const onService = to !== null && services.some((s) => (mapped.protocol === null || s.protocol === mapped.protocol) && s.port === to);
    const match = unreadable || ranged ? 'nat port' : mapped.bounded && onService ? 'nat range' : null;
    if (match) out.set(`${mapped.family} ${match} ${mapped.rule}`, { family: mapped.family, match, rule: mapped.rule });
  }
  return [...out.values()];
}

/** The port a NAT target rewrites to (iptables options or nft's JSON statement), or null when it keeps it. */
function toPort(target: string): number | null {
  // An IPv6 address without brackets has no port (`--to-destination fd00::1`): its last group is not one.
  const m = /--to-ports\s+(\d+)/.exec(target) ?? /--to-destination\s+(?:\[[^\]]*\]|[\d.]*):(\d+)/.exec(target) ?? /"port":\s*(\d+)/.exec(target);
  return m ? Number(m[1]) : null;
}
