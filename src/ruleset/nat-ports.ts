/**
 * The ports NAT maps onto a service: a REDIRECT/DNAT (or nft `redirect`/`dnat`) rule whose new port is a
 * service port makes its match ports another way in (`--dport 13306 -j REDIRECT --to-ports 3306`). They
 * become ports of interest (scan/probe/ports.ts). Read from the applied-ruleset model (ruleset/applied/).
 */
import type { NatAlias, Protocol } from '../model/observation.ts';
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import { natMappedPorts } from './applied/nat-ports.ts';

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

/** The port a NAT target rewrites to (iptables options or nft's JSON statement), or null when it keeps it. */
function toPort(target: string): number | null {
  const m = /--to-ports\s+(\d+)/.exec(target) ?? /--to-destination\s+\S*:(\d+)/.exec(target) ?? /"port":\s*(\d+)/.exec(target);
  return m ? Number(m[1]) : null;
}
